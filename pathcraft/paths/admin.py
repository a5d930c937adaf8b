"""Only frameworks are in the admin: career data about people is never shown to administrators."""

from django.contrib import admin

from pathcraft.paths.models import Framework


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "key",
        "organisation",
        "source_format",
        "tracks",
        "levels",
        "criteria",
        "is_active",
    )
    list_filter = ("organisation", "is_active")
    readonly_fields = ("text", "tracks", "levels", "criteria", "imported_at")
