"""The organisation's workload page rolled up by subtree: one row per branch below a manager, drill-down links.

Every figure of a branch row is computed from team rows the organisation page already shows (the mean of the
shown teams' means, the sum of their answer counts), so a roll-up reveals nothing the flat page would not, and no
group smaller than k can be worked out by difference.
"""

from __future__ import annotations

from pathcraft.people.models import Person
from pathcraft.people.rollup import branch_map

TEAM_ROWS = 25  # up to this many teams below the chosen manager, the teams themselves are listed


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 1) if values else None


def rolled_up(data: dict, root: Person | None) -> dict:
    """DATA from health.org_health, seen from ROOT (None: the whole organisation, flat, as when it has no one top).

    Returns the team rows to list (all teams of the branch when there are at most TEAM_ROWS of them, else none)
    and one group per direct report of ROOT with the aggregates of the teams below them. Teams belong to the
    branch of their lead; at the top of the organisation, teams without a lead are listed too."""
    survey_rows = (data["survey"] or {}).get("by_team") or []
    if root is None:
        return {"root": None, "groups": [], "teams": data["load"], "teams_total": len(data["load"]),
                "survey_teams": survey_rows, "spans": data["spans"]}  # fmt: skip
    children = list(Person.objects.filter(manager=root).order_by("name", "pk"))
    branch = branch_map(root.pk)
    branch[root.pk] = None
    at_top = root.manager_id is None
    teams = [row for row in data["load"]
             if row["team"].lead_id in branch or (at_top and row["team"].lead_id is None)]  # fmt: skip
    survey_by_slug = {row["team"].slug: row for row in survey_rows}
    spans = [s for s in data["spans"] if s["manager"].pk in branch]
    groups = []
    for child in children:
        mine = [row for row in teams if branch.get(row["team"].lead_id) == child.pk]
        shown = [row for row in mine if row["shown"]]
        answered = [survey_by_slug[row["team"].slug] for row in mine if row["team"].slug in survey_by_slug]
        managers = [s for s in spans if branch.get(s["manager"].pk) == child.pk]
        if not mine and not managers:
            continue
        labels = [a["label"] for a in answered[0]["scales"]] if answered else []
        scales = []
        for i, label in enumerate(labels):
            cells = [row["scales"][i] for row in answered if row["scales"][i]["shown"]]
            scales.append({"label": label, "mean": _mean(c["mean"] for c in cells), "teams": len(cells)})
        groups.append(
            {
                "person": child,
                "teams": len(mine),
                "teams_shown": len(shown),
                "meeting_hours": _mean(r["meeting_hours"] for r in shown),
                "focus_hours": _mean(r["focus_hours"] for r in shown),
                "after_hours": _mean(r["after_hours"] for r in shown),
                "managers": len(managers),
                "spans_outside": sum(1 for s in managers if s["span"].status != "within"),
                "survey": scales,
            }
        )
    listed = teams if len(teams) <= TEAM_ROWS else []
    listed_slugs = {row["team"].slug for row in listed}
    near = {root.pk, *(c.pk for c in children)}
    return {
        "root": root,
        "groups": groups,
        "teams": listed,
        "teams_total": len(teams),
        "survey_teams": [row for row in survey_rows if row["team"].slug in listed_slugs],
        "spans": spans if len(spans) <= TEAM_ROWS else [s for s in spans if s["manager"].pk in near],
    }
