from django.urls import path

from . import views

app_name = "digest"
urlpatterns = [
    path("", views.digest_list, name="home"),
    path("digests/<int:pk>/", views.digest_detail, name="digest"),
    path("stories/<int:pk>/<slug:slug>/", views.story_detail, name="story"),
    path("stories/<int:pk>/", views.story_detail, name="story-short"),
]
