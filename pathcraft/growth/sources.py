"""What growth borrows from other capabilities, each in one small function that returns nothing when the
other app has not grown the model or function yet (they are integrated at the same time).

* career paths: the person's target position and running experiments (growth page, growth plan);
* workload: escalations that reached a manager during their leave (after-leave review);
* code knowledge: files only the manager knows in the analysed repositories (single-owner duties before a leave).
"""

from __future__ import annotations

import datetime as dt

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


def files_only_known_by(person) -> list[str]:
    """Files where PERSON is the only author in the repositories the code app has analysed for their
    organisation, as "repository: path", from `pathcraft.code.matching.files_only_known_by` (the saved reports; no
    git is read). Empty when the code capability is not installed or has nothing analysed."""
    if not apps.is_installed("pathcraft.code"):
        return []
    from pathcraft.code.matching import files_only_known_by as sole_author_files

    return sorted(set(sole_author_files(person)))


def manager_only_files(manager) -> list[str]:
    """Files only the manager knows: single-owner duties for the readiness check and the handover."""
    return files_only_known_by(manager)
