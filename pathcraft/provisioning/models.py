"""SCIM provisioning: the tokens an identity provider uses, what it said about each person and team, and the
record of each leaver (what their leaving ended, and whom to show the handover)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from pathcraft.api.models import new_token
from pathcraft.people.models import Organisation, Person, Team

TOKEN_PREFIX = "pcscim_"


class ScimToken(models.Model):
    """A bearer token for /scim/v2/ of one organisation. It opens nothing else: the JSON API's tokens live in
    another table, and this one is only read by the SCIM endpoint. Only the hash is stored."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="scim_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"SCIM token {self.name} ({self.organisation})"

    @classmethod
    def issue(cls, organisation: Organisation, name: str) -> tuple[ScimToken, str]:
        """Create a token; the clear text is returned once and never stored."""
        token, token_hash = new_token(TOKEN_PREFIX)
        return cls.objects.create(organisation=organisation, name=name, token_hash=token_hash), token


class ScimUser(models.Model):
    """What the identity provider last sent about a person, beyond the person's own fields (userName,
    externalId, department, name parts...). The person's fields stay the truth for what pathcraft shows."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="scim")
    user_name = models.CharField(max_length=255, db_index=True)
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)  # the SCIM resource as sent, without id, meta, password
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)  # DELETE: a leaver kept for history, 404 to SCIM

    def __str__(self) -> str:
        return f"SCIM user {self.user_name}"


class ScimGroup(models.Model):
    """A SCIM group is a pathcraft team. DELETE hides the group from SCIM but keeps the team (its repositories,
    history and members stay)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="scim")
    provisioned = models.BooleanField(default=False)  # written by a provider (not only a team made on a page)
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"SCIM group {self.team}"


class Departure(models.Model):
    """A person left (SCIM active=false or DELETE, or the CLI). Their manager at that moment is shown the
    handover; `ended` counts what leaving closed, so the page can say it without reading anyone's content."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="departures")
    manager = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    left_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=20, default="scim")
    ended = models.JSONField(default=dict, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-left_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} left on {self.left_at:%Y-%m-%d}"
