from django.urls import path

from pathcraft.sso import views

urlpatterns = [
    path("login/", views.StartView.as_view(), name="start"),
    path("callback/", views.CallbackView.as_view(), name="callback"),
]
