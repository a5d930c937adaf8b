"""Feedback requests, private respondent links, anonymous answers and team cycles.

The storage rules of docs/feedback.md hold here by construction:

* an ``Answer`` row carries the request, a sequence number (the count at the time it was
  stored, never a timestamp) and its content; nothing links it to the ``Invite`` that sent it;
* an ``Invite`` stores only the hash of its token and whether it was used (a boolean, not a
  time: invites sorted by answer time would line up with answers sorted by sequence);
* raw answer content is sealed in backups (``BACKUP_SEALED_FIELDS``), so only this installation
  can restore it;
* the release state is stored per request so that every view is cut from the same release.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from pathcraft.feedback.defaults import load_defaults
from pathcraft.people.models import Person


def default_k() -> int:
    return settings.FEEDBACK_MIN_ANSWERS


def default_policy() -> str:
    return load_defaults().release_policy


def new_order_key() -> str:
    return secrets.token_hex(32)


class TeamCycle(models.Model):
    """A manager asks all their direct reports to collect feedback; each chooses their own respondents."""

    manager = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_cycles")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    due = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The reports at the start: people who join the team later are not part of this cycle.
    participants = models.ManyToManyField(Person, related_name="feedback_cycles_joined", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Feedback cycle of {self.manager} ({self.created_at:%Y-%m-%d})"


class FeedbackRequest(models.Model):
    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_requests")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cycle = models.ForeignKey(
        TeamCycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    created_at = models.DateTimeField(default=timezone.now)
    due = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    k = models.PositiveSmallIntegerField(default=default_k)
    release_policy = models.CharField(max_length=20, default=default_policy)
    include_competencies = models.BooleanField(default=False)
    activities = models.JSONField(default=list)  # activity ids asked about, in questionnaire order
    competencies = models.JSONField(default=list)  # [[id, label], ...] when include_competencies
    order_key = models.CharField(max_length=64, default=new_order_key)  # secret: orders the free texts
    release_state = models.JSONField(default=dict, blank=True)  # anonymity.ReleaseState.to_dict()
    # What the subject shares with their manager (anonymity.ShareChoice), on top of the consent.
    share_activities = models.JSONField(default=list, blank=True)
    share_competencies = models.JSONField(default=list, blank=True)
    share_texts = models.JSONField(default=list, blank=True)
    # Self-ratings entered on the calibration page (activity id -> 1..5); the profile is read too.
    self_ratings = models.JSONField(default=dict, blank=True)

    BACKUP_SEALED_FIELDS = ("order_key",)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Feedback for {self.subject} ({self.created_at:%Y-%m-%d})"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Invite(models.Model):
    """One respondent's private link. Nothing here says which answer it produced.

    ``identity`` is the person behind the address ("person:<id>" for someone in the directory,
    "mailbox:<canonical address>" otherwise, see ``addresses.mailbox``): one identity is asked once per
    request and not again by the same subject within the re-ask window. An address outside the directory
    gets no link until a manager above the subject or an admin approves it (``approval``), so the subject
    alone can never add answers that count.
    """

    class Approval(models.TextChoices):
        DIRECTORY = "directory", "in the directory"
        PENDING = "pending", "waiting for approval"
        APPROVED = "approved", "approved"
        REFUSED = "refused", "refused"

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="invites")
    email = models.EmailField()
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    identity = models.CharField(max_length=340)
    approval = models.CharField(max_length=10, choices=Approval.choices, default=Approval.DIRECTORY)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Empty while an outside address waits for approval: there is no link the subject could forward.
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    answered = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    # States whose link may answer; every stored answer therefore comes from one of these.
    COUNTED = (Approval.DIRECTORY, Approval.APPROVED)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["request", "email"], name="feedback_invite_once"),
            models.UniqueConstraint(fields=["request", "identity"], name="feedback_invite_identity_once"),
        ]

    def __str__(self) -> str:
        return f"Invite to {self.email}"

    @property
    def counts(self) -> bool:
        return self.approval in self.COUNTED


class Answer(models.Model):
    """One anonymous answer: request, sequence number, content. No respondent, no time."""

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="answers")
    sequence = models.PositiveIntegerField()  # 1, 2, 3 ... in the order stored: batching only, never shown
    ratings = models.JSONField(default=dict)  # activity id -> 1..5 or None ("have not seen")
    texts = models.JSONField(default=dict)  # question key -> text
    competency_ratings = models.JSONField(default=dict)

    BACKUP_SEALED_FIELDS = ("ratings", "texts", "competency_ratings")

    class Meta:
        ordering = ["request", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["request", "sequence"], name="feedback_answer_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"Answer {self.sequence} to request {self.request_id}"
