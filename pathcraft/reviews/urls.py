from django.urls import path

from pathcraft.reviews import views

urlpatterns = [
    path("", views.index, name="index"),
    path("teams/<str:team>/", views.team, name="team"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/week/", views.week, name="week"),
]
