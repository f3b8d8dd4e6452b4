from django.urls import path

from . import views

app_name = "entities"
urlpatterns = [
    path("entities/", views.entity_index_page, name="index"),
    path("entities/<int:pk>/<slug:slug>/", views.entity_page, name="entity"),
    path("entities/<int:pk>/", views.entity_page, name="entity-short"),
]
