"""Peer feedback in the JSON API. Responses carry counts and released aggregates only, never raw answers.

Who may see what is decided by the permission core (Kind.FEEDBACK): the subject sees their release,
their direct manager the subset the subject shares (with consent), everyone else 403 (404 for
another organisation). Respondents answer through ``/answer/{token}`` without an account.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from pathcraft.api.pagination import paginated
from pathcraft.api.types import (
    MAX_IDS,
    EmailList,
    Id,
    IdList,
    KeyList,
    Object,
    Objects,
    PathId,
    PathKey,
    bounded_map,
    ok,
)
from pathcraft.feedback import actions, results
from pathcraft.feedback.models import FeedbackRequest, Invite, TeamCycle
from pathcraft.feedback.respondents import can_approve, pending_for
from pathcraft.people.models import Person
from pathcraft.people.permissions import can_view, person_of, visible_people
from pathcraft.people.policy import Kind

router = Router(tags=["feedback"])


class RequestIn(Schema):
    people: IdList = []  # person ids from the directory
    emails: EmailList = []
    due: dt.date | None = None
    k: Annotated[int, Field(ge=1, le=MAX_IDS)] | None = (
        None  # never more than the people one request may name
    )
    activities: KeyList | None = None
    cycle: Id | None = None
    include_competencies: bool = False  # also rate the competencies of the subject's current framework level


class ShareIn(Schema):
    consent: bool
    activities: KeyList = []
    competencies: KeyList = []
    texts: KeyList = []


class SelfRatingsIn(Schema):
    ratings: bounded_map(
        Annotated[int, Field(ge=1, le=5)] | None
    )  # activity id -> 1..5, or null: "not rated"


class CycleIn(Schema):
    due: dt.date | None = None


def _viewer(request) -> Person:
    viewer = person_of(request.user)
    if viewer is None:
        raise PermissionDenied(
            "feedback is for people in the organisation; this account is not linked to a person"
        )
    return viewer


def _request(request_id: int) -> FeedbackRequest:
    found = FeedbackRequest.objects.select_related("subject").filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


def _subject_view(req: FeedbackRequest) -> dict[str, Any]:
    return results.public_view(req, results.current_release(req))


@router.get("/requests", response=ok(Objects, 403))
@paginated
def list_requests(request):
    """Your own requests: counts and what is released of each."""
    viewer = _viewer(request)
    return [
        _subject_view(req) for req in FeedbackRequest.objects.filter(subject=viewer).select_related("subject")
    ]


@router.post("/requests", response=ok(Object, 400, 403, 404, status=201))
def create_request(request, data: RequestIn):
    viewer = _viewer(request)
    colleagues = visible_people(request.user, Kind.DIRECTORY).filter(pk__in=data.people)
    missing = sorted(set(data.people) - set(colleagues.values_list("pk", flat=True)))
    if missing:
        raise Http404
    cycle = None
    if data.cycle is not None:
        cycle = TeamCycle.objects.filter(pk=data.cycle, participants=viewer).first()
        if cycle is None:
            raise Http404
    req = actions.create_request(
        viewer, [*colleagues, *data.emails], data.due, k=data.k, activities=data.activities,
        created_by=request.user, cycle=cycle, include_competencies=data.include_competencies,
    )  # fmt: skip
    return Status(201, _subject_view(req))


@router.get("/requests/{request_id}", response=ok(Object, 403, 404))
def get_request(request, request_id: PathId):
    """The subject's view, or (for their manager, with consent) the shared subset."""
    req = _request(request_id)
    role = results.viewer_role(request.user, req)
    full = results.current_release(req)
    if role == "manager":
        shared = results.manager_release(req, full)
        return {"id": req.pk, "subject": req.subject.name, "shared": True, "results": shared.to_public_dict()}
    return {**results.public_view(req, full), "shared": False}


@router.get("/requests/{request_id}/calibration", response=ok(Object, 403, 404))
def get_calibration(request, request_id: PathId):
    req = _request(request_id)
    results.require_subject(request.user, req)
    return results.calibration_dict(results.calibration_for(req))


@router.put("/requests/{request_id}/self-ratings", response=ok(Object, 400, 403, 404))
def put_self_ratings(request, request_id: PathId, data: SelfRatingsIn):
    req = _request(request_id)
    results.require_subject(request.user, req)
    actions.set_self_ratings(req, data.ratings)
    return results.calibration_dict(results.calibration_for(req))


@router.put("/requests/{request_id}/share", response=ok(Object, 400, 403, 404))
def put_share(request, request_id: PathId, data: ShareIn):
    req = _request(request_id)
    results.require_subject(request.user, req)
    actions.set_manager_consent(req.subject, data.consent)
    actions.set_share_choice(req, data.activities, data.competencies, data.texts)
    return {"consent": data.consent, "activities": req.share_activities, "competencies": req.share_competencies,
            "texts": req.share_texts}  # fmt: skip


@router.post("/requests/{request_id}/remind", response=ok(Object, 400, 403, 404))
def post_remind(request, request_id: PathId):
    req = _request(request_id)
    results.require_subject(request.user, req)
    actions.remind(req)
    return {"reminded": True}  # no number: with withdrawn links it would tell who answered


@router.post("/requests/{request_id}/close", response=ok(Object, 400, 403, 404))
def post_close(request, request_id: PathId):
    req = _request(request_id)
    results.require_subject(request.user, req)
    actions.close_request(req)
    return _subject_view(req)


@router.post("/requests/{request_id}/respondents/{invite_id}/revoke", response=ok(Object, 400, 403, 404))
def post_revoke(request, request_id: PathId, invite_id: PathId):
    req = _request(request_id)
    results.require_subject(request.user, req)
    invite = actions.revoke_invite(req, invite_id)
    return {"email": invite.email, "revoked": True}


@router.get("/requests/{request_id}/respondents", response=ok(Objects, 403, 404))
@paginated
def get_respondents(request, request_id: PathId):
    """Whom the subject asked, and which links were withdrawn: never whether someone answered."""
    req = _request(request_id)
    results.require_subject(request.user, req)
    return [
        {"id": i.pk, "email": i.email, "approval": i.approval, "revoked": i.revoked_at is not None}
        for i in req.invites.order_by("email")
    ]


class DecisionIn(Schema):
    approve: bool


def _approval_row(invite) -> dict[str, Any]:
    return {"id": invite.pk, "request_id": invite.request_id, "subject": invite.request.subject.name,
            "email": invite.email, "approval": invite.approval}  # fmt: skip


@router.get("/approvals", response=ok(Objects))
@paginated
def list_approvals(request):
    """Outside addresses waiting for your approval (you manage the subject, directly or above, or are an admin)."""
    return [_approval_row(i) for i in pending_for(request.user)]


@router.post("/approvals/{invite_id}", response=ok(Object, 400, 403, 404))
def post_approval(request, invite_id: PathId, data: DecisionIn):
    """Approve (the link is emailed) or refuse one outside address; 404 unless you may decide it."""
    invite = Invite.objects.select_related("request__subject").filter(pk=invite_id).first()
    if invite is None or not can_approve(request.user, invite):
        raise Http404
    return _approval_row(actions.decide_invite(invite, request.user, data.approve))


def _cycle(user, cycle: TeamCycle) -> dict[str, Any]:
    rows = []
    for person in cycle.participants.order_by("name"):
        req = cycle.requests.filter(subject=person).order_by("-created_at").first()
        counts = results.progress(req) if req else None
        rows.append({"person_id": person.pk, "name": person.name, "request_id": req.pk if req else None,
                     "asked": counts["asked"] if counts else 0, "answered": counts["answered"] if counts else 0,
                     "shared_with_you": bool(req) and can_view(user, person, Kind.FEEDBACK)})  # fmt: skip
    return {"id": cycle.pk, "created": cycle.created_at.date().isoformat(),
            "due": cycle.due.isoformat() if cycle.due else None, "reports": rows}  # fmt: skip


@router.get("/cycles", response=ok(Objects, 403))
@paginated
def list_cycles(request):
    """Cycles you started as a manager, with counts per report."""
    viewer = _viewer(request)
    return [_cycle(request.user, c) for c in TeamCycle.objects.filter(manager=viewer)]


@router.post("/cycles", response=ok(Object, 400, 403, status=201))
def post_cycle(request, data: CycleIn):
    viewer = _viewer(request)
    cycle = actions.start_team_cycle(viewer, data.due, created_by=request.user)
    return Status(201, _cycle(request.user, cycle))


class AnswerIn(Schema):
    ratings: bounded_map(Any) = {}
    texts: bounded_map(Any) = {}
    competency_ratings: bounded_map(Any) = {}


def _link_or_error(token: str):
    try:
        return actions.open_link(token)
    except actions.LinkError as exc:
        if exc.reason == "unknown":
            raise Http404 from exc
        raise


@router.get("/answer/{token}", auth=None, response=ok(Object, 400, 404))
def get_questions(request, token: PathKey):
    """The questions behind a respondent's link (no account needed)."""
    invite = _link_or_error(token)
    q = actions.questionnaire_for(invite.request)
    return {
        "subject": invite.request.subject.name,
        "due": invite.request.due.isoformat() if invite.request.due else None,
        "texts": [{"key": key, "label": label} for key, label, _ in q.text_questions],
        "activities": [{"key": a.key, "label": a.label} for a in q.activities],
        "competencies": [{"key": c.key, "label": c.label} for c in q.competencies],
        "scale": [{"value": v, "label": label} for v, label in q.scale],
    }


@router.post("/answer/{token}", auth=None, response=ok(Object, 400, 404, status=201))
def post_answer(request, token: PathKey, data: AnswerIn):
    _link_or_error(token)
    actions.submit_answer(token, data.dict())
    return Status(201, {"saved": True})
