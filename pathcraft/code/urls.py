from django.urls import path

from pathcraft.code import views

urlpatterns = [
    path("", views.index, name="index"),
    path("register/", views.register, name="register"),
    path("repositories/<int:repository_id>/", views.repository, name="repository"),
    path("repositories/<int:repository_id>/status/", views.status, name="status"),
    path("repositories/<int:repository_id>/analyse/", views.analyse, name="analyse"),
    path("repositories/<int:repository_id>/delete/", views.delete, name="delete"),
    path("repositories/<int:repository_id>/leave/", views.leave, name="leave"),
    path("repositories/<int:repository_id>/recency/", views.recency, name="recency"),
    path("repositories/<int:repository_id>/identities/", views.identities, name="identities"),
    path(
        "repositories/<int:repository_id>/identities/decide/", views.identity_decide, name="identity-decide"
    ),
    path("repositories/<int:repository_id>/aliases/", views.alias_add, name="alias-add"),
    path(
        "repositories/<int:repository_id>/aliases/<str:kind>/<int:alias_id>/remove/",
        views.alias_remove,
        name="alias-remove",
    ),
    path("people/<int:person_id>/", views.person, name="person"),
]
