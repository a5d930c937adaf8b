"""Review events stored per repository, as the engine or a forge import produced them (pathcraft.reviews.events).

Identities are kept as the source named them; who they are (a person of the organisation, a former contributor)
is worked out when read, through the code app's alias table, so confirming an identity there changes every figure
here without storing anything again. Decisions on the profile-week suggestion are the person's own."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from pathcraft.code.models import Repository
from pathcraft.people.models import Person


class ReviewRecord(models.Model):
    """One ReviewEvent of one repository."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="review_records")
    source = models.CharField(max_length=10)  # git | github | gitlab
    kind = models.CharField(max_length=20)  # events.KINDS
    change_id = models.CharField(max_length=300)
    # identity_key(reviewer): what the uniqueness and the self-review test compare
    reviewer_key = models.CharField(max_length=320)
    reviewer_name = models.CharField(max_length=200, blank=True)
    reviewer_email = models.CharField(max_length=320, blank=True)
    reviewer_login = models.CharField(max_length=200, blank=True)
    author_key = models.CharField(max_length=320)
    author_name = models.CharField(max_length=200, blank=True)
    author_email = models.CharField(max_length=320, blank=True)
    author_login = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()
    requested_at = models.DateTimeField(null=True, blank=True)
    paths = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "source", "change_id", "kind", "reviewer_key"],
                name="reviews_record_unique",
            )
        ]
        indexes = [models.Index(fields=["repository", "at"], name="reviews_record_repo_at")]

    def __str__(self) -> str:
        return f"{self.reviewer_key} {self.kind} {self.change_id}"


class ReviewImport(models.Model):
    """When a repository's events were last stored, and how."""

    repository = models.OneToOneField(Repository, on_delete=models.CASCADE, related_name="review_import")
    stored_at = models.DateTimeField(default=timezone.now)
    mode = models.CharField(max_length=12)  # replace | incremental
    events = models.PositiveIntegerField(default=0)  # rows held after the last store
    added = models.PositiveIntegerField(default=0)  # rows the last store added
    head = models.CharField(max_length=64, blank=True)  # the commit read up to, when the events came from git

    def __str__(self) -> str:
        return f"{self.repository}: {self.events} review events"


class WeekSuggestion(models.Model):
    """The person's answer to "show your review hours in your profile week": accepted or dismissed, per estimate."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "accepted"
        DISMISSED = "dismissed", "dismissed"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="review_week_suggestions")
    hours = models.FloatField(help_text="the estimate of review hours a week the person answered")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.decision} {self.hours:g} h"
