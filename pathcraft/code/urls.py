from django.urls import path

from pathcraft.code import views

urlpatterns = [
    path("", views.index, name="index"),
    path("repositories/<int:repository_id>/", views.repository, name="repository"),
    path("repositories/<int:repository_id>/leave/", views.leave, name="leave"),
    path("repositories/<int:repository_id>/analyse/", views.analyse, name="analyse"),
]
