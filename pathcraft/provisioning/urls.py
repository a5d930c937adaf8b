from django.urls import path

from pathcraft.provisioning import views

urlpatterns = [path("leavers/", views.leavers, name="leavers")]
