"""Template context: the signed-in person, and navigation entries that each app declares.

An app adds itself to the navigation with `nav_items = [(key, label, url_name)]` on its AppConfig.
"""

from django.apps import apps
from django.urls import NoReverseMatch, reverse


def _nav_items():
    items = []
    for config in apps.get_app_configs():
        for key, label, url_name in getattr(config, "nav_items", []):
            try:
                items.append({"key": key, "label": label, "url": reverse(url_name)})
            except NoReverseMatch:
                continue
    return items


def viewer(request):
    user = getattr(request, "user", None)
    person = None
    if user is not None and user.is_authenticated:
        person = getattr(user, "person", None)
    return {
        "viewer_person": person,
        "nav_items": _nav_items() if person or (user and user.is_authenticated) else [],
    }
