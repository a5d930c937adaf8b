"""State changes of peer feedback: one function each, called by pages, API, CLI and the demo alike.

Nothing here logs or returns which respondent gave which answer: ``submit_answer`` stores the
answer and marks the link used in one transaction, and neither row points at the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import structlog
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pathcraft.errors import InputError, PathcraftError
from pathcraft.feedback import emails, sources
from pathcraft.feedback import respondents as respondents_module
from pathcraft.feedback.anonymity import check_k
from pathcraft.feedback.defaults import load_defaults
from pathcraft.feedback.models import Answer, FeedbackRequest, Invite, TeamCycle, default_k
from pathcraft.feedback.questions import Questionnaire, build_questionnaire, validate_answer
from pathcraft.feedback.tokens import LinkRecord, check_link, expiry, hash_token, new_token
from pathcraft.people.models import Person
from pathcraft.people.permissions import set_share
from pathcraft.people.policy import Kind, Relation

log = structlog.get_logger(__name__)


class LinkError(InputError):
    """A respondent link that cannot be used; ``reason`` is unknown, revoked, answered, expired or closed."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


CLOSED_MESSAGE = "This feedback request is closed and no longer takes answers."


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _activities(activities: Iterable[str] | None) -> list[str]:
    labels = sources.activity_labels()
    chosen = list(dict.fromkeys(activities)) if activities is not None else sources.default_activities()
    unknown = [a for a in chosen if a not in labels]
    if unknown:
        raise InputError(f"unknown activit{'y' if len(unknown) == 1 else 'ies'}: {', '.join(unknown)}; "
                         f"choose from {', '.join(labels)}")  # fmt: skip
    if not chosen:
        raise InputError("choose at least one activity for your colleagues to rate")
    return chosen


def create_request(
    subject: Person,
    respondents: Iterable[Person | str],
    due: dt.date | None = None,
    *,
    k: int | None = None,
    activities: Iterable[str] | None = None,
    include_competencies: bool = False,
    competencies: Iterable[tuple[str, str]] | None = None,
    created_by=None,
    cycle: TeamCycle | None = None,
    now: dt.datetime | None = None,
) -> FeedbackRequest:
    """Create a request and email each respondent a private link (only the link's hash is kept)."""
    now = _now(now)
    k = check_k(default_k() if k is None else k)
    chosen_people = respondents_module.resolve(subject, respondents)
    if len(chosen_people) < k:
        raise InputError(
            f"ask at least {k} different people: results are shown only once {k} of them answered "
            f"(you named {len(chosen_people)})"
        )
    respondents_module.check_reask_window(subject, chosen_people, now)
    if due is not None and due < timezone.localdate(now):
        raise InputError(f"the due date {due.isoformat()} is in the past")
    chosen = _activities(activities)
    comp = list(competencies) if competencies is not None else []
    if include_competencies and not comp:
        comp = sources.framework_competencies(subject)
    if cycle is not None and not cycle.participants.filter(pk=subject.pk).exists():
        raise InputError(f"{subject.name} is not part of this feedback cycle")
    expires = expiry(now)
    with transaction.atomic():
        request = FeedbackRequest.objects.create(
            subject=subject, created_by=created_by, cycle=cycle, created_at=now, due=due, k=k,
            activities=chosen, include_competencies=include_competencies and bool(comp),
            competencies=[list(pair) for pair in comp],
        )  # fmt: skip
        links = []
        for respondent in chosen_people:
            if respondent.in_directory:
                token, token_hash = new_token()
                links.append((respondent.address, token))
                approval = Invite.Approval.DIRECTORY
            else:  # no link until someone above the subject vouches for the address
                token_hash, approval = None, Invite.Approval.PENDING
            Invite.objects.create(
                request=request, email=respondent.address, person=respondent.person,
                identity=respondent.identity, approval=approval, token_hash=token_hash,
                sent_at=now, expires_at=expires,
            )  # fmt: skip
        try:
            if links:
                emails.send_invitations(subject.name, links, due, expires, k=k)
        except Exception as exc:  # SMTP down: keep nothing rather than links nobody received
            raise PathcraftError(f"the invitations could not be sent, so nothing was saved: {exc}") from exc
    log.info("feedback_request_created", request_id=request.pk, invites=len(chosen_people),
             pending_approval=len(chosen_people) - len(links))  # fmt: skip
    return request


def questionnaire_for(request: FeedbackRequest) -> Questionnaire:
    labels = sources.activity_labels()
    competencies = [tuple(pair) for pair in request.competencies] if request.include_competencies else []
    return build_questionnaire({a: labels.get(a, a) for a in request.activities}, competencies)


def open_link(token: str, now: dt.datetime | None = None) -> Invite:
    """The invite behind a usable token, or LinkError with the reason (unknown, revoked, answered, ...)."""
    now = _now(now)
    invite = (
        Invite.objects.select_related("request", "request__subject")
        .filter(token_hash=hash_token(token))
        .first()
        if token
        else None
    )
    if invite is not None and not invite.counts:
        invite = None  # a pending or refused address has no link; never let one answer
    record = None
    if invite is not None:
        record = LinkRecord(invite.expires_at, now if invite.answered else None, invite.revoked_at)
    result = check_link(record, now)
    if not result.ok:
        raise LinkError(result.reason, result.message)
    if invite.request.is_closed:
        raise LinkError("closed", CLOSED_MESSAGE)
    return invite


def submit_answer(token: str, raw: Mapping[str, Any], now: dt.datetime | None = None) -> None:
    """Store one answer through a private link; the link then stops working. Returns nothing on purpose."""
    from pathcraft.feedback.results import current_release

    now = _now(now)
    with transaction.atomic():
        invite = open_link(token, now)
        # Lock the link, then the request: two answers through one link, or two answers taking the
        # same sequence number, cannot both get through.
        invite = Invite.objects.select_for_update().get(pk=invite.pk)
        request = FeedbackRequest.objects.select_for_update().get(pk=invite.request_id)
        if invite.answered or invite.revoked_at is not None or request.is_closed:
            raise LinkError("answered", "This link was just used or withdrawn; nothing was saved.")
        answer = validate_answer(raw, questionnaire_for(request))
        sequence = (request.answers.aggregate(top=Max("sequence"))["top"] or 0) + 1
        Answer.objects.create(
            request=request, sequence=sequence, ratings=answer.ratings, texts=answer.texts,
            competency_ratings=answer.competency_ratings,
        )  # fmt: skip
        invite.answered = True
        invite.save(update_fields=["answered"])
        # Keep the stored release state current, so every count read from it (admin) is the released one.
        current_release(request)
    # Deliberately no request id, invite id or sequence in the log: log times would pair them up.
    log.info("feedback_answer_stored")


def revoke_invite(request: FeedbackRequest, invite_id: int, now: dt.datetime | None = None) -> Invite:
    """Withdraw a link. The same whether or not it was used, so revoking reveals nothing."""
    invite = request.invites.filter(pk=invite_id).first()
    if invite is None:
        raise InputError(f"request {request.pk} has no respondent {invite_id}")
    if invite.revoked_at is None:
        invite.revoked_at = _now(now)
        invite.save(update_fields=["revoked_at"])
    return invite


def remind(request: FeedbackRequest | None = None, now: dt.datetime | None = None) -> int:
    """Email a fresh link to everyone who has not answered an open request; returns emails sent.

    Pages do not show the number to the subject (with revocations it would tell who answered).
    """
    now = _now(now)
    requests = (
        [request] if request is not None else list(FeedbackRequest.objects.filter(closed_at__isnull=True))
    )
    sent = 0
    for req in requests:
        if req.is_closed:
            raise InputError(f"request {req.pk} is closed; there is nobody to remind")
        with transaction.atomic():
            links = []
            waiting = req.invites.select_for_update().filter(
                answered=False, revoked_at__isnull=True, expires_at__gt=now, approval__in=Invite.COUNTED
            )
            for invite in waiting:
                token, token_hash = new_token()  # only hashes are stored, so a reminder carries a new link
                invite.token_hash, invite.reminded_at = token_hash, now
                invite.save(update_fields=["token_hash", "reminded_at"])
                links.append((invite.email, token))
            if links:
                expires = max(i.expires_at for i in waiting)
                sent += emails.send_invitations(
                    req.subject.name, links, req.due, expires, again=True, k=req.k
                )
    log.info("feedback_reminders_sent", requests=len(requests), emails=sent)
    return sent


def decide_invite(invite: Invite, user, approve: bool, now: dt.datetime | None = None) -> Invite:
    """A manager above the subject or an admin approves (the link is emailed then) or refuses an address.

    Approving vouches that the address is a different person from the subject and from everyone else
    asked: only then can its answer count towards k and move the results.
    """
    now = _now(now)
    if not respondents_module.can_approve(user, invite):
        raise PermissionDenied("Only a manager above this person or an admin can approve their respondents.")
    with transaction.atomic():
        invite = Invite.objects.select_for_update().select_related("request__subject").get(pk=invite.pk)
        if invite.approval != Invite.Approval.PENDING:
            raise InputError(f"{invite.email} was already {invite.get_approval_display()}; nothing changed")
        if invite.request.is_closed:
            raise InputError(f"request {invite.request_id} is closed; nothing changed")
        invite.decided_by, invite.decided_at = user, now
        if not approve:
            invite.approval = Invite.Approval.REFUSED
            invite.save(update_fields=["approval", "decided_by", "decided_at"])
        else:
            token, token_hash = new_token()
            invite.approval, invite.token_hash = Invite.Approval.APPROVED, token_hash
            invite.sent_at, invite.expires_at = now, expiry(now)
            invite.save(
                update_fields=["approval", "decided_by", "decided_at", "token_hash", "sent_at", "expires_at"]
            )
            request = invite.request
            emails.send_invitations(
                request.subject.name, [(invite.email, token)], request.due, invite.expires_at, k=request.k
            )
    log.info("feedback_respondent_decided", request_id=invite.request_id, approved=approve)
    return invite


def close_request(request: FeedbackRequest, now: dt.datetime | None = None) -> FeedbackRequest:
    """Stop taking answers; the release becomes final (a last batch below k stays hidden)."""
    from pathcraft.feedback.results import current_release

    if request.is_closed:
        raise InputError(f"request {request.pk} is already closed")
    request.closed_at = _now(now)
    request.save(update_fields=["closed_at"])
    current_release(request)  # store the final state now
    log.info("feedback_request_closed", request_id=request.pk)
    return request


def start_team_cycle(
    manager: Person, due: dt.date | None = None, created_by=None, now: dt.datetime | None = None
) -> TeamCycle:
    """Ask all of the manager's direct reports to collect feedback; each picks their own respondents."""
    now = _now(now)
    reports = list(manager.reports.filter(is_active=True).order_by("name"))
    if not reports:
        raise InputError(f"{manager.name} has no direct reports to start a feedback cycle for")
    if due is not None and due < timezone.localdate(now):
        raise InputError(f"the due date {due.isoformat()} is in the past")
    with transaction.atomic():
        cycle = TeamCycle.objects.create(manager=manager, created_by=created_by, created_at=now, due=due)
        cycle.participants.set(reports)
        emails.send_cycle_started(manager.name, [(p.name, p.email) for p in reports], due, cycle.pk)
    log.info("feedback_cycle_started", cycle_id=cycle.pk, reports=len(reports))
    return cycle


def close_cycles_of(manager: Person, now: dt.datetime | None = None) -> int:
    """The manager's open team cycles stop inviting their reports (the manager left). Requests already made in
    them stay open: they are about the reports."""
    closed = TeamCycle.objects.filter(manager=manager, closed_at=None).update(closed_at=_now(now))
    if closed:
        log.info("feedback_cycles_closed", manager_id=manager.pk, cycles=closed)
    return closed


def set_manager_consent(subject: Person, on: bool) -> None:
    """The subject lets their direct manager see the parts of their feedback they choose to share."""
    set_share(subject, Kind.FEEDBACK, Relation.MANAGER, on)


def set_share_choice(
    request: FeedbackRequest,
    activities: Iterable[str] = (),
    competencies: Iterable[str] = (),
    texts: Iterable[str] = (),
) -> FeedbackRequest:
    """What of this request the subject's manager may see (with consent): shown items only."""
    from pathcraft.feedback.results import current_release

    release = current_release(request)
    shown_activities = {s.key for s in release.activities if s.shown}
    shown_competencies = {s.key for s in release.competencies if s.shown}
    questions = {q.key for q in load_defaults().text_questions}
    activities, competencies, texts = sorted(set(activities)), sorted(set(competencies)), sorted(set(texts))
    problems = [
        f"activity {a!r} has no released results to share" for a in activities if a not in shown_activities
    ]
    problems += [
        f"competency {c!r} has no released results to share"
        for c in competencies
        if c not in shown_competencies
    ]
    problems += [f"unknown question {t!r}" for t in texts if t not in questions]
    if problems:
        raise InputError("the sharing choice was not saved", problems)
    request.share_activities, request.share_competencies, request.share_texts = (
        activities,
        competencies,
        texts,
    )
    request.save(update_fields=["share_activities", "share_competencies", "share_texts"])
    return request


def set_self_ratings(request: FeedbackRequest, ratings: Mapping[str, Any]) -> FeedbackRequest:
    """Store the subject's own rating (1-5, or empty) of the activities this request asks about."""
    defaults = load_defaults()
    low, high = defaults.scale_min, defaults.scale_max
    cleaned: dict[str, int] = {}
    problems = []
    for key, value in ratings.items():
        if key not in request.activities:
            problems.append(f"activity {key!r} is not part of this request")
            continue
        if value in (None, "", "not_seen"):
            continue
        number = int(value) if isinstance(value, str) and value.strip().isdigit() else value
        if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
            problems.append(f"self-rating for {key!r} is {value!r}; use a whole number from {low} to {high}")
            continue
        cleaned[key] = number
    if problems:
        raise InputError("the self-ratings were not saved", problems)
    request.self_ratings = cleaned
    request.save(update_fields=["self_ratings"])
    return request
