from django.urls import path

from . import saved_views, views

app_name = "search"
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/feed.atom", views.search_feed, name="feed"),
    path("searches/", saved_views.my_searches, name="saved-list"),
    path("searches/save/", saved_views.save, name="saved-save"),
    path("searches/<int:pk>/open/", saved_views.open_search_view, name="saved-open"),
    path("searches/<int:pk>/rename/", saved_views.rename, name="saved-rename"),
    path("searches/<int:pk>/delete/", saved_views.delete, name="saved-delete"),
    path("searches/<int:pk>/feed-link/", saved_views.new_feed_link, name="saved-feed-link"),
    path("searches/<int:pk>/<str:token>/feed.atom", saved_views.saved_feed, name="saved-feed"),
]
