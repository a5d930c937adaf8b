"""The organisation: people, teams, reporting lines, accounts, invitations and sharing consents."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import timezone


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"{value!r} is not an IANA time zone (e.g. Europe/Berlin)") from exc


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)
    slug = models.SlugField()
    lead = models.ForeignKey(
        "Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="teams_led"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="team_slug_unique_in_org")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    title = models.CharField(max_length=200, blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    work_start = models.TimeField(default=dt.time(9, 0))
    work_end = models.TimeField(default=dt.time(17, 0))
    # ISO weekdays, Monday=1: "12345" is Monday to Friday.
    work_days = models.CharField(max_length=7, default="12345")
    location = models.CharField(max_length=200, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.manager_id and self.pk:
            if self.pk in {p.pk for p in _chain_from(self.manager_id)}:
                raise ValidationError({"manager": "This manager would create a cycle in reporting lines."})

    def manager_chain(self) -> list[Person]:
        """Managers above this person, nearest first (stops on a cycle rather than looping). One query.

        Starts from this object's own `manager_id`, so an unsaved change of manager is what the chain follows."""
        return _chain_from(self.manager_id, stop_at=self.pk)

    def all_reports(self) -> list[Person]:
        """Everyone below this person in the reporting lines, breadth first (one query)."""
        sql, params = _below_sql(self.pk)
        table = connection.ops.quote_name(self._meta.db_table)
        return list(
            Person.objects.raw(
                f"SELECT p.*, below.depth AS below_depth FROM {table} p JOIN ({sql}) below ON p.id = below.id"
                f" ORDER BY below.depth, p.name, p.id",
                params,
            )
        )


MAX_DEPTH = 200  # reporting lines deeper than this are a cycle, not an organisation


def _chain_from(manager_id: int | None, stop_at: int | None = None) -> list[Person]:
    """MANAGER_ID's person and the managers above them, nearest first, until the chain ends, meets STOP_AT or
    closes a cycle; one query."""
    if manager_id is None:
        return []
    table = connection.ops.quote_name(Person._meta.db_table)
    rows = Person.objects.raw(
        f"WITH RECURSIVE up(id, manager_id, depth) AS ("
        f" SELECT id, manager_id, 1 FROM {table} WHERE id = %s"
        f" UNION ALL SELECT p.id, p.manager_id, up.depth + 1 FROM {table} p JOIN up ON p.id = up.manager_id"
        f" WHERE up.depth < %s)"
        f" SELECT p.*, up.depth AS chain_depth FROM {table} p JOIN up ON p.id = up.id ORDER BY up.depth",
        [manager_id, MAX_DEPTH],
    )
    chain: list[Person] = []
    seen = {stop_at}
    for person in rows:
        if person.pk in seen:  # a cycle (clean() refuses them, an import might not): stop where it closes
            break
        chain.append(person)
        seen.add(person.pk)
    return chain


def _below_sql(root_id: int) -> tuple[str, list]:
    """Everyone below ROOT_ID with their depth (1 = a direct report), the root excluded even on a cycle."""
    table = connection.ops.quote_name(Person._meta.db_table)
    sql = (
        f"WITH RECURSIVE down(id, depth) AS ("
        f" SELECT id, 1 FROM {table} WHERE manager_id = %s"
        f" UNION SELECT p.id, down.depth + 1 FROM {table} p JOIN down ON p.manager_id = down.id"
        f" WHERE down.depth < %s)"
        f" SELECT id, MIN(depth) AS depth FROM down WHERE id <> %s GROUP BY id"
    )
    return sql, [root_id, MAX_DEPTH, root_id]


def below_ids(root_id: int) -> RawSQL:
    """A subquery of the ids of everyone below ROOT_ID, for `filter(pk__in=below_ids(...))`: no query of its own,
    whatever the size of the organisation."""
    sql, params = _below_sql(root_id)
    return RawSQL(f"SELECT id FROM ({sql}) below_ids", params)


def reach(root_id: int) -> dict[int, int]:
    """{person id: depth below ROOT_ID} for everyone below (1 = direct report), in one query."""
    sql, params = _below_sql(root_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: depth for pk, depth in cursor.fetchall()}


class Share(models.Model):
    """A person's consent that one relation (e.g. their manager) may see one kind of their data."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="shares")
    kind = models.CharField(max_length=40)
    relation = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "kind", "relation"], name="share_unique")]

    def __str__(self) -> str:
        return f"{self.person} shares {self.kind} with {self.relation}"


def _new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A link that lets a person create their account. Only the token's owner can use it, once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=_new_invitation_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Invitation for {self.person}"

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and now < self.expires_at
