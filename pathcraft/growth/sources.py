"""What growth borrows from other capabilities, each in one small function that returns nothing when the
other app has not grown the model or function yet (they are integrated at the same time).

* career paths: the person's target position and running experiments (growth page, growth plan);
* workload: escalations that reached a manager during their leave (after-leave review);
* code knowledge: files only the manager knows (single-owner duties before a leave) — a hook for now.
"""

from __future__ import annotations

import datetime as dt
import importlib

from django.apps import apps

from pathcraft.growth.delegation import Escalation
from pathcraft.people.permissions import can_view
from pathcraft.people.policy import Kind


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def career_links(user, person) -> dict:
    """Target position and experiments, only when the viewer may see the person's career data."""
    found = {"target": None, "current": None, "experiments": [], "available": False}
    if not can_view(user, person, Kind.CAREER):
        return found
    position_model = _model("paths", "CareerPosition")
    if position_model is not None:
        found["available"] = True
        position = position_model.objects.filter(person=person).first()
        if position is not None:
            found["target"], found["current"] = position.target or None, position.current or None
    experiment_model = _model("paths", "Experiment")
    if experiment_model is not None:
        found["available"] = True
        found["experiments"] = [
            {"name": e.name, "start": e.start, "end": e.end, "status": e.status,
             "next_checkin": getattr(e, "next_checkin", None)}
            for e in experiment_model.objects.filter(person=person).order_by("-start")[:5]
        ]  # fmt: skip
    return found


def escalations(manager, first_day: dt.date, last_day: dt.date) -> list[Escalation]:
    """Escalations recorded for the manager in the workload app during [first_day, last_day]."""
    incident_model = _model("workload", "Incident")
    if incident_model is None:
        return []
    rows = incident_model.objects.filter(
        person=manager, kind="escalation", started_at__date__gte=first_day, started_at__date__lte=last_day
    )
    return [
        Escalation(row.started_at.date(), row.service or row.external_id or "escalation", None,
                   getattr(row, "severity", ""))
        for row in rows
    ]  # fmt: skip


def manager_only_files(manager) -> list[str]:
    """Files only the manager knows, from the code-knowledge capability when it offers
    `pathcraft.code.models.files_only_known_by(person) -> list[str]`; otherwise none."""
    try:
        module = importlib.import_module("pathcraft.code.models")
    except ImportError:
        return []
    finder = getattr(module, "files_only_known_by", None)
    return list(finder(manager)) if finder else []
