from django.urls import path

from pathcraft.paths import views

urlpatterns = [
    path("", views.index, name="index"),
    path("team/", views.team, name="team"),
    path("frameworks/", views.framework_list, name="frameworks"),
    path("frameworks/<str:key>/", views.framework_detail, name="framework"),
    path("frameworks/<str:key>/activate/", views.activate, name="framework-activate"),
    path("people/<int:person_id>/", views.results, name="results"),
    path("people/<int:person_id>/profile/", views.profile_form, name="profile"),
    path("people/<int:person_id>/compare/", views.compare, name="compare"),
    path("people/<int:person_id>/history/", views.history, name="history"),
    path("people/<int:person_id>/position/", views.position, name="position"),
    path("people/<int:person_id>/plan/", views.plan, name="plan"),
    path("people/<int:person_id>/experiments/", views.experiments, name="experiments"),
    path("experiments/<int:experiment_id>/", views.experiment_detail, name="experiment"),
]
