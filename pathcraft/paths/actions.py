"""State changes of career paths: one function each, called by pages, API, CLI and demo alike.

Callers check permissions first (the permission core); these functions validate the data with the
pure engines and raise InputError with a clear message when it is wrong.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import structlog
from django.db import transaction
from django.utils import timezone

from pathcraft.errors import InputError
from pathcraft.paths.crafting import CraftingPlan as PlanData
from pathcraft.paths.experiments import DECISIONS, ExperimentOutcome, apply_outcome, plan_experiment
from pathcraft.paths.experiments import Experiment as ExperimentData
from pathcraft.paths.frameworks import (
    Framework as FrameworkData,
)
from pathcraft.paths.frameworks import (
    Position,
    default_framework,
    dump_framework,
    parse_assessment,
    parse_pathcraft,
    read_framework,
)
from pathcraft.paths.models import (
    CareerPosition,
    CheckIn,
    CraftingPlan,
    Experiment,
    Framework,
    ProfileSnapshot,
    SelfAssessment,
)
from pathcraft.paths.profile import Profile, parse_profile_data
from pathcraft.paths.roles import load_roles
from pathcraft.people.models import Organisation, Person

log = structlog.get_logger(__name__)


# --- frameworks ----------------------------------------------------------------------------


def import_framework(
    org: Organisation,
    framework: FrameworkData,
    source_format: str = "pathcraft",
    source_file: str = "",
    activate: bool = False,
) -> Framework:
    """Store a parsed framework (replacing one with the same id); the first one becomes active."""
    text = dump_framework(framework)
    if parse_pathcraft(text, framework.id) != framework:  # never store something that would not read back
        raise InputError(f"framework {framework.id}: would not read back identically; nothing stored")
    counts = {
        "name": framework.name,
        "text": text,
        "source_format": source_format,
        "source_file": source_file[:300],
        "tracks": len(framework.tracks),
        "levels": sum(len(t.levels) for t in framework.tracks),
        "criteria": len(framework.criteria()),
        "imported_at": timezone.now(),
    }
    with transaction.atomic():
        row, created = Framework.objects.update_or_create(organisation=org, key=framework.id, defaults=counts)
        if activate or not Framework.objects.filter(organisation=org, is_active=True).exists():
            activate_framework(row)
    log.info("framework_imported", organisation=org.slug, framework=row.key, created=created, **{
        k: counts[k] for k in ("tracks", "levels", "criteria")})  # fmt: skip
    return row


def import_framework_file(
    org: Organisation,
    path: str | Path,
    format: str = "auto",
    generic: str | Path | None = None,
    activate: bool = False,
) -> tuple[Framework, list[str]]:
    """Read a framework file (ours, FT or Monzo) and store it; returns the row and the importer's warnings."""
    data, warnings = read_framework(path, format, generic)
    fmt = format if format != "auto" else _guess_format(Path(path))
    return import_framework(org, data, fmt, Path(path).name, activate), warnings


def _guess_format(path: Path) -> str:
    from pathcraft.paths.frameworks import detect_format

    return detect_format(path, path.read_text(encoding="utf-8"))


def activate_framework(row: Framework) -> Framework:
    """Make this the organisation's framework for new positions (one active framework per organisation)."""
    Framework.objects.filter(organisation_id=row.organisation_id).exclude(pk=row.pk).update(is_active=False)
    if not row.is_active:
        row.is_active = True
        row.save(update_fields=["is_active"])
    return row


def active_framework(org: Organisation) -> Framework:
    """The organisation's active framework; on first use, pathcraft's default framework is imported."""
    row = Framework.objects.filter(organisation=org, is_active=True).first()
    if row is None:
        row = Framework.objects.filter(organisation=org).first()
        row = activate_framework(row) if row else import_framework(org, default_framework(), activate=True)
    return row


# --- position and self-assessment --------------------------------------------------------------


def _position(framework: Framework, text: str, label: str) -> str:
    if not text:
        return ""
    try:
        position = Position.parse(text)
        framework.data.require_level(position)
    except InputError as exc:
        raise InputError(f"{label}: {exc}") from None
    return str(position)


def set_position(person: Person, framework: Framework, current: str = "", target: str = "") -> CareerPosition:
    """Record where a person is and where they aim (any level of any track of this framework)."""
    if framework.organisation_id != person.organisation_id:
        raise InputError("that framework belongs to another organisation")
    values = {
        "framework": framework,
        "current": _position(framework, current, "current position"),
        "target": _position(framework, target, "target position"),
        "updated_at": timezone.now(),
    }
    row, _ = CareerPosition.objects.update_or_create(person=person, defaults=values)
    return row


def save_assessment(person: Person, framework: Framework, target: str, ratings: dict) -> SelfAssessment:
    """Store ratings ({criterion id: rating | {rating, evidence}}) against the target's criteria.

    Ratings are merged into what was saved before; an empty rating removes one."""
    target = _position(framework, target, "target position")
    if not target:
        raise InputError("choose a target position first")
    row = SelfAssessment.objects.filter(person=person, framework=framework, target=target).first()
    merged = dict(row.ratings) if row else {}
    for criterion_id, raw in ratings.items():
        entry = raw if isinstance(raw, dict) else {"rating": raw}
        if not entry.get("rating"):
            merged.pop(str(criterion_id), None)
            continue
        merged[str(criterion_id)] = {
            "rating": str(entry["rating"]).strip().replace(" ", "_"),
            "evidence": str(entry.get("evidence") or "").strip(),
        }
    assessment = parse_assessment({"target": target, "ratings": merged}, "self-assessment")
    level = framework.data.require_level(assessment.target)
    unknown = sorted(set(merged) - {c.id for c in level.criteria()})
    if unknown:
        raise InputError(f"{target} has no criterion {unknown[0]!r}")
    row = row or SelfAssessment(person=person, framework=framework, target=target)
    row.ratings = merged
    row.updated_at = timezone.now()
    row.save()
    return row


# --- profiles --------------------------------------------------------------------------------


def save_profile(person: Person, profile: Profile | dict, source: str = "questionnaire",
                 taken_on: dt.date | None = None) -> ProfileSnapshot:  # fmt: skip
    """Keep a dated profile snapshot; saving again on the same day from the same source replaces it."""
    if isinstance(profile, dict):
        profile = parse_profile_data(profile)
    taken_on = taken_on or profile.taken_on or timezone.localdate()
    if profile.current_role:
        load_roles().get(profile.current_role)  # unknown roles are an InputError with a suggestion
    data = Profile(
        answers=profile.answers, name=profile.name, taken_on=taken_on,
        current_role=profile.current_role, colleagues=profile.colleagues,
    ).to_dict()  # fmt: skip
    row = ProfileSnapshot.objects.filter(person=person, taken_on=taken_on, source=source).first()
    if row is None:
        return ProfileSnapshot.objects.create(person=person, taken_on=taken_on, data=data, source=source)
    row.data = data
    row.created_at = timezone.now()
    row.save(update_fields=["data", "created_at"])
    row.__dict__.pop("profile", None)
    return row


def latest_snapshot(person: Person) -> ProfileSnapshot | None:
    return ProfileSnapshot.objects.filter(person=person).first()


# --- job crafting ----------------------------------------------------------------------------


def accept_crafting_plan(person: Person, plan: PlanData, note: str = "",
                         shifts: list[int] | None = None) -> CraftingPlan:  # fmt: skip
    """Store the plan (or only the shifts at the given indexes) as the person's current plan."""
    chosen = [s for i, s in enumerate(plan.shifts) if shifts is None or i in shifts]
    return CraftingPlan.objects.create(
        person=person,
        role_id=plan.role_id or "",
        shifts=[{"from": s.from_activity, "to": s.to_activity, "hours": s.hours} for s in chosen],
        relational=[r.text for r in plan.relational],
        cognitive=[c.text for c in plan.cognitive],
        note=note,
    )


# --- experiments -----------------------------------------------------------------------------


def start_experiment(person: Person, template_id: str, start: dt.date, hypothesis: str = "",
                     duration_weeks: int | None = None, target_role: str | None = None) -> Experiment:  # fmt: skip
    """An experiment from a template, with its end date and check-in dates."""
    role = load_roles().get(target_role) if target_role else None
    planned: ExperimentData = plan_experiment(
        template_id, start, role=role, hypothesis=hypothesis or None, duration_weeks=duration_weeks
    )
    return Experiment.objects.create(
        person=person, template_id=planned.template_id, name=planned.name, hypothesis=planned.hypothesis,
        activities=list(planned.activities), start=planned.start, end=planned.end,
        checkin_dates=[d.isoformat() for d in planned.checkins],
    )  # fmt: skip


def add_checkin(experiment: Experiment, on: dt.date, note: str) -> CheckIn:
    if experiment.status != "running":
        raise InputError("this experiment has ended; check-ins are closed")
    note = (note or "").strip()
    if not note:
        raise InputError("a check-in needs a note: what happened, how did it feel?")
    if on < experiment.start:
        raise InputError(f"a check-in cannot be before the experiment started ({experiment.start})")
    return CheckIn.objects.create(experiment=experiment, on=on, note=note)


def record_outcome(experiment: Experiment, ended_on: dt.date, energy: dict[str, int] | None = None,
                   skill: dict[str, int] | None = None, decision: str = "adapt", notes: str = "") -> ProfileSnapshot:  # fmt: skip
    """Close the experiment; its new ratings update the latest profile as a new snapshot (history kept)."""
    if experiment.status != "running":
        raise InputError("this experiment already has an outcome")
    if decision not in DECISIONS:
        raise InputError(f"decision must be one of {', '.join(DECISIONS)}, got {decision!r}")
    if ended_on < experiment.start:
        raise InputError(f"the experiment cannot end before it started ({experiment.start})")
    planned = ExperimentData(
        experiment.template_id, experiment.name, experiment.hypothesis, tuple(experiment.activities),
        experiment.start, experiment.end,
        tuple(dt.date.fromisoformat(d) for d in experiment.checkin_dates),
    )  # fmt: skip
    outcome = ExperimentOutcome(ended_on, dict(energy or {}), dict(skill or {}), decision, notes, planned)
    last = latest_snapshot(experiment.person)
    base = last.profile if last else Profile()
    updated = apply_outcome(base, outcome)
    with transaction.atomic():
        snapshot = save_profile(experiment.person, updated, source="experiment", taken_on=ended_on)
        experiment.status = "done"
        experiment.decision = decision
        experiment.ended_on = ended_on
        experiment.outcome = {"energy": outcome.energy, "skill": outcome.skill, "notes": notes}
        experiment.snapshot = snapshot
        experiment.save()
    return snapshot
