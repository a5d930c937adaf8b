"""Financial Times job-family YAML (github.com/Financial-Times/engineering-progression).

A job family lists levels, themes and competencies (id, level, theme, summary, proficiency). We
check it against the published JSON schema (shipped in schemas/) and the rules of FT's own test
script (unique ids, competencies pointing at existing levels and themes), then map it:

* themes -> competency areas; each competency -> one criterion of its level and theme;
* levels -> tracks. Levels ending in `-ic` / `-pm` are parallel individual-contributor and
  people-manager variants of the same level (senior-2-ic / senior-2-pm): they get the same rank
  on two tracks, joined by bridges both ways. Levels before the first split belong to the IC
  track; an unsuffixed level after it joins the manager track when its name says it manages
  (Director, Manager, Head, VP, Chief), else the IC track.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from pathcraft.errors import InputError
from pathcraft.paths.frameworks.located import Located, parse_yaml
from pathcraft.paths.frameworks.model import (
    Area,
    Bridge,
    Competency,
    Criterion,
    Framework,
    Level,
    Link,
    Position,
    Track,
    slug,
)

VARIANT = re.compile(r"^(?P<base>.+)-(?P<variant>ic|pm)$")
MANAGES = re.compile(r"\b(director|manager|head|vp|vice president|chief|cto)\b", re.IGNORECASE)
IC_TRACK = "ic"
PM_TRACK = "pm"


@cache
def ft_schema() -> dict[str, Any]:
    """The published FT job-family JSON schema (draft 2020-12)."""
    text = (
        resources.files("pathcraft.paths.frameworks.schemas")
        .joinpath("ft-job-family.schema.json")
        .read_text()
    )
    return json.loads(text)


def looks_like_ft(data: Any) -> bool:
    return isinstance(data, dict) and {"levels", "themes", "competencies"} <= set(data)


def schema_problems(located: Located) -> list[str]:
    """Schema violations and broken references, each as 'file:line: where: problem'."""
    validator = jsonschema.Draft202012Validator(ft_schema())
    found = []
    for error in validator.iter_errors(located.data):
        path = tuple(error.absolute_path)
        pointer = "/" + "/".join(map(str, path))
        found.append((located.line(path) or 0, f"{located.where(path)}: {pointer}: {error.message}"))
    problems = [message for _line, message in sorted(found)]  # in file order
    if problems:
        return problems
    data = located.data
    for kind, one in (("levels", "level"), ("themes", "theme"), ("competencies", "competency")):
        seen: set[str] = set()
        for i, item in enumerate(data[kind]):
            if item["id"] in seen:
                problems.append(f"{located.where((kind, i, 'id'))}: duplicate {one} id {item['id']!r}")
            seen.add(item["id"])
    levels = {lv["id"] for lv in data["levels"]}
    themes = {th["id"] for th in data["themes"]}
    for i, comp in enumerate(data["competencies"]):
        if comp["level"] not in levels:
            problems.append(f"{located.where(('competencies', i, 'level'))}: unknown level {comp['level']!r}")
        if comp["theme"] not in themes:
            problems.append(f"{located.where(('competencies', i, 'theme'))}: unknown theme {comp['theme']!r}")
    return problems


def parse_ft(text: str, filename: str = "<text>", framework_id: str | None = None) -> Framework:
    """Validate and import one FT job-family file; problems raise InputError naming file:line."""
    located = parse_yaml(text, filename)
    problems = schema_problems(located)
    if problems:
        if len(problems) == 1:
            raise InputError(problems[0])
        raise InputError(
            f"{filename}: {len(problems)} problems (Financial Times job-family schema)", problems
        )
    return _to_framework(located.data, framework_id or slug(Path(filename).stem), filename)


def _to_framework(data: dict, framework_id: str, filename: str) -> Framework:
    name = data["name"]
    attributes: dict[str, Any] = {"format": "financial-times", "googleSheetId": data["googleSheetId"]}
    if "isLegacy" in data:
        attributes["isLegacy"] = data["isLegacy"]
    framework = Framework(
        id=framework_id,
        name=name,
        summary=data["summary"],
        source=f"{Path(filename).name}, Financial Times job-family format "
        "(https://github.com/Financial-Times/engineering-progression)",
        attributes=attributes,
        areas=[Area(th["id"], th["name"], th.get("summary", "")) for th in data["themes"]],
    )

    # Rank = position of the level's base id (senior-2-ic and senior-2-pm share "senior-2").
    bases: list[str] = []
    for lv in data["levels"]:
        match = VARIANT.match(lv["id"])
        base = match["base"] if match else lv["id"]
        if base not in bases:
            bases.append(base)
    split = any((m := VARIANT.match(lv["id"])) and m["variant"] == "pm" for lv in data["levels"])
    ic = Track(IC_TRACK, f"{name} — individual contributor" if split else name, "ic")
    pm = Track(PM_TRACK, f"{name} — people manager", "management")
    after_split = False
    for lv in data["levels"]:
        match = VARIANT.match(lv["id"])
        base = match["base"] if match else lv["id"]
        level = Level(lv["id"], lv["name"], bases.index(base) + 1)
        if match and match["variant"] == "pm":
            after_split = True
            pm.levels.append(level)
        elif not match and after_split and MANAGES.search(lv["name"]):
            pm.levels.append(level)
        else:
            ic.levels.append(level)
    framework.tracks = [ic, pm] if pm.levels else [ic]
    for track in framework.tracks:
        track.levels.sort(key=lambda level: level.rank)  # FT lists variants side by side

    by_id = {level.id: level for track in framework.tracks for level in track.levels}
    for comp in data["competencies"]:
        level = by_id[comp["level"]]
        competency = next((c for c in level.competencies if c.area == comp["theme"]), None)
        if competency is None:
            competency = Competency(comp["theme"])
            level.competencies.append(competency)
        competency.criteria.append(
            Criterion(
                id=comp["id"],
                text=comp["summary"],
                examples=list(comp.get("examples", [])),
                proficiency=comp["proficiency"],
                links=[Link(u["label"], u["url"]) for u in comp.get("supportingUrls", [])],
            )
        )
    framework.bridges = _bridges(ic, pm)
    return framework


def _bridges(ic: Track, pm: Track) -> list[Bridge]:
    bridges: list[Bridge] = []
    if not pm.levels:
        return bridges
    first_pm = pm.levels[0]
    below = [lv for lv in ic.levels if lv.rank < first_pm.rank]
    if below:
        bridges.append(
            Bridge(
                Position(IC_TRACK, below[-1].id),
                Position(PM_TRACK, first_pm.id),
                "The people-manager track starts here: the step up can be either variant.",
            )
        )
    for manager_level in pm.levels:
        twin = next((lv for lv in ic.levels if lv.rank == manager_level.rank), None)
        if twin is None:
            continue
        note = "Parallel variants of one level: same rank, individual contributor or people manager."
        bridges.append(Bridge(Position(IC_TRACK, twin.id), Position(PM_TRACK, manager_level.id), note))
        bridges.append(Bridge(Position(PM_TRACK, manager_level.id), Position(IC_TRACK, twin.id), note))
    return bridges
