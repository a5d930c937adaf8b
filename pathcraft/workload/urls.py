from django.urls import path

from pathcraft.workload import views

app_name = "workload"

urlpatterns = [
    path("", views.index, name="index"),
    path("calendar/", views.upload_calendar, name="upload"),
    path("feeds/", views.add_feed, name="add-feed"),
    path("feeds/<int:feed_id>/", views.feed_action, name="feed"),
    path("people/<int:person_id>/", views.person_workload, name="person"),
    path("survey/", views.survey, name="survey"),
    path("burnout/", views.burnout, name="burnout"),
    path("team/", views.team, name="team"),
    path("incidents/import/", views.import_incidents, name="import-incidents"),
    path("org/", views.org, name="org"),
]
