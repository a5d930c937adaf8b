"""What feedback borrows from the career-paths app, each in one small function.

Keeping every coupling here means the rest of the feedback app works whether or not the paths
app has grown models yet: activities come from its catalogue (or its YAML file), self-ratings
from a stored profile when one exists (else ``{}``), competencies from a framework level when one
is known (else none).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from django.apps import apps

ACTIVITIES_FILE = Path(__file__).resolve().parent.parent / "paths" / "data" / "activities.yaml"

# Asked by default when the person has no profile to choose from: the activities most engineers
# do every week, so respondents are not faced with twenty questions about managing people.
DEFAULT_ACTIVITIES = (
    "coding",
    "code_review",
    "design",
    "debugging",
    "testing",
    "writing",
    "mentoring",
    "planning",
)


@cache
def activity_labels() -> dict[str, str]:
    """Activity id -> name, in catalogue order."""
    try:
        from pathcraft.paths.activities import load_activities
    except ImportError:  # the catalogue module is not there: read its data file directly
        with ACTIVITIES_FILE.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        return {str(item["id"]): str(item["name"]) for item in data["activities"]}
    return {activity.id: activity.name for activity in load_activities()}


@cache
def activity_shorts() -> dict[str, str]:
    """Activity id -> the short phrase used inside sentences ("code review")."""
    try:
        from pathcraft.paths.activities import load_activities
    except ImportError:
        return {key: name.lower() for key, name in activity_labels().items()}
    return {activity.id: activity.short for activity in load_activities()}


def default_activities() -> list[str]:
    labels = activity_labels()
    return [a for a in DEFAULT_ACTIVITIES if a in labels] or list(labels)[:8]


def profile_self_ratings(person) -> dict[str, int]:
    """The person's own skill rating per activity from their newest career-paths profile, or {}.

    Reads ``paths.ProfileSnapshot`` (its ``profile`` is a ``pathcraft.paths.profile.Profile``) when
    the paths app has that model; otherwise returns nothing and the self-ratings entered on the
    calibration page are used. Only ever called for the subject themself (calibration is theirs).
    """
    try:
        snapshots = apps.get_model("paths", "ProfileSnapshot")
    except LookupError:
        return {}
    snapshot = snapshots.objects.filter(person=person).order_by("-taken_on", "-created_at", "-pk").first()
    if snapshot is None:
        return {}
    answers = snapshot.profile.answers
    return {key: answer.skill for key, answer in answers.items() if answer.skill is not None}


def framework_competencies(person) -> list[tuple[str, str]]:
    """The competencies of the person's current framework level as (area id, area name), or [].

    Read from the person's ``paths.CareerPosition`` (framework and ``track/level``). A position the
    framework no longer has, or no position at all, gives none: the request then asks about
    activities only, which is what the page says.
    """
    level = current_level(person)
    if level is None:
        return []
    framework, found = level
    pairs: dict[str, str] = {}
    for competency in found.competencies:
        area = framework.area(competency.area)
        pairs.setdefault(competency.area, area.name if area else competency.area)
    return list(pairs.items())


def current_level(person):
    """(framework data, level) of the person's current position, or None."""
    try:
        positions = apps.get_model("paths", "CareerPosition")
    except LookupError:
        return None
    position = positions.objects.filter(person=person).select_related("framework").first()
    if position is None or not position.current:
        return None
    from pathcraft.errors import InputError
    from pathcraft.paths.frameworks.model import Position

    try:
        where = Position.parse(position.current)
    except InputError:
        return None
    framework = position.framework.data
    level = framework.level(where)
    return (framework, level) if level is not None else None
