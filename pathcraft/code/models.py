"""Repositories registered per team, their last analysis, and git identities matched to people."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from pathcraft.people.models import Organisation, Person, Team


class Repository(models.Model):
    """A local work tree or bare mirror the server can read; analysed by a background job."""

    class Status(models.TextChoices):
        NEW = "new", "not analysed yet"
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "analysed"
        FAILED = "failed", "failed"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="repositories")
    name = models.CharField(max_length=200)
    path = models.CharField(max_length=1000)
    ref = models.CharField(max_length=200, blank=True, help_text="branch, tag or commit; empty means HEAD")
    last_commit = models.CharField(max_length=64, blank=True)
    # HistoryState.to_dict(): the aggregate an incremental re-analysis starts from.
    state = models.JSONField(null=True, blank=True)
    # report.analysis_to_dict() of the last successful run.
    report = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    progress = models.PositiveIntegerField(default=0, help_text="commits read in the running analysis")
    error = models.CharField(max_length=500, blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team__name", "name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="code_repository_name_unique")]
        verbose_name_plural = "repositories"

    def __str__(self) -> str:
        return f"{self.team} / {self.name}"


class IdentityMatch(models.Model):
    """A git email matched to a person of the organisation (the alias table); unmatched emails are former
    contributors. Matches by email are confirmed; matches by name wait for a manager to confirm them."""

    class Method(models.TextChoices):
        EMAIL = "email", "same email"
        NAME = "name", "same name"
        MANUAL = "manual", "set by hand"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="git_identities")
    email = models.CharField(max_length=320)
    name = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="git_identities")
    method = models.CharField(max_length=10, choices=Method.choices)
    confirmed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="code_identity_email_unique")
        ]

    def __str__(self) -> str:
        return f"{self.email} -> {self.person}"
