"""Review load over the JSON API: a team's load, a person's review stats, and storing a repository's events.

Every handler checks its object: a team, person or repository of another organisation is 404; a peer asking for a
person's review stats, or anyone outside a team asking for its load, is 403; storing events is for the
repository team's lead or an administrator."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import Http404
from ninja import Router, Schema
from pydantic import Field

from pathcraft.api.types import NAME_LENGTH, PathId, PathName, ok
from pathcraft.code.presenters import repository_for, require_manage
from pathcraft.errors import InputError
from pathcraft.people.models import Person
from pathcraft.reviews import actions, presenters
from pathcraft.reviews.events import Identity, ReviewEvent

router = Router(tags=["reviews"])


class PersonShare(Schema):
    person_id: int
    name: str
    given: int
    received: int
    share: float
    flagged: bool
    sustained: bool


class TeamLoadOut(Schema):
    team: str
    members: int
    total: int
    outside_team: int
    fair_share: float
    gini: float | None
    normalised_gini: float | None
    enough_data: bool
    sentence: str
    concentration_people: int
    concentration_share: float
    people: list[PersonShare]
    others: dict | None
    weeks: list[str]
    weekly_total: list[int]


@router.get("/teams/{team}", response=ok(TeamLoadOut, 403, 404))
def team_load(request, team: PathName):
    data = presenters.team_view(request.user, presenters.team_for(request.user, team))
    return {
        "team": data["team"].slug, "members": data["members"], "total": data["total"],
        "outside_team": data["outside_team"], "fair_share": data["fair_share_pct"] / 100,
        "gini": data["gini"], "normalised_gini": data["normalised_gini"],
        "enough_data": data["spread"]["enough_data"], "sentence": data["sentence"],
        "concentration_people": data["concentration_people"], "concentration_share": data["concentration_pct"] / 100,
        "people": [{"person_id": r["person_id"], "name": r["name"], "given": r["given"], "received": r["received"],
                    "share": round(r["share"], 3), "flagged": r["flagged"], "sustained": r["sustained"]}
                   for r in data["rows"]],
        "others": data["others"], "weeks": data["weeks"], "weekly_total": data["weekly_total"],
    }  # fmt: skip


class PersonStatsOut(Schema):
    person_id: int
    name: str
    team: str | None
    given: int
    team_total: int
    share: float
    fair_share: float
    flagged: bool
    sustained: bool
    received: int
    people_reviewed: int
    modules: list[tuple[str, int]]
    turnaround: dict
    outside_hours: int
    outside_known: int
    estimate: dict | None
    weeks: list[str]
    weekly: list[int]


@router.get("/people/{person_id}", response=ok(PersonStatsOut, 403, 404))
def person_stats(request, person_id: PathId):
    person = Person.objects.select_related("team").filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person")
    p = presenters.person_view(request.user, person)
    return {
        "person_id": person.pk, "name": person.name, "team": person.team.slug if person.team else None,
        "given": p["given"], "team_total": p["team_total"], "share": p["share_pct"] / 100,
        "fair_share": p["fair_share_pct"] / 100, "flagged": p["flagged"], "sustained": p["sustained"] is not None,
        "received": p["received"], "people_reviewed": p["people_reviewed"], "modules": p["modules"],
        "turnaround": p["turnaround"], "outside_hours": p["outside_hours"], "outside_known": p["outside_known"],
        "estimate": p["estimate"], "weeks": p["weeks"], "weekly": p["weekly"],
    }  # fmt: skip


# Bounds of a stored review (reviews/models.py's columns), so oversized input is a 422 naming the field.
MAX_EVENTS = 1000  # events in one request; a longer history is sent in several `incremental` requests
MAX_PATHS = 1000  # files of one change that count towards module knowledge
Short = Annotated[str, Field(max_length=20)]
Address = Annotated[str, Field(max_length=320)]
Label = Annotated[str, Field(max_length=NAME_LENGTH)]


class ReviewIdentityIn(Schema):  # not `IdentityIn`: the code app's schema of that name is another thing
    name: Label = ""
    email: Address = ""
    login: Label = ""


class EventIn(Schema):
    reviewer: ReviewIdentityIn
    author: ReviewIdentityIn
    at: datetime
    kind: Short
    change_id: Annotated[str, Field(max_length=300)]
    paths: Annotated[list[Annotated[str, Field(max_length=4096)]], Field(max_length=MAX_PATHS)] = []
    requested_at: datetime | None = None
    source: Annotated[str, Field(max_length=10)] = "git"


class StoreIn(Schema):
    mode: Short = actions.REPLACE
    events: Annotated[list[EventIn], Field(max_length=MAX_EVENTS)]


class StoreOut(Schema):
    repository: int
    mode: str
    events: int
    added: int


@router.post("/repositories/{repository_id}/events", response=ok(StoreOut, 400, 403, 404))
def store_events(request, repository_id: PathId, payload: StoreIn):
    repository = repository_for(request.user, repository_id)
    require_manage(request.user, repository.team)
    events = []
    for n, e in enumerate(payload.events, start=1):
        try:
            events.append(ReviewEvent(Identity(**e.reviewer.dict()), Identity(**e.author.dict()), e.at, e.kind,
                                      e.change_id, tuple(e.paths), e.requested_at, e.source))  # fmt: skip
        except ValueError as exc:
            raise InputError(f"event {n}: {exc}") from None
    state = actions.store_review_events(repository, events, payload.mode)
    return {"repository": repository.pk, "mode": state.mode, "events": state.events, "added": state.added}
