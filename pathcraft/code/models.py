"""Repositories registered per team, their last analysis, and git identities matched to people (the alias table)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from pathcraft.people.models import Organisation, Person, Team
from pathcraft.sealing import SealedTextField


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
    include = models.JSONField(default=list, blank=True, help_text="globs: only files matching one count")
    exclude = models.JSONField(default=list, blank=True, help_text="globs: files matching one are left out")
    last_commit = models.CharField(max_length=64, blank=True)
    # HistoryState.to_dict(): the aggregate an incremental re-analysis starts from.
    state = models.JSONField(null=True, blank=True)
    # report.analysis_to_dict() of the last successful run.
    report = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    progress = models.PositiveIntegerField(default=0, help_text="commits read in the running analysis")
    progress_total = models.PositiveIntegerField(default=0, help_text="commits the running analysis reads")
    error = models.CharField(max_length=500, blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A remote repository: the worker keeps a bare mirror at `path` (under the data folder) and fetches it every
    # `fetch_interval_minutes`. Local repositories leave these empty. The URL and the token or deploy key are
    # secrets: encrypted at rest, sealed in backups, shown only without credentials (remote_shown).
    remote_url = SealedTextField(purpose="code-remote-url")
    remote_secret = SealedTextField(purpose="code-remote-secret")
    remote_shown = models.CharField(max_length=1000, blank=True, default="")
    mirror_kind = models.CharField(max_length=10, blank=True, default="")  # "blobless" or "full" once cloned
    fetch_interval_minutes = models.PositiveIntegerField(default=0)
    next_fetch_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    fetch_error = models.CharField(max_length=400, blank=True, default="")
    fetch_failures = models.PositiveIntegerField(default=0)
    history_rewritten_at = models.DateTimeField(null=True, blank=True)

    BACKUP_SEALED_FIELDS = ("remote_url", "remote_secret")

    class Meta:
        ordering = ["team__name", "name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="code_repository_name_unique")]
        verbose_name_plural = "repositories"

    def __str__(self) -> str:
        return f"{self.team} / {self.name}"

    @property
    def is_remote(self) -> bool:
        return bool(self.remote_shown)

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class IdentityMatch(models.Model):
    """A git email matched to a person of the organisation, or a rejected proposal.

    Confirmed rows are the email half of the alias table (they feed the analysis). Matches by email are confirmed
    when found; matches by name wait for a team lead to confirm them. A rejected row says "this email is not that
    person", so the proposal is not made again."""

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
    rejected = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="code_identity_email_unique")
        ]

    def __str__(self) -> str:
        return f"{self.email} {'is not' if self.rejected else '->'} {self.person}"


class NameAlias(models.Model):
    """The name half of the alias table: git commits under this name are this person's."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="git_name_aliases")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="git_name_aliases")
    name = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, help_text="history.normalize_name(name)")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["normalized"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "normalized"], name="code_name_alias_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} -> {self.person}"


# END
