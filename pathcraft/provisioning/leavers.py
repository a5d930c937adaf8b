"""A person leaves: what ends at once, what is kept, and who is shown the handover.

Called by SCIM (active false, DELETE) and `pathcraft people leave`. Everything goes through the owning app's
actions: feedback closes its requests (the release rule keeps a last batch below k hidden), growth ends the 1:1s
(notes stay under the same access rules: private ones for their author only), the API's tokens are revoked.
"""

from __future__ import annotations

import datetime as dt

import structlog
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pathcraft.api.models import ApiToken
from pathcraft.feedback.actions import close_cycles_of, close_request, revoke_invite
from pathcraft.feedback.models import FeedbackRequest, Invite
from pathcraft.growth.actions import end_relationship
from pathcraft.growth.models import Relationship
from pathcraft.people.models import Person
from pathcraft.provisioning.models import Departure

log = structlog.get_logger(__name__)


def end_sessions(user) -> int:
    """Delete the user's sessions now (the SSO middleware would also refuse them at the next request)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def offboard(person: Person, *, source: str = "scim", now: dt.datetime | None = None) -> Departure:
    now = now or timezone.now()
    today = timezone.localdate(now)
    ended = {"sessions": 0, "api_tokens": 0, "feedback_requests": 0, "feedback_links": 0, "feedback_cycles": 0,
             "one_on_ones": 0}  # fmt: skip
    person.is_active = False
    person.save(update_fields=["is_active"])
    user = person.user
    if user is not None:
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        ended["sessions"] = end_sessions(user)
        ended["api_tokens"] = ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=now)
    for request in FeedbackRequest.objects.filter(subject=person, closed_at=None):
        close_request(request, now=now)
        ended["feedback_requests"] += 1
    # Links to answer about others: unanswered ones stop working (revoking says nothing about any answer).
    for invite in Invite.objects.filter(person=person, answered=False, revoked_at=None).select_related(
        "request"
    ):
        revoke_invite(invite.request, invite.pk, now=now)
        ended["feedback_links"] += 1
    ended["feedback_cycles"] = close_cycles_of(person, now=now)
    for rel in Relationship.objects.filter(Q(manager=person) | Q(report=person), ended_on=None):
        end_relationship(rel, today)
        ended["one_on_ones"] += 1
    departure = Departure.objects.create(person=person, manager=person.manager, left_at=now, source=source,
                                         ended=ended)  # fmt: skip
    log.info("person_left", person_id=person.pk, source=source, **ended)
    return departure


@transaction.atomic
def reactivate(person: Person, now: dt.datetime | None = None) -> None:
    """Back (a provider re-enabled them, or rehired): they may sign in again. Revoked tokens, closed requests
    and ended 1:1s stay ended: new ones are made as for anyone."""
    now = now or timezone.now()
    person.is_active = True
    person.save(update_fields=["is_active"])
    if person.user is not None and not person.user.is_active:
        person.user.is_active = True
        person.user.save(update_fields=["is_active"])
    Departure.objects.filter(person=person, returned_at=None).update(returned_at=now)
    log.info("person_returned", person_id=person.pk)
