"""Career paths in the database: frameworks, positions, self-assessments, profiles, plans, experiments.

Thin rows around the pure engines: a framework is stored as our YAML text (dump_framework, which
round-trips) plus a few summary columns; a profile snapshot is the engine's Profile.to_dict().
Everything about a person is Kind.CAREER in the permission core.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.db import models
from django.utils import timezone

from pathcraft.paths.frameworks import Framework as FrameworkData
from pathcraft.paths.frameworks import Position as PositionData
from pathcraft.paths.frameworks import parse_pathcraft
from pathcraft.paths.profile import Profile, parse_profile_data
from pathcraft.people.models import Organisation, Person


class Framework(models.Model):
    """A career framework of the organisation, stored in pathcraft's YAML format."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="frameworks")
    key = models.CharField(max_length=100)  # the framework's own id (FrameworkData.id)
    name = models.CharField(max_length=300)
    source_format = models.CharField(max_length=20, default="pathcraft")  # what it was imported from
    source_file = models.CharField(max_length=300, blank=True)
    text = models.TextField()  # dump_framework output: the whole framework, lossless
    tracks = models.PositiveIntegerField(default=0)
    levels = models.PositiveIntegerField(default=0)
    criteria = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=False)  # the organisation's framework for positions
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="framework_key_unique_in_org"),
        ]
        ordering = ["-is_active", "name"]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def data(self) -> FrameworkData:
        """The parsed framework (parsed once per row object)."""
        return parse_pathcraft(self.text, f"framework {self.key}")


class CareerPosition(models.Model):
    """Where a person is now and where they want to go, in one framework (any level of any track)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="career_position")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="positions")
    current = models.CharField(max_length=200, blank=True)  # "track/level"
    target = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.person}: {self.current or '?'} -> {self.target or '?'}"

    @property
    def current_position(self) -> PositionData | None:
        return PositionData.parse(self.current) if self.current else None

    @property
    def target_position(self) -> PositionData | None:
        return PositionData.parse(self.target) if self.target else None


class SelfAssessment(models.Model):
    """A person's ratings of the criteria of one target position: {criterion id: {rating, evidence}}."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="self_assessments")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="assessments")
    target = models.CharField(max_length=200)
    ratings = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "framework", "target"], name="assessment_unique_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} against {self.target}"


class ProfileSnapshot(models.Model):
    """One dated talent-and-energy profile; a person keeps many, the newest is current."""

    SOURCES = [("questionnaire", "questionnaire"), ("experiment", "experiment outcome"),
               ("api", "API"), ("import", "file"), ("demo", "demo")]  # fmt: skip

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="profile_snapshots")
    taken_on = models.DateField()
    data = models.JSONField()  # Profile.to_dict(): the profile file format of docs/paths-fit.md
    source = models.CharField(max_length=20, choices=SOURCES, default="questionnaire")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_on", "-created_at", "-pk"]
        get_latest_by = ["taken_on", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.person} on {self.taken_on}"

    @cached_property
    def profile(self) -> Profile:
        return parse_profile_data(self.data, source=f"profile snapshot {self.pk}")


class CraftingPlan(models.Model):
    """The job-crafting plan a person accepted: hour shifts, relational and cognitive items."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="crafting_plans")
    role_id = models.CharField(max_length=100, blank=True)
    shifts = models.JSONField(default=list)  # [{"from": id, "to": id, "hours": 1.5}]
    relational = models.JSONField(default=list)  # [text]
    cognitive = models.JSONField(default=list)  # [text]
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Crafting plan of {self.person} ({self.created_at:%Y-%m-%d})"

    @property
    def hours_moved(self) -> float:
        return sum(float(s.get("hours", 0)) for s in self.shifts)


class Experiment(models.Model):
    """A time-boxed trial with a hypothesis, check-ins and an outcome that updates the profile."""

    STATUSES = [("running", "running"), ("done", "done"), ("abandoned", "abandoned")]

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="experiments")
    template_id = models.CharField(max_length=100)
    name = models.CharField(max_length=300)
    hypothesis = models.TextField()
    activities = models.JSONField(default=list)  # activity ids tried
    start = models.DateField()
    end = models.DateField()
    checkin_dates = models.JSONField(default=list)  # ISO dates
    status = models.CharField(max_length=20, choices=STATUSES, default="running")
    decision = models.CharField(max_length=20, blank=True)  # adopt | adapt | drop
    outcome = models.JSONField(default=dict, blank=True)  # {"energy": {...}, "skill": {...}, "notes": ""}
    ended_on = models.DateField(null=True, blank=True)
    snapshot = models.ForeignKey(
        ProfileSnapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the profile snapshot the outcome created
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.person})"

    @property
    def next_checkin(self) -> dt.date | None:
        done = {c.on for c in self.checkins.all()}
        for text in self.checkin_dates:
            day = dt.date.fromisoformat(text)
            if day not in done:
                return day
        return None


class CheckIn(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="checkins")
    on = models.DateField()
    note = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"Check-in {self.on} of {self.experiment}"
