from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "pathcraft.sso"
    label = "sso"
    verbose_name = "Single sign-on (OpenID Connect)"
