"""State changes of the organisation: one function each, called by pages, API and CLI alike."""

from __future__ import annotations

import datetime as dt

import structlog
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from pathcraft.errors import InputError
from pathcraft.people.csv_import import PersonRow, parse_people_csv
from pathcraft.people.models import Invitation, Organisation, Person, Team

log = structlog.get_logger(__name__)
INVITATION_DAYS = 14


def get_or_create_organisation(name: str = "My organisation", slug: str | None = None) -> Organisation:
    slug = slug or slugify(name) or "org"
    org, _ = Organisation.objects.get_or_create(slug=slug, defaults={"name": name})
    return org


def import_people_csv(org: Organisation, data: bytes | str) -> dict[str, int]:
    """Validate the whole file first, then write it in one transaction: all rows or none."""
    existing = dict(Person.objects.filter(organisation=org).values_list("email", "manager__email"))
    rows = parse_people_csv(data, existing_managers=existing)
    with transaction.atomic():
        counts = _apply_rows(org, rows)
    log.info("people_imported", organisation=org.slug, **counts)
    return counts


def _apply_rows(org: Organisation, rows: list[PersonRow]) -> dict[str, int]:
    created = updated = 0
    teams: dict[str, Team] = {}
    people: dict[str, Person] = {}
    for row in rows:
        team = None
        if row.team:
            key = slugify(row.team) or "team"
            if key not in teams:
                teams[key], _ = Team.objects.get_or_create(
                    organisation=org, slug=key, defaults={"name": row.team}
                )
            team = teams[key]
        person = Person.objects.filter(email__iexact=row.email).first()
        if person is not None and person.organisation_id != org.pk:
            raise InputError(
                f"line {row.line}: {row.email} belongs to another organisation; nothing was imported"
            )
        fields = dict(
            name=row.name, title=row.title, timezone=row.timezone, location=row.location, team=team,
            work_start=row.work_start, work_end=row.work_end, work_days=row.work_days,
        )  # fmt: skip
        if person is None:
            person = Person.objects.create(organisation=org, email=row.email, **fields)
            created += 1
        else:
            for key, value in fields.items():
                setattr(person, key, value)
            person.save()
            updated += 1
        people[row.email] = person
    for row in rows:
        person = people[row.email]
        manager = people.get(row.manager_email) or (
            Person.objects.get(organisation=org, email__iexact=row.manager_email)
            if row.manager_email
            else None
        )
        if person.manager_id != (manager.pk if manager else None):
            person.manager = manager
            person.save(update_fields=["manager"])
    return {"created": created, "updated": updated, "teams": len(teams)}


def create_invitation(person: Person, created_by=None, days: int = INVITATION_DAYS) -> Invitation:
    if person.user_id:
        raise InputError(f"{person.email} already has an account")
    invitation = Invitation.objects.create(
        person=person, created_by=created_by, expires_at=timezone.now() + dt.timedelta(days=days)
    )
    log.info("invitation_created", person_id=person.pk)
    return invitation


def accept_invitation(token: str, password: str):
    """Create the account for the invited person; the link works once and not after it expires."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(token=token).select_related("person").first()
        )
        if invitation is None or not invitation.is_usable():
            raise InputError("this invitation link is not valid any more (used, expired or unknown)")
        person = invitation.person
        if person.user_id:
            raise InputError("this person already has an account")
        user = get_user_model().objects.create_user(
            username=person.email, email=person.email, password=password
        )
        user.first_name = person.name[:150]
        user.save(update_fields=["first_name"])
        person.user = user
        person.save(update_fields=["user"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    log.info("invitation_accepted", person_id=person.pk)
    return user
