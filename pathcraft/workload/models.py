"""Stored workload data: calendar analyses, incidents from an incident tool, and burnout-survey pulses.

What is kept, and who may read it (people/policy.py):

* ``CalendarImport`` keeps the engine's report of one upload, never the file. Weekly figures, trends and what was
  counted are ``Kind.WORKLOAD`` (self and direct manager). The titles of async candidates and the parser's warnings
  (which may quote an event) are ``Kind.CALENDAR``: self only, the manager only with the person's consent.
* ``Incident`` rows are the load one person carried (``Kind.WORKLOAD``).
* ``BurnoutResponse`` holds one person's answers to one pulse. Their scores are ``Kind.BURNOUT`` (self only);
  managers and the organisation only ever see ``cbi.aggregate_scores`` of at least k answers. Raw answers and
  scores are sealed in backups.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from pathcraft.people.models import Organisation, Person
from pathcraft.sealing import SealedTextField


class CalendarFeed(models.Model):
    """A person's live calendar: a secret iCalendar link or a CalDAV account, refreshed by the worker.

    Only the person may add, see or change it (not their manager, not an admin's pages): the link and the password
    are secrets, encrypted at rest (SealedTextField), shown back only as their host, sealed in backups, never
    logged. What a sync produces is an ordinary CalendarImport, read through the permission core as before.
    """

    class Kind(models.TextChoices):
        ICS = "ics", "iCalendar link"
        CALDAV = "caldav", "CalDAV"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="calendar_feeds")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    url = SealedTextField(purpose="calendar-feed-url")
    username = SealedTextField(purpose="calendar-feed-username")
    password = SealedTextField(purpose="calendar-feed-password")
    calendar_name = models.CharField(max_length=200, blank=True, default="")
    host = models.CharField(max_length=300)  # what may be shown: scheme and host only
    interval_minutes = models.PositiveIntegerField()
    busy_blocks_are_meetings = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    next_run_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)  # the last fetch that succeeded
    last_changed_at = models.DateTimeField(null=True, blank=True)  # the last one that stored a new analysis
    last_error = models.CharField(max_length=400, blank=True, default="")
    failures_in_row = models.PositiveIntegerField(default=0)
    paused_at = models.DateTimeField(null=True, blank=True)
    etag = models.CharField(max_length=200, blank=True, default="")
    last_modified = models.CharField(max_length=100, blank=True, default="")
    content_digest = models.CharField(max_length=64, blank=True, default="")

    BACKUP_SEALED_FIELDS = ("url", "username", "password")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} feed of {self.person} ({self.host})"


class CalendarImport(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="calendar_imports")
    feed = models.ForeignKey(
        CalendarFeed, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )  # set when a feed's sync made it; None for an upload
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    tz = models.CharField(max_length=64)
    working_hours = models.CharField(max_length=100)
    start = models.DateField()
    end = models.DateField()  # exclusive
    weeks = models.JSONField(default=list)  # WeekRow dicts: figures only
    summary = models.JSONField(default=dict)
    trends = models.JSONField(default=list)
    counted = models.JSONField(default=dict)
    settings = models.JSONField(default=dict)
    # Kind.CALENDAR: titles and uids of async candidates, and parser warnings (they may quote an event).
    async_candidates = models.JSONField(default=list)
    warnings = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Calendar of {self.person} ({self.start} to {self.end})"


class IncidentImport(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="incident_imports")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)
    unknown_people = models.JSONField(default=list)  # names/emails in the export that match nobody
    FORMATS = [("csv", "generic CSV"), ("pagerduty", "PagerDuty"), ("opsgenie", "Opsgenie")]
    format = models.CharField(max_length=20, choices=FORMATS, default="csv")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} ({self.rows} rows)"


class Incident(models.Model):
    KINDS = [("escalation", "escalation"), ("support", "support"), ("oncall", "on-call page")]

    batch = models.ForeignKey(IncidentImport, on_delete=models.CASCADE, related_name="incidents")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(max_length=20, choices=KINDS)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    severity = models.CharField(max_length=40, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    service = models.CharField(max_length=200, blank=True)
    # From the tools' own exports: when this person acknowledged (null: paged, did not acknowledge, or the export
    # does not say), and whether an escalation reached them rather than the first page.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalated = models.BooleanField(default=False)

    class Meta:
        ordering = ["started_at", "pk"]
        indexes = [models.Index(fields=["person", "started_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.person} at {self.started_at:%Y-%m-%d %H:%M}"


class BurnoutPulse(models.Model):
    """One round of the survey for an organisation; its answers are aggregated only once it has closed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="burnout_pulses")
    opens_on = models.DateField()
    closes_on = models.DateField()  # exclusive: answers are taken before this day

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "opens_on"], name="burnout_pulse_unique_start")
        ]

    def __str__(self) -> str:
        return f"Pulse of {self.opens_on:%B %Y}"

    @property
    def label(self) -> str:
        return f"{self.opens_on:%B %Y}"

    def is_open(self, today) -> bool:
        return self.opens_on <= today < self.closes_on


class BurnoutResponse(models.Model):
    pulse = models.ForeignKey(BurnoutPulse, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="burnout_responses")
    answers = models.JSONField(default=dict)  # item id -> option key
    personal = models.FloatField(null=True, blank=True)
    work = models.FloatField(null=True, blank=True)
    client = models.FloatField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    BACKUP_SEALED_FIELDS = ("answers", "personal", "work", "client")

    class Meta:
        ordering = ["pulse__opens_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pulse", "person"], name="burnout_one_answer_per_pulse")
        ]

    def __str__(self) -> str:
        return f"Burnout answers for {self.pulse}"

    def scores(self) -> dict[str, float | None]:
        return {"personal": self.personal, "work": self.work, "client": self.client}
