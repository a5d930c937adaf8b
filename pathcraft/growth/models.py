"""1:1 relationships and what happens in them: occurrences, agenda, action items, notes, the four
questions, check-ins, the spotlight and low-promotability registers, the delegation board and growth plans.

Who may read what is decided in `access.py` (on top of the permission core); nothing here filters.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.timezone import now as _now

from pathcraft.growth import cadence as engine
from pathcraft.growth.defaults import QUESTION_KEYS
from pathcraft.growth.fairness import HOW_ASSIGNED, LOW_PROMOTABILITY_KINDS, SPOTLIGHT_KINDS
from pathcraft.people.models import Organisation, Person, validate_timezone

QUESTION_CHOICES = [(k, k) for k in QUESTION_KEYS]
CADENCE_CHOICES = [(k, k) for k in (engine.WEEKLY, engine.BIWEEKLY, engine.EVERY_N_WEEKS, engine.MONTHLY)]
STATUS_CHOICES = [(s, s.replace("_", " ")) for s in engine.STATUSES]


class Relationship(models.Model):
    MANAGER, MENTOR = "manager", "mentor"
    KINDS = [(MANAGER, "manager and report"), (MENTOR, "mentor and mentee")]

    manager = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="growth_led")
    report = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="growth_relationships")
    kind = models.CharField(max_length=10, choices=KINDS, default=MANAGER)
    cadence = models.CharField(max_length=20, choices=CADENCE_CHOICES, default=engine.WEEKLY)
    cadence_weeks = models.PositiveSmallIntegerField(default=1)  # only for every_n_weeks
    length_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    weekday = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(6)])  # 0 = Monday
    at = models.TimeField(default=dt.time(10, 0))
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=_now)  # `timezone` is a field name in this class

    class Meta:
        ordering = ["report__name", "pk"]

    def __str__(self) -> str:
        return f"1:1 {self.manager} / {self.report}"

    def clean(self) -> None:
        if self.manager_id and self.manager_id == self.report_id:
            raise ValidationError("A 1:1 needs two different people.")

    @property
    def is_active(self) -> bool:
        return self.ended_on is None or self.ended_on >= timezone.localdate()

    def to_engine(self) -> engine.Relationship:
        return engine.Relationship(
            id=str(self.pk), manager=self.manager.email, report=self.report.email,
            cadence=engine.Cadence(self.cadence, self.cadence_weeks), starts_on=self.started_on,
            weekday=self.weekday, at=self.at, timezone=self.timezone, length_minutes=self.length_minutes,
            kind=self.kind, ends_on=self.ended_on,
        )  # fmt: skip


class Occurrence(models.Model):
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="occurrences")
    start = models.DateTimeField()
    length_minutes = models.PositiveSmallIntegerField(default=30)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=engine.PLANNED)
    cancelled_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved_to = models.DateTimeField(null=True, blank=True)
    moved_from = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=20, default="cadence")  # cadence | calendar | moved

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["relationship", "start"], name="growth_occurrence_slot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.relationship} at {self.start:%Y-%m-%d %H:%M} ({self.status})"

    def to_engine(self) -> engine.Occurrence:
        zone = engine.zone(self.relationship.timezone)
        return engine.Occurrence(
            self.start.astimezone(zone), self.length_minutes, self.status,
            self.cancelled_by.email if self.cancelled_by_id else None,
            self.moved_to.astimezone(zone) if self.moved_to else None,
            self.moved_from.astimezone(zone) if self.moved_from else None,
        )  # fmt: skip


class Leave(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="growth_leaves")
    first_day = models.DateField()
    last_day = models.DateField()
    acting_lead = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["first_day"]

    def __str__(self) -> str:
        return f"{self.person} away {self.first_day} – {self.last_day}"

    def to_engine(self) -> engine.Leave:
        return engine.Leave(self.person.email, self.first_day, self.last_day)


class AgendaItem(models.Model):
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="agenda_items")
    occurrence = models.ForeignKey(
        Occurrence, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    author = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    question = models.CharField(max_length=20, choices=QUESTION_CHOICES, blank=True)
    prompt_id = models.CharField(max_length=100, blank=True)  # set when it came from a suggested prompt
    carried = models.PositiveSmallIntegerField(default=0)
    done = models.BooleanField(default=False)
    discussed_on = models.DateField(null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"agenda item {self.pk} of {self.relationship_id}"


class ActionItem(models.Model):
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="action_items")
    occurrence = models.ForeignKey(
        Occurrence, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="growth_actions")
    created_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    due = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    carried = models.PositiveSmallIntegerField(default=0)
    # Set when the report changed manager while the (old) manager still owned this item.
    flagged_manager_change = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"action item {self.pk} of {self.relationship_id}, due {self.due}"


class Note(models.Model):
    """A 1:1 note. Scope: shared (the two of them), private (the author only), or skip (the report shares
    it with their manager's manager; only the report may choose it). Text is sealed in backups."""

    SHARED, PRIVATE, SKIP = "shared", "private", "skip"
    SCOPES = [(SHARED, "shared with the other side"), (PRIVATE, "private: only me"),
              (SKIP, "shared with my manager and my manager's manager")]  # fmt: skip
    BACKUP_SEALED_FIELDS = ("text",)

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="notes")
    occurrence = models.ForeignKey(
        Occurrence, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes"
    )
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="growth_notes")
    scope = models.CharField(max_length=10, choices=SCOPES, default=SHARED)
    question = models.CharField(max_length=20, choices=QUESTION_CHOICES, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:  # never the text: admin lists, logs and errors show this
        return f"{self.get_scope_display()} note by {self.author} ({self.created_at:%Y-%m-%d})"


class Discussion(models.Model):
    """A mark that one of the four questions was talked about: the only thing that resets its clock."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="discussions")
    question = models.CharField(max_length=20, choices=QUESTION_CHOICES)
    on = models.DateField()
    kind = models.CharField(max_length=20, default="agenda_item")  # agenda_item | note | growth_plan
    marked_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.question} discussed on {self.on}"


class UserPrompt(models.Model):
    """A prompt someone added to the organisation's question bank."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    question = models.CharField(max_length=20, choices=QUESTION_CHOICES)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"prompt {self.prompt_id} ({self.question})"

    @property
    def prompt_id(self) -> str:
        return f"user-{self.pk}"


class PromptEvent(models.Model):
    ACTIONS = [("suggested", "suggested"), ("dismissed", "dismissed"), ("used", "used")]

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="prompt_events")
    occurrence = models.ForeignKey(
        Occurrence, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prompt_id = models.CharField(max_length=100)
    question = models.CharField(max_length=20, choices=QUESTION_CHOICES)
    on = models.DateField()
    action = models.CharField(max_length=10, choices=ACTIONS)
    by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.prompt_id} {self.action} on {self.on}"


class CheckIn(models.Model):
    """Optional mood (1–5) by the report; seen by the report and their direct manager only (Kind.MOOD)."""

    BACKUP_SEALED_FIELDS = ("mood",)

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="check_ins")
    on = models.DateField()
    mood = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["relationship", "on"], name="growth_checkin_one_a_day")
        ]

    def __str__(self) -> str:
        return f"check-in {self.pk} of {self.relationship_id}"  # never the mood


class SpotlightEvent(models.Model):
    """A visible opportunity in a manager's team register (talk, blog post, demo, release credit)."""

    manager = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="spotlight_register")
    kind = models.CharField(max_length=20, choices=[(k, k.replace("_", " ")) for k in SPOTLIGHT_KINDS])
    title = models.CharField(max_length=300)
    on = models.DateField()

    class Meta:
        ordering = ["-on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title} ({self.on})"


class SpotlightContribution(models.Model):
    event = models.ForeignKey(SpotlightEvent, on_delete=models.CASCADE, related_name="contributions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=300, blank=True)  # their own line: what they did

    def __str__(self) -> str:
        return f"{self.person} in {self.event_id}"


class LowPromotabilityTask(models.Model):
    manager = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="low_promotability_register")
    kind = models.CharField(
        max_length=20, choices=[(k, k.replace("_", " ")) for k in LOW_PROMOTABILITY_KINDS]
    )
    on = models.DateField()
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    how = models.CharField(max_length=12, choices=[(k, k) for k in HOW_ASSIGNED])
    hours = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["-on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} by {self.person} on {self.on}"


class Duty(models.Model):
    """A duty or decision on a manager's delegation board (Management 3.0 level 1–7)."""

    manager = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="delegation_board")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, default="duty")  # duty | decision
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    deputy = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    level = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    critical = models.BooleanField(default=False)
    contact = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "duties"
        constraints = [models.UniqueConstraint(fields=["manager", "name"], name="growth_duty_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.owner})"


class GrowthPlanEntry(models.Model):
    TARGET, FEEDBACK, EXPERIMENT, ROLE_TRIAL, GOAL = (
        "target",
        "feedback_theme",
        "experiment",
        "role_trial",
        "goal",
    )
    KINDS = [(TARGET, "target position"), (FEEDBACK, "feedback theme"), (EXPERIMENT, "job-crafting experiment"),
             (ROLE_TRIAL, "trial of a new role"), (GOAL, "goal")]  # fmt: skip

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="growth_plan")
    author = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=KINDS, default=GOAL)
    question = models.CharField(max_length=20, choices=QUESTION_CHOICES, blank=True)
    text = models.TextField()
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)  # a role trial's decision date
    decision = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "growth plan entries"

    def __str__(self) -> str:
        return f"{self.kind} for {self.person}"


class ManagerChange(models.Model):
    """A report moved to a new manager. The new manager sees the shared history only after consent."""

    report = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="manager_changes")
    old_manager = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    new_manager = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    old_relationship = models.ForeignKey(
        Relationship, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_on = models.DateField()
    consented_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-changed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.old_manager} -> {self.new_manager} on {self.changed_on}"

    @property
    def pending(self) -> bool:
        return self.consented_at is None and self.declined_at is None


class ReminderSent(models.Model):
    """One reminder email per (relationship, kind, key): running `growth remind` twice sends nothing twice."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)  # before | after | overdue | stale
    key = models.CharField(max_length=100)  # the occurrence start, or the ISO week, or question+week
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["relationship", "kind", "key"], name="growth_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder {self.key}"
