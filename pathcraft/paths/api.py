"""Career paths in the JSON API (/api/paths/): thin handlers over the permission core and the engines.

Reading a person's data needs Kind.CAREER (self, or a manager the person shared with); changing it
is for the person themself. Shapes follow `pathcraft fit --json` and the profile file format.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from pathcraft.api.pagination import paginated
from pathcraft.api.types import (
    MAX_ITEMS,
    Count,
    Key,
    Name,
    Object,
    Objects,
    PathId,
    PathKey,
    QueryKey,
    Text,
    bounded_map,
    ok,
)
from pathcraft.paths import actions
from pathcraft.paths.activities import load_activities
from pathcraft.paths.career import (
    career_experiment,
    career_person,
    crafting_proposal,
    fit_results,
    framework_for,
    frameworks_for,
    latest_profile,
    position_view,
)
from pathcraft.paths.fit import compare_roles, comparison_to_dict, fit_to_dict
from pathcraft.paths.frameworks import framework_to_data
from pathcraft.paths.models import CraftingPlan, Experiment, ProfileSnapshot
from pathcraft.paths.roles import load_roles

router = Router(tags=["career paths"])


# --- schemas ---------------------------------------------------------------------------------


class SnapshotOut(Schema):
    id: int
    taken_on: dt.date
    source: str
    profile: dict[str, Any]

    @staticmethod
    def resolve_profile(obj: ProfileSnapshot) -> dict:
        return obj.data


class ProfileIn(Schema):
    """The profile file format of docs/paths-fit.md, as JSON."""

    activities: bounded_map(bounded_map(Any, 20))
    current_role: Key | None = None
    taken_on: dt.date | None = None
    colleagues: Annotated[list[bounded_map(Any, 20)], Field(max_length=MAX_ITEMS)] = []


class CheckInOut(Schema):
    on: dt.date
    note: str


class ExperimentOut(Schema):
    id: int
    person_id: int
    template_id: str
    name: str
    hypothesis: str
    activities: list[str]
    start: dt.date
    end: dt.date
    checkin_dates: list[dt.date]
    status: str
    decision: str
    outcome: dict[str, Any]
    ended_on: dt.date | None
    checkins: list[CheckInOut]

    @staticmethod
    def resolve_checkins(obj: Experiment) -> list:
        return list(obj.checkins.all())


class ExperimentIn(Schema):
    template: Key
    start: dt.date
    hypothesis: Text = ""
    duration_weeks: Annotated[int, Field(ge=1, le=520)] | None = None  # at most ten years
    target_role: Key | None = None


class ExperimentPatch(Schema):
    hypothesis: Text | None = None
    status: Key | None = None  # only "abandoned" may be set by hand; "done" comes with an outcome


class CheckInIn(Schema):
    on: dt.date
    note: Text


class OutcomeIn(Schema):
    ended_on: dt.date
    energy: bounded_map(Annotated[int, Field(ge=-MAX_ITEMS, le=MAX_ITEMS)]) = {}
    skill: bounded_map(Annotated[int, Field(ge=-MAX_ITEMS, le=MAX_ITEMS)]) = {}
    decision: Key = "adapt"
    notes: Text = ""


class PlanOut(Schema):
    id: int
    role_id: str
    shifts: list[dict[str, Any]]
    relational: list[str]
    cognitive: list[str]
    note: str
    created_at: dt.datetime


class PlanIn(Schema):
    note: Text = ""
    shifts: Annotated[list[Count], Field(max_length=MAX_ITEMS)] | None = (
        None  # indexes into the proposal's shifts; all when left out
    )


class PositionIn(Schema):
    framework: Key | None = None  # framework key; the current or the organisation's one if left out
    current: Name = ""
    target: Name = ""


class AssessmentIn(Schema):
    ratings: bounded_map(Any)  # criterion id -> "met" | {"rating": "met", "evidence": "..."}


class FrameworkOut(Schema):
    key: str
    name: str
    source_format: str
    source_file: str
    tracks: int
    levels: int
    criteria: int
    is_active: bool


# --- catalogues ------------------------------------------------------------------------------


@router.get("/activities", response=ok(Objects))
@paginated
def activities(request):
    return [{"id": a.id, "name": a.name, "description": a.description, "group": a.group}
            for a in load_activities()]  # fmt: skip


@router.get("/roles", response=ok(Objects))
@paginated
def roles(request):
    catalogue = load_roles()
    return [{"id": r.id, "name": r.name, "summary": r.summary, "skills": list(r.skills), "mix": r.mix,
             "sources": [catalogue.sources[s].citation for s in r.source_ids],
             "estimate_reason": r.estimate_reason} for r in catalogue]  # fmt: skip


# --- profile, fit, strengths --------------------------------------------------------------------


def _profile_or_404(person):
    _snapshot, profile = latest_profile(person)
    if profile is None:
        raise Http404
    return profile


@router.get("/people/{person_id}/profile", response=ok(SnapshotOut, 403, 404))
def get_profile(request, person_id: PathId):
    person = career_person(request.user, person_id)
    snapshot, _profile = latest_profile(person)
    if snapshot is None:
        raise Http404
    return snapshot


@router.put("/people/{person_id}/profile", response=ok(SnapshotOut, 400, 403, 404))
def put_profile(request, person_id: PathId, payload: ProfileIn):
    person = career_person(request.user, person_id, edit=True)
    data = payload.dict(exclude_none=True)
    if data.get("taken_on"):
        data["taken_on"] = data["taken_on"].isoformat()
    if not data.get("colleagues"):
        data.pop("colleagues", None)
    return actions.save_profile(person, data, source="api")


@router.get("/people/{person_id}/profiles", response=ok(list[SnapshotOut], 403, 404))
@paginated
def profile_history(request, person_id: PathId):
    person = career_person(request.user, person_id)
    return ProfileSnapshot.objects.filter(person=person)


@router.get("/people/{person_id}/fit", response=ok(Object, 403, 404))
def fit(request, person_id: PathId, top: Count | None = None):
    person = career_person(request.user, person_id)
    found = fit_results(_profile_or_404(person))
    return {"format": 1, "roles": [fit_to_dict(f) for f in found.fits[:top] if f]}


@router.get("/people/{person_id}/fit/compare", response=ok(Object, 400, 403, 404))
def fit_compare(request, person_id: PathId, a: QueryKey = None, b: QueryKey = None):
    """Two roles side by side (default: the two best): effectively tied or not, and what tips the balance."""
    person = career_person(request.user, person_id)
    profile = _profile_or_404(person)
    if a is None or b is None:
        best = fit_results(profile).fits
        a = a or best[0].role_id
        b = b or next(f.role_id for f in best if f.role_id != a)
    return {"format": 1, **comparison_to_dict(compare_roles(profile, a, b))}


@router.get("/people/{person_id}/strengths", response=ok(Objects, 403, 404))
@paginated
def strengths(request, person_id: PathId):
    person = career_person(request.user, person_id)
    found = fit_results(_profile_or_404(person))
    return [{"activity": s.activity_id, "class": s.category, "label": s.label, "reason": s.reason,
             "skill": s.skill, "energy": s.energy, "hours": s.hours} for s in found.strengths]  # fmt: skip


# --- crafting --------------------------------------------------------------------------------


@router.get("/people/{person_id}/crafting", response=ok(Object, 403, 404))
def crafting(request, person_id: PathId):
    person = career_person(request.user, person_id)
    _snapshot, profile = latest_profile(person)
    accepted = CraftingPlan.objects.filter(person=person).first()
    proposal = crafting_proposal(profile) if profile else None
    return {
        "accepted": PlanOut.from_orm(accepted).dict() if accepted else None,
        "proposal": None if proposal is None else {
            "role_id": proposal.role_id, "total_hours": proposal.total_hours,
            "shifts": [{"from": s.from_activity, "to": s.to_activity, "hours": s.hours} for s in proposal.shifts],
            "drain_share_before": round(proposal.drain_share_before, 3),
            "drain_share_after": round(proposal.drain_share_after, 3),
            "relational": [r.text for r in proposal.relational],
            "cognitive": [c.text for c in proposal.cognitive], "notes": list(proposal.notes),
        },
    }  # fmt: skip


@router.post("/people/{person_id}/crafting", response=ok(PlanOut, 400, 403, 404, status=201))
def accept_crafting(request, person_id: PathId, payload: PlanIn):
    person = career_person(request.user, person_id, edit=True)
    proposal = crafting_proposal(_profile_or_404(person))
    return Status(201, actions.accept_crafting_plan(person, proposal, payload.note, payload.shifts))


# --- experiments -----------------------------------------------------------------------------


@router.get("/people/{person_id}/experiments", response=ok(list[ExperimentOut], 403, 404))
@paginated
def list_experiments(request, person_id: PathId):
    person = career_person(request.user, person_id)
    return Experiment.objects.filter(person=person).prefetch_related("checkins")


@router.post("/people/{person_id}/experiments", response=ok(ExperimentOut, 400, 403, 404, status=201))
def create_experiment(request, person_id: PathId, payload: ExperimentIn):
    person = career_person(request.user, person_id, edit=True)
    experiment = actions.start_experiment(person, payload.template, payload.start, payload.hypothesis,
                                          payload.duration_weeks, payload.target_role)  # fmt: skip
    return Status(201, experiment)


@router.get("/experiments/{experiment_id}", response=ok(ExperimentOut, 403, 404))
def get_experiment(request, experiment_id: PathId):
    return career_experiment(request.user, experiment_id)


@router.patch("/experiments/{experiment_id}", response=ok(ExperimentOut, 400, 403, 404))
def update_experiment(request, experiment_id: PathId, payload: ExperimentPatch):
    from pathcraft.errors import InputError

    experiment = career_experiment(request.user, experiment_id, edit=True)
    if payload.hypothesis is not None:
        if not payload.hypothesis.strip():
            raise InputError("the hypothesis cannot be empty")
        experiment.hypothesis = payload.hypothesis.strip()
    if payload.status is not None:
        if payload.status != "abandoned" or experiment.status != "running":
            raise InputError(
                "only a running experiment can be set to 'abandoned'; record an outcome to finish it"
            )
        experiment.status = "abandoned"
    experiment.save()
    return experiment


@router.delete("/experiments/{experiment_id}", response=ok(None, 403, 404, status=204))
def delete_experiment(request, experiment_id: PathId):
    career_experiment(request.user, experiment_id, edit=True).delete()
    return Status(204, None)


@router.post("/experiments/{experiment_id}/checkins", response=ok(CheckInOut, 400, 403, 404, status=201))
def add_checkin(request, experiment_id: PathId, payload: CheckInIn):
    experiment = career_experiment(request.user, experiment_id, edit=True)
    return Status(201, actions.add_checkin(experiment, payload.on, payload.note))


@router.post("/experiments/{experiment_id}/outcome", response=ok(SnapshotOut, 400, 403, 404))
def outcome(request, experiment_id: PathId, payload: OutcomeIn):
    experiment = career_experiment(request.user, experiment_id, edit=True)
    return actions.record_outcome(experiment, payload.ended_on, payload.energy, payload.skill,
                                  payload.decision, payload.notes)  # fmt: skip


# --- frameworks, position, assessment, readiness ---------------------------------------------------


@router.get("/frameworks", response=ok(list[FrameworkOut]))
@paginated
def list_frameworks(request):
    return frameworks_for(request.user)


@router.get("/frameworks/{key}", response=ok(Object, 403, 404))
def get_framework(request, key: PathKey):
    row = framework_for(request.user, key)
    return {"key": row.key, "is_active": row.is_active, "framework": framework_to_data(row.data)}


def _position_out(person) -> dict:
    view = position_view(person)
    if view.position is None:
        return {"framework": None, "current": None, "target": None}
    return {"framework": view.framework.key, "current": view.position.current or None,
            "target": view.position.target or None}  # fmt: skip


@router.get("/people/{person_id}/position", response=ok(Object, 403, 404))
def get_position(request, person_id: PathId):
    return _position_out(career_person(request.user, person_id))


@router.put("/people/{person_id}/position", response=ok(Object, 400, 403, 404))
def put_position(request, person_id: PathId, payload: PositionIn):
    person = career_person(request.user, person_id, edit=True)
    if payload.framework:
        framework = framework_for(request.user, payload.framework)
    else:
        view = position_view(person)
        framework = view.framework or actions.active_framework(person.organisation)
    actions.set_position(person, framework, payload.current, payload.target)
    return _position_out(person)


@router.get("/people/{person_id}/assessment", response=ok(Object, 403, 404))
def get_assessment(request, person_id: PathId):
    view = position_view(career_person(request.user, person_id))
    if view.position is None or not view.position.target:
        raise Http404
    return {"target": view.position.target, "ratings": view.assessment.ratings if view.assessment else {}}


@router.put("/people/{person_id}/assessment", response=ok(Object, 400, 403, 404))
def put_assessment(request, person_id: PathId, payload: AssessmentIn):
    from pathcraft.errors import InputError

    person = career_person(request.user, person_id, edit=True)
    view = position_view(person)
    if view.position is None or not view.position.target:
        raise InputError("set a target position first (PUT .../position)")
    row = actions.save_assessment(person, view.framework, view.position.target, payload.ratings)
    return {"target": row.target, "ratings": row.ratings}


@router.get("/people/{person_id}/readiness", response=ok(Object, 403, 404))
def readiness(request, person_id: PathId):
    view = position_view(career_person(request.user, person_id))
    if view.readiness is None:
        raise Http404
    r = view.readiness
    return {
        "target": str(r.target), "title": r.title, "verdict": r.verdict, "met": r.met, "total": r.total,
        "summary": r.summary(), "rules_failed": r.rules_failed,
        "areas": [{"area": a.area, "name": a.name, "total": a.total, "met": a.met, "not_yet": a.not_yet,
                   "passes": a.passes} for a in r.areas],
        "gaps": [{"area": g.area, "criterion": g.criterion, "text": g.text, "reason": g.reason} for g in r.gaps],
        "route": [{"from": str(s.source), "to": str(s.target), "kind": s.kind, "note": s.note} for s in r.route],
    }  # fmt: skip
