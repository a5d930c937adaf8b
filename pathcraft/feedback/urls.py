from django.urls import path

from pathcraft.feedback import views

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_request, name="new"),
    path("team/", views.team, name="team"),
    path("approvals/", views.approvals, name="approvals"),
    path("answer/<str:token>/", views.answer, name="answer"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/respondents/", views.respondents, name="respondents"),
    path("<int:pk>/respondents/<int:invite_id>/revoke/", views.revoke, name="revoke"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/calibration/", views.calibration, name="calibration"),
]
