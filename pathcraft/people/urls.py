from django.urls import path

from pathcraft.people import views

urlpatterns = [
    path("", views.home, name="home"),
    path("people/<int:person_id>/", views.person_detail, name="person-detail"),
    path("people/<int:person_id>/privacy/", views.person_privacy, name="person-privacy"),
    path("people/<int:person_id>/privacy/share/", views.toggle_share, name="person-share"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/<slug:slug>/", views.team_detail, name="team-detail"),
    path("org/", views.org_chart, name="org-chart"),
    path("org/<int:person_id>/children/", views.org_children, name="org-children"),
    path("invite/<str:token>/", views.accept_invitation, name="invitation-accept"),
]
