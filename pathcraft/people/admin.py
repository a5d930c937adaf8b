from django.contrib import admin
from django.utils import timezone

from pathcraft.people import actions
from pathcraft.people.models import Invitation, Organisation, Person, Share, Team


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "lead")
    search_fields = ("name",)


@admin.action(description="Create an invitation link for the selected people")
def invite(modeladmin, request, queryset):
    made = 0
    for person in queryset.filter(user__isnull=True):
        actions.create_invitation(person, created_by=request.user)
        made += 1
    modeladmin.message_user(request, f"{made} invitation(s) created; see Invitations for the links.")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "title", "team", "manager", "timezone", "is_active")
    list_filter = ("team", "is_active")
    search_fields = ("name", "email", "title")
    raw_id_fields = ("manager", "user")
    actions = [invite]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("person", "link", "expires_at", "accepted_at")
    readonly_fields = ("token", "created_at", "accepted_at")

    @admin.display(description="Link")
    def link(self, obj):
        from django.conf import settings

        if obj.accepted_at or obj.expires_at < timezone.now():
            return "—"
        return f"{settings.SITE_URL}/invite/{obj.token}/"


@admin.register(Share)
class ShareAdmin(admin.ModelAdmin):
    list_display = ("person", "kind", "relation", "created_at")
