"""Who may answer a feedback request, and who may approve an address outside the directory.

The batching rule (anonymity.release) is sound only if every answer in a batch comes from a distinct
person who is not the subject. This module makes that so before any link exists:

* an address is reduced to the mailbox it reaches (``addresses.mailbox``) and matched against the
  organisation's directory and the people's known aliases (confirmed git identities of the code app);
* the subject's own mailboxes, in any spelling, are refused;
* one person is asked once, however many of their addresses are given;
* an address that is nobody in the directory is *pending*: it gets no link until a manager above the
  subject or an admin approves it (``can_approve``);
* nobody the subject asked within the re-ask window is asked again, so two requests to the same people
  cannot be compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet

from pathcraft.errors import InputError
from pathcraft.feedback.addresses import mailbox
from pathcraft.feedback.defaults import load_defaults
from pathcraft.feedback.models import Invite
from pathcraft.people.models import Person, below_ids
from pathcraft.people.permissions import is_admin, person_of


@dataclass(frozen=True)
class Respondent:
    address: str  # where the link goes, as typed (lower case)
    person: Person | None  # None: outside the directory, needs approval
    identity: str  # "person:<id>" or "mailbox:<canonical>"

    @property
    def in_directory(self) -> bool:
        return self.person is not None


def canonical(address: str) -> str:
    return mailbox(address, load_defaults().email_dot_blind_domains)


def directory_mailboxes(organisation_id: int) -> dict[str, Person]:
    """Canonical mailbox -> person, for the organisation's people and their confirmed aliases (2 queries)."""
    people = {p.pk: p for p in Person.objects.filter(organisation_id=organisation_id)}
    found = {canonical(p.email): p for p in people.values()}
    if apps.is_installed("pathcraft.code"):
        # The code app's confirmed identities are people's other addresses (git commit emails).
        identity_model = apps.get_model("code", "IdentityMatch")
        rows = identity_model.objects.filter(
            organisation_id=organisation_id, confirmed=True, rejected=False
        ).values_list("email", "person_id")
        for email, person_id in rows:
            if person_id in people:
                found.setdefault(canonical(email), people[person_id])
    return found


OWN_ADDRESS = (
    "{name} cannot be their own respondent ({address} reaches {name}'s own mailbox): feedback comes from "
    "other people (your own view goes into the self-ratings on the calibration page)"
)


def resolve(subject: Person, items: Iterable[Person | str]) -> list[Respondent]:
    """Respondents from people and typed addresses; every problem is listed at once."""
    directory = directory_mailboxes(subject.organisation_id)
    problems: list[str] = []
    chosen: dict[str, Respondent] = {}
    for item in items:
        if isinstance(item, Person):
            if item.organisation_id != subject.organisation_id:
                problems.append(f"{item.name} is not in {subject.name}'s organisation")
                continue
            address, person = item.email.strip().lower(), item
        else:
            address = str(item).strip().lower()
            if not address:
                continue
            try:
                validate_email(address)
            except ValidationError:
                problems.append(f"{item!r} is not an email address")
                continue
            person = directory.get(canonical(address))
        if (person is not None and person.pk == subject.pk) or directory.get(canonical(address)) == subject:
            problems.append(OWN_ADDRESS.format(name=subject.name, address=address))
            continue
        identity = f"person:{person.pk}" if person is not None else f"mailbox:{canonical(address)}"
        if person is not None:
            address = person.email.strip().lower()  # the link goes to the directory address, not an alias
        chosen.setdefault(identity, Respondent(address, person, identity))
    if problems:
        raise InputError("the feedback request was not sent", problems)
    return list(chosen.values())


def check_reask_window(subject: Person, respondents: list[Respondent], now: dt.datetime) -> None:
    """Refuse anyone this subject asked within the window (refused outside addresses never had a link)."""
    days = load_defaults().reask_window_days
    since = now - dt.timedelta(days=days)
    earlier = (
        Invite.objects.filter(
            request__subject=subject,
            request__created_at__gt=since,
            identity__in=[r.identity for r in respondents],
        )
        .exclude(approval=Invite.Approval.REFUSED)
        .values_list("identity", "request__created_at")
    )
    last: dict[str, dt.datetime] = {}
    for identity, created in earlier:
        last[identity] = max(created, last.get(identity, created))
    if not last:
        return
    problems = [
        f"{r.address} was asked on {last[r.identity].date().isoformat()}; ask again from "
        f"{(last[r.identity] + dt.timedelta(days=days)).date().isoformat()}"
        for r in respondents
        if r.identity in last
    ]
    raise InputError(
        f"the feedback request was not sent: nobody can be asked twice within {days} days, because a "
        "second request to the same people could be compared with the first",
        problems,
    )


def can_approve(user, invite: Invite) -> bool:
    """A manager above the subject, or an admin of the organisation; never the subject."""
    subject = invite.request.subject
    viewer = person_of(user)
    if viewer is not None and viewer.pk == subject.pk:
        return False
    if is_admin(user) and (viewer is None or viewer.organisation_id == subject.organisation_id):
        return True
    return viewer is not None and any(m.pk == viewer.pk for m in subject.manager_chain())


def pending_for(user) -> QuerySet[Invite]:
    """Outside addresses waiting for this viewer's decision, on open requests."""
    waiting = Invite.objects.filter(
        approval=Invite.Approval.PENDING, request__closed_at__isnull=True
    ).select_related("request__subject")
    viewer = person_of(user)
    if is_admin(user):
        scoped = (
            waiting if viewer is None else waiting.filter(request__subject__organisation=viewer.organisation)
        )
    elif viewer is None:
        return waiting.none()
    else:
        scoped = waiting.filter(request__subject__in=below_ids(viewer.pk))  # a subquery at any size
    if viewer is not None:
        scoped = scoped.exclude(request__subject=viewer)
    return scoped.order_by("request__subject__name", "request_id", "email")
