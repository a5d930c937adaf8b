"""pathcraft's own framework format (docs/frameworks.md): read with line numbers, validate, dump.

`parse_pathcraft(dump_framework(fw)) == fw` for every valid framework, whatever it was imported
from: that is how an FT or Monzo file is converted without loss.
"""

from __future__ import annotations

from typing import Any

import yaml

from pathcraft.errors import InputError
from pathcraft.paths.frameworks.located import Located, Yaml12Loader, parse_yaml
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
)
from pathcraft.paths.frameworks.validation import check_framework

FORMAT_KEY = "pathcraft_framework"
FORMAT_VERSION = 1

FRAMEWORK_KEYS = {
    FORMAT_KEY,
    "id",
    "name",
    "summary",
    "source",
    "licence",
    "attributes",
    "areas",
    "tracks",
    "bridges",
}
AREA_KEYS = {"id", "name", "summary", "attributes"}
TRACK_KEYS = {"id", "name", "kind", "summary", "attributes", "levels"}
LEVEL_KEYS = {"id", "title", "rank", "summary", "attributes", "competencies"}
CRITERION_KEYS = {"id", "text", "examples", "proficiency", "links", "inherited_from", "attributes"}
BRIDGE_KEYS = {"from", "to", "note", "both_ways"}


def generated_criterion_id(track: str, level: str, area: str, number: int) -> str:
    """Id of a criterion written as plain text: track.level.area.N (N counts from 1)."""
    return f"{track}.{level}.{area}.{number}"


class _Reader:
    """Reads plain values with type checks; problems are collected, each with file:line."""

    def __init__(self, located: Located):
        self.located = located
        self.problems: list[str] = []

    def problem(self, path: tuple, text: str) -> None:
        self.problems.append(f"{self.located.where(path)}: {text}")

    def mapping(
        self, path: tuple, value: Any, allowed: set[str], required: tuple[str, ...], what: str
    ) -> dict:
        if not isinstance(value, dict):
            self.problem(path, f"{what} must be a mapping (key: value), got {_kind(value)}")
            return {}
        for key in value:
            if key not in allowed:
                self.problem(
                    (*path, key), f"unknown key {key!r} in {what} (allowed: {', '.join(sorted(allowed))})"
                )
        for key in required:
            if key not in value or value[key] in (None, ""):
                self.problem(path, f"{what} needs {key!r}")
        return value

    def text(self, path: tuple, value: Any, what: str) -> str:
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(path, f"{what} must be text, got {_kind(value)}")
            return ""
        return str(value)

    def sequence(self, path: tuple, value: Any, what: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, f"{what} must be a list, got {_kind(value)}")
            return []
        return value

    def attributes(self, path: tuple, value: Any) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, f"attributes must be a mapping, got {_kind(value)}")
            return {}
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def parse_pathcraft(text: str, filename: str = "<text>") -> Framework:
    """Read a framework in our format; all problems raise one InputError naming file:line."""
    located = parse_yaml(text, filename)
    reader = _Reader(located)
    framework, bridge_origin = _build(reader, located.data)
    if reader.problems:
        raise _problems_error(filename, reader.problems)

    def where(path: tuple) -> str:
        if path and path[0] == "bridges" and len(path) > 1:
            path = ("bridges", bridge_origin[path[1]], *path[2:])
        return located.where(path)

    problems = check_framework(framework, where)
    if problems:
        raise _problems_error(filename, problems)
    return framework


def _problems_error(filename: str, problems: list[str]) -> InputError:
    if len(problems) == 1:
        return InputError(problems[0])
    return InputError(f"{filename}: {len(problems)} problems", problems)


def _build(r: _Reader, data: Any) -> tuple[Framework, list[int]]:
    top = r.mapping((), data, FRAMEWORK_KEYS, (FORMAT_KEY, "id", "name", "tracks"), "a pathcraft framework")
    version = top.get(FORMAT_KEY)
    if FORMAT_KEY in top and version != FORMAT_VERSION:
        r.problem(
            (FORMAT_KEY,), f"{FORMAT_KEY} must be {FORMAT_VERSION} (the only version so far), got {version!r}"
        )
    framework = Framework(
        id=r.text(("id",), top.get("id"), "id"),
        name=r.text(("name",), top.get("name"), "name"),
        summary=r.text(("summary",), top.get("summary"), "summary"),
        source=r.text(("source",), top.get("source"), "source"),
        licence=r.text(("licence",), top.get("licence"), "licence"),
        attributes=r.attributes(("attributes",), top.get("attributes")),
    )
    for i, raw in enumerate(r.sequence(("areas",), top.get("areas"), "areas")):
        path = ("areas", i)
        item = r.mapping(path, raw, AREA_KEYS, ("id", "name"), "an area")
        framework.areas.append(
            Area(
                id=r.text((*path, "id"), item.get("id"), "area id"),
                name=r.text((*path, "name"), item.get("name"), "area name"),
                summary=r.text((*path, "summary"), item.get("summary"), "area summary"),
                attributes=r.attributes((*path, "attributes"), item.get("attributes")),
            )
        )
    for t, raw in enumerate(r.sequence(("tracks",), top.get("tracks"), "tracks")):
        framework.tracks.append(_build_track(r, ("tracks", t), raw))
    bridge_origin: list[int] = []
    for b, raw in enumerate(r.sequence(("bridges",), top.get("bridges"), "bridges")):
        path = ("bridges", b)
        item = r.mapping(path, raw, BRIDGE_KEYS, ("from", "to"), "a bridge")
        ends = []
        for key in ("from", "to"):
            try:
                ends.append(Position.parse(item.get(key)))
            except InputError as exc:
                r.problem((*path, key), f"bridge {key}: {exc}")
        both_ways = item.get("both_ways", False)
        if not isinstance(both_ways, bool):
            r.problem((*path, "both_ways"), f"both_ways must be true or false, got {both_ways!r}")
            both_ways = False
        if len(ends) != 2:
            continue
        note = r.text((*path, "note"), item.get("note"), "note")
        framework.bridges.append(Bridge(ends[0], ends[1], note))
        bridge_origin.append(b)
        if both_ways:
            framework.bridges.append(Bridge(ends[1], ends[0], note))
            bridge_origin.append(b)
    return framework, bridge_origin


def _build_track(r: _Reader, path: tuple, raw: Any) -> Track:
    item = r.mapping(path, raw, TRACK_KEYS, ("id", "name", "kind", "levels"), "a track")
    track = Track(
        id=r.text((*path, "id"), item.get("id"), "track id"),
        name=r.text((*path, "name"), item.get("name"), "track name"),
        kind=r.text((*path, "kind"), item.get("kind"), "track kind"),
        summary=r.text((*path, "summary"), item.get("summary"), "track summary"),
        attributes=r.attributes((*path, "attributes"), item.get("attributes")),
    )
    for lv_index, raw_level in enumerate(r.sequence((*path, "levels"), item.get("levels"), "levels")):
        track.levels.append(_build_level(r, (*path, "levels", lv_index), raw_level, track.id))
    return track


def _build_level(r: _Reader, path: tuple, raw: Any, track_id: str) -> Level:
    item = r.mapping(path, raw, LEVEL_KEYS, ("id", "title", "rank"), "a level")
    rank = item.get("rank", 0)
    if isinstance(rank, bool) or not isinstance(rank, int):
        r.problem((*path, "rank"), f"rank must be a whole number, got {rank!r}")
        rank = 0
    level = Level(
        id=r.text((*path, "id"), item.get("id"), "level id"),
        title=r.text((*path, "title"), item.get("title"), "level title"),
        rank=rank,
        summary=r.text((*path, "summary"), item.get("summary"), "level summary"),
        attributes=r.attributes((*path, "attributes"), item.get("attributes")),
    )
    competencies = item.get("competencies") or {}
    if not isinstance(competencies, dict):
        r.problem(
            (*path, "competencies"), f"competencies must map area ids to criteria, got {_kind(competencies)}"
        )
        competencies = {}
    for area_id, raw_criteria in competencies.items():
        cpath = (*path, "competencies", area_id)
        competency = Competency(area=str(area_id))
        for k, raw_criterion in enumerate(r.sequence(cpath, raw_criteria, f"criteria of {area_id!r}")):
            default_id = generated_criterion_id(track_id, level.id, str(area_id), k + 1)
            competency.criteria.append(_build_criterion(r, (*cpath, k), raw_criterion, default_id))
        level.competencies.append(competency)
    return level


def _build_criterion(r: _Reader, path: tuple, raw: Any, default_id: str) -> Criterion:
    if isinstance(raw, str):
        return Criterion(id=default_id, text=raw)
    item = r.mapping(path, raw, CRITERION_KEYS, ("text",), "a criterion")
    links = []
    for j, raw_link in enumerate(r.sequence((*path, "links"), item.get("links"), "links")):
        link = r.mapping((*path, "links", j), raw_link, {"label", "url"}, ("label", "url"), "a link")
        links.append(Link(str(link.get("label", "")), str(link.get("url", ""))))
    examples = [
        r.text((*path, "examples", j), e, "an example")
        for j, e in enumerate(r.sequence((*path, "examples"), item.get("examples"), "examples"))
    ]
    return Criterion(
        id=r.text((*path, "id"), item.get("id"), "criterion id") or default_id,
        text=r.text((*path, "text"), item.get("text"), "criterion text"),
        examples=examples,
        proficiency=r.text((*path, "proficiency"), item.get("proficiency"), "proficiency"),
        links=links,
        inherited_from=r.text((*path, "inherited_from"), item.get("inherited_from"), "inherited_from"),
        attributes=r.attributes((*path, "attributes"), item.get("attributes")),
    )


# --- dump ---------------------------------------------------------------------------------


def framework_to_data(framework: Framework) -> dict[str, Any]:
    """Plain data in our format (what dump_framework writes), leaving out empty optional fields."""
    data: dict[str, Any] = {FORMAT_KEY: FORMAT_VERSION, "id": framework.id, "name": framework.name}
    _put(data, "summary", framework.summary)
    _put(data, "source", framework.source)
    _put(data, "licence", framework.licence)
    _put(data, "attributes", framework.attributes)
    data["areas"] = [
        _put_all({"id": a.id, "name": a.name}, summary=a.summary, attributes=a.attributes)
        for a in framework.areas
    ]
    data["tracks"] = []
    for track in framework.tracks:
        levels = []
        for level in track.levels:
            entry = _put_all(
                {"id": level.id, "title": level.title, "rank": level.rank},
                summary=level.summary,
                attributes=level.attributes,
            )
            competencies = {}
            for competency in level.competencies:
                competencies[competency.area] = [
                    _criterion_data(c, generated_criterion_id(track.id, level.id, competency.area, k + 1))
                    for k, c in enumerate(competency.criteria)
                ]
            _put(entry, "competencies", competencies)
            levels.append(entry)
        data["tracks"].append(
            _put_all(
                {"id": track.id, "name": track.name, "kind": track.kind},
                summary=track.summary,
                attributes=track.attributes,
                levels=levels,
            )
        )
    data["bridges"] = [
        _put_all({"from": str(b.source), "to": str(b.target)}, note=b.note) for b in framework.bridges
    ]
    return data


def _criterion_data(criterion: Criterion, default_id: str) -> Any:
    plain = Criterion(id=default_id, text=criterion.text)
    if criterion == plain:
        return criterion.text
    entry: dict[str, Any] = {"id": criterion.id, "text": criterion.text}
    return _put_all(
        entry,
        examples=list(criterion.examples),
        proficiency=criterion.proficiency,
        links=[{"label": link.label, "url": link.url} for link in criterion.links],
        inherited_from=criterion.inherited_from,
        attributes=criterion.attributes,
    )


def _put(data: dict, key: str, value: Any) -> None:
    if value not in ("", None, [], {}):
        data[key] = value


def _put_all(data: dict, **values: Any) -> dict:
    for key, value in values.items():
        _put(data, key, value)
    return data


class _Dumper(yaml.SafeDumper):
    """Block lists indented under their key; multi-line text as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_RESOLVER = Yaml12Loader("")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    if style is None and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str":
        style = '"'  # text our YAML 1.2 reader would take for a number or boolean (e.g. "1e5")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_framework(framework: Framework, header: str = "") -> str:
    """Our YAML text for a framework; `header` lines are written as comments at the top."""
    body = yaml.dump(
        framework_to_data(framework),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    comments = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comments + body
