"""Back-office view of feedback: requests and cycles with counts only.

``Answer`` and ``Invite`` are deliberately not registered: an administrator must not read answers,
nor see which link was used (that would pair answers with people by timing).
"""

from django.contrib import admin

from pathcraft.feedback.models import FeedbackRequest, TeamCycle


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(admin.ModelAdmin):
    list_display = ("pk", "subject", "created_at", "due", "closed_at", "k", "asked", "answered")
    fields = ("subject", "created_at", "due", "closed_at", "k", "asked", "answered")
    readonly_fields = fields
    search_fields = ("subject__name", "subject__email")

    def has_add_permission(self, request):
        return False  # requests are made by the person themself (pages, API or CLI)

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Colleagues asked")
    def asked(self, obj):
        return obj.invites.count()

    @admin.display(description="Answers in the results")
    def answered(self, obj):
        # The released count from the stored release state, never the raw count: an admin may be the
        # subject, and a count that moves answer by answer tells when each answer came.
        return (obj.release_state or {}).get("included", 0)


@admin.register(TeamCycle)
class TeamCycleAdmin(admin.ModelAdmin):
    list_display = ("pk", "manager", "created_at", "due", "closed_at")
    readonly_fields = ("manager", "created_by", "created_at", "due", "closed_at", "participants")
