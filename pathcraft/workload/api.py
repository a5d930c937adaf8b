"""Workload in the JSON API: the same read side as the pages, through the permission core.

Never an individual's burnout scores except to that person; never meeting titles unless Kind.CALENDAR allows.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from pathcraft.api.pagination import paginated
from pathcraft.api.types import (
    KEY_LENGTH,
    Count,
    Name,
    Object,
    Objects,
    PathId,
    bounded_map,
    ok,
)
from pathcraft.errors import InputError
from pathcraft.people.models import Organisation, Person
from pathcraft.people.permissions import can_view, is_admin, person_of, require_view, visible_people
from pathcraft.people.policy import Kind
from pathcraft.workload import actions, cbi, health

router = Router(tags=["workload"])


def _viewer(request) -> Person:
    viewer = person_of(request.user)
    if viewer is None:
        raise PermissionDenied("this account is not linked to a person in the organisation")
    return viewer


def _jsonable(value: Any) -> Any:
    """Dataclasses, dates and model rows as plain JSON (people as {id, name})."""
    if isinstance(value, Person):
        return {"id": value.pk, "name": value.name}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return _jsonable(asdict(value))
    if hasattr(value, "_meta"):  # other model rows (teams, pulses)
        return str(value)
    return value


class Answers(Schema):
    answers: bounded_map(Name | Count | None)  # item id -> option key (or its number)


@router.get("/people/{person_id}", response=ok(Object, 403, 404))
def person_workload(request, person_id: PathId):
    """Weekly figures and signals (Kind.WORKLOAD); titles only with Kind.CALENDAR; burnout signals only for self."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    require_view(request.user, person, Kind.WORKLOAD)
    is_self = person_of(request.user) == person
    data = health.person_health(
        person, is_self=is_self, show_titles=is_self or can_view(request.user, person, Kind.CALENDAR)
    )
    return _jsonable(data)


@router.post("/me/calendar", response=ok(Object, 400, 403))
def upload_calendar(request, file: UploadedFile = File(...)):  # noqa: B008 (ninja declares uploads so)
    """Analyse your own .ics export; a broken file is a 400 with one line and nothing is stored."""
    viewer = _viewer(request)
    row = actions.import_calendar(viewer, file.read(), by=request.user)
    return {"id": row.pk, "weeks": len(row.weeks), "start": row.start.isoformat(), "end": row.end.isoformat()}


@router.post("/incidents", response=ok(Object, 400, 403))
def import_incidents(
    request,
    file: UploadedFile = File(...),  # noqa: B008 (ninja declares uploads so)
    format: Annotated[str, Form(max_length=KEY_LENGTH)] = "auto",  # noqa: A002 (the field's public name)
    kind: Annotated[str, Form(max_length=KEY_LENGTH)] = "oncall",
    assume_tz: Annotated[str, Form(max_length=KEY_LENGTH)] = "",
    organisation: Annotated[str, Form(max_length=KEY_LENGTH)] = "",
):
    """An administrator imports an incident export (PagerDuty, Opsgenie or CSV): all or nothing.

    400 gives `detail` (one line) and `problems` (each with its line or JSON place and field); nothing is stored.
    """
    if not is_admin(request.user):
        raise PermissionDenied("only an administrator may import incidents")
    viewer = person_of(request.user)
    if viewer is not None:
        org = viewer.organisation
    else:
        # A NUL byte cannot be looked up on PostgreSQL (its text cannot hold one): no such organisation either way.
        found = organisation and "\x00" not in organisation
        org = Organisation.objects.filter(slug=organisation).first() if found else None
        if org is None:
            raise InputError("give the organisation's slug as `organisation`")
    try:
        batch = actions.import_incidents(
            org, file.read(), source=file.name or "upload", by=request.user, fmt=format,
            default_kind=kind, assume_tz=assume_tz or None,
        )  # fmt: skip
    except InputError as exc:
        return Status(400, {"detail": str(exc).splitlines()[0], "problems": exc.problems})
    return {
        "id": batch.pk,
        "format": batch.format,
        "rows": batch.rows,
        "unknown_people": batch.unknown_people,
    }


@router.get("/me/burnout", response=ok(Object, 403))
def my_burnout(request):
    viewer = _viewer(request)
    require_view(request.user, viewer, Kind.BURNOUT)
    return _jsonable(health.own_scores(viewer))


@router.post("/me/burnout", response=ok(Object, 400, 403))
def answer_burnout(request, payload: Answers):
    viewer = _viewer(request)
    response = actions.submit_burnout(viewer, payload.answers, dt.date.today())
    return {"pulse": response.pulse.opens_on.isoformat(), "scores": response.scores()}


@router.get("/burnout/items", response=ok(Objects))
@paginated
def burnout_items(request):
    """The 19 questions and their answer options, in the wording shown."""
    inv = cbi.inventory()
    return [
        {"id": i.id, "scale": i.scale, "text": i.text,
         "options": [o.key for o in inv.response_sets[i.response_set]]}
        for i in inv.items
    ]  # fmt: skip


@router.get("/team", response=ok(Object, 403, 404))
def team(request):
    """The viewer's own team health: their load, reports' figures and signals, aggregates of >= k only."""
    viewer = _viewer(request)
    if not viewer.reports.exists():
        raise Http404("you have no direct reports")
    visible = set(visible_people(request.user, Kind.WORKLOAD).values_list("pk", flat=True))
    data = health.team_health(viewer, dt.date.today(), visible_ids=visible)
    data["own"]["calendar"] = (
        None  # the page links to "my workload" for that; keep the team payload figures only
    )
    return _jsonable(data)


@router.get("/org", response=ok(Object, 403))
def org(request):
    viewer = _viewer(request)
    return _jsonable(health.org_health(viewer.organisation, dt.date.today()))
