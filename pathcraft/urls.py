"""URL root: each app with pages adds `pathcraft/<app>/urls.py` (missing ones are skipped)."""

import importlib

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from pathcraft.ops import views as ops_views
from pathcraft.provisioning import views as scim_views
from pathcraft.sso import views as sso_views

urlpatterns = [
    path("admin/", admin.site.urls),
    # Django's login and logout, plus single sign-on (the SSO button, RP-initiated logout at the provider).
    path("login/", sso_views.LoginView.as_view(), name="login"),
    path("logout/", sso_views.logout, name="logout"),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("api/", include("pathcraft.api.urls")),
    # SCIM 2.0 provisioning (RFC 7644), served by scim2-server over pathcraft's people and teams.
    re_path(r"^scim/v2/?(?P<rest>.*)$", scim_views.scim, name="scim"),
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
]

# app, URL prefix, namespace (None for the people app, whose names are global: home, person-detail, ...)
APP_URLS = [
    ("paths", "paths/", "paths"),
    ("feedback", "feedback/", "feedback"),
    ("workload", "workload/", "workload"),
    ("code", "code/", "code"),
    ("reviews", "reviews/", "reviews"),
    ("growth", "growth/", "growth"),
    ("sso", "sso/", "sso"),
    ("provisioning", "provisioning/", "provisioning"),
]
for app, prefix, namespace in APP_URLS:
    module_name = f"pathcraft.{app}.urls"
    try:
        importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        continue
    urlpatterns.append(path(prefix, include((module_name, namespace), namespace=namespace)))

urlpatterns.append(path("", include("pathcraft.people.urls")))
