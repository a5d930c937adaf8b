from django.contrib import admin

from pathcraft.provisioning.models import Departure, ScimToken


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "created_at", "last_used_at", "revoked_at")
    fields = ("name", "organisation", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("organisation", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False  # made by `pathcraft token create --scim`, which shows the token once


@admin.register(Departure)
class DepartureAdmin(admin.ModelAdmin):
    list_display = ("person", "manager", "left_at", "source", "returned_at")
    readonly_fields = ("person", "manager", "left_at", "source", "ended", "returned_at")
