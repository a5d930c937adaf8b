"""Monzo progression-framework Markdown (github.com/monzo/progression-framework).

Each framework is a Markdown page whose YAML front matter holds `levels` (a count) and `topics`
(name, title, and per level `criteria` and `exampleCriteria` with examples). As Monzo's site
renders them (src/components/renderers/levelledRenderer.js), a topic whose name also appears in
generic.md takes its title from generic.md and shows generic.md's criteria for the level after
its own; that is why engineering pages leave some titles empty. We import the inherited criteria
too, marked `inherited_from: generic`.

Some published pages are not strict YAML: frameworks/people.md has a tab after a list dash
(line 205 of the front matter file), which PyYAML rejects. We read such a tab as a space and
say so in a warning; a tab in the indentation itself is ambiguous and reported as an error.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from pathcraft.errors import InputError
from pathcraft.paths.frameworks.located import Located, parse_yaml
from pathcraft.paths.frameworks.model import Area, Competency, Criterion, Framework, Level, Track, slug
from pathcraft.paths.frameworks.yaml_format import generated_criterion_id

FENCE = re.compile(r"^---[ \t]*$")
TAB_ERROR = re.compile(r"found character '\\t' that cannot start any token|found character '\\t'")
MAX_TAB_REPAIRS = 1000


class FrontMatter:
    """The front matter of a Markdown page: its YAML (with lines) and the body after it."""

    def __init__(self, located: Located, body: str, warnings: list[str]):
        self.located = located
        self.body = body
        self.warnings = warnings


def looks_like_monzo(text: str) -> bool:
    return bool(text.lstrip("\ufeff").startswith("---")) and "topics:" in text


def read_front_matter(text: str, filename: str) -> FrontMatter:
    """Split `---` front matter from the body and parse it (line numbers are the file's)."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or not FENCE.match(lines[0].rstrip("\r\n")):
        raise InputError(f"{filename}:1: no YAML front matter: a Monzo framework starts with a line '---'")
    end = next((i for i in range(1, len(lines)) if FENCE.match(lines[i].rstrip("\r\n"))), None)
    if end is None:
        raise InputError(f"{filename}:1: the front matter opened on line 1 is never closed by a line '---'")
    yaml_lines = lines[1:end]
    warnings: list[str] = []
    for _ in range(MAX_TAB_REPAIRS):
        try:
            located = parse_yaml("".join(yaml_lines), filename, first_line=2)
            break
        except InputError as exc:
            fixed = _repair_tab(yaml_lines, str(exc), filename, warnings)
            if not fixed:
                raise
    else:  # pragma: no cover - a file would need over a thousand stray tabs
        raise InputError(f"{filename}: too many tabs in the front matter")
    return FrontMatter(located, "".join(lines[end + 1 :]), warnings)


def _repair_tab(yaml_lines: list[str], message: str, filename: str, warnings: list[str]) -> bool:
    """Replace the tab PyYAML stopped at by a space when it is not indentation; True if fixed."""
    if "'\\t'" not in message:
        return False
    match = re.match(rf"{re.escape(filename)}:(\d+):", message)
    if not match:
        return False
    number = int(match[1])
    index = number - 2  # front matter starts on line 2 of the file
    if not 0 <= index < len(yaml_lines):
        return False
    line = yaml_lines[index]
    column = line.find("\t")
    if column < 0:
        return False
    if not line[:column].strip():
        raise InputError(
            f"{filename}:{number}: tab in the indentation; YAML allows only spaces there (replace the tab with spaces)"
        )
    yaml_lines[index] = line[:column] + " " + line[column + 1 :].lstrip("\t")
    warnings.append(
        f"{filename}:{number}: a tab after {line[:column].strip()!r} was read as a space (strict YAML rejects it)"
    )
    return True


def find_generic(path: Path) -> Path | None:
    """generic.md beside the file or in its parent folder (Monzo keeps it in frameworks/)."""
    for folder in (path.parent, path.parent.parent):
        candidate = folder / "generic.md"
        if candidate.is_file():
            return candidate
    return None


def parse_monzo(
    text: str,
    filename: str = "<text>",
    generic_text: str | None = None,
    generic_name: str = "generic.md",
    framework_id: str | None = None,
) -> tuple[Framework, list[str]]:
    """Import one Monzo framework page (and its generic.md); returns the framework and warnings."""
    page = read_front_matter(text, filename)
    warnings = list(page.warnings)
    problems: list[str] = []
    topics, levels = _topics(page.located, problems, warnings)
    if problems:
        raise _error(filename, problems)
    generic_topics: dict[str, dict] = {}
    if generic_text is not None:
        generic = read_front_matter(generic_text, generic_name)
        warnings += generic.warnings
        generic_problems: list[str] = []
        for topic in _topics(generic.located, generic_problems, warnings)[0]:
            generic_topics[topic["name"]] = topic
        problems += generic_problems
    data = page.located.data
    is_generic = data.get("path") == "/generic" or (
        generic_text is not None and generic_topics.keys() == {t["name"] for t in topics}
    )
    if is_generic:
        generic_topics = {}
    if problems:
        raise _error(filename, problems)

    framework_id = framework_id or slug(str(data.get("path") or Path(filename).stem))
    title = str(data.get("title") or Path(filename).stem)
    front = {k: v for k, v in data.items() if k not in ("topics", "levels")}
    attributes: dict[str, Any] = {"format": "monzo", "front_matter": front}
    if data.get("levels") != levels:
        attributes["declared_levels"] = data.get("levels")
    if page.body.strip():
        attributes["body"] = page.body
    track = Track(
        id=framework_id,
        name=title,
        kind="management" if "leadership" in framework_id else "ic",
        levels=[Level(f"level-{n}", f"Level {n}", n) for n in range(1, levels + 1)],
    )
    framework = Framework(
        id=framework_id,
        name=title,
        source=f"{Path(filename).name}, Monzo progression-framework format (https://github.com/monzo/progression-framework)",
        attributes=attributes,
        tracks=[track],
    )
    if generic_topics:
        framework.attributes["inherits"] = Path(generic_name).name

    for topic in topics:
        area_id = slug(topic["name"])
        inherited = generic_topics.get(topic["name"])
        raw_title = topic["title"]
        name = (inherited["title"] if inherited else raw_title) or ""
        if not name:
            if generic_text is None:
                problems.append(
                    f"{page.located.where(topic['path'] + ('title',))}: topic {topic['name']!r} has an empty title, "
                    "so it inherits from generic.md, which was not found beside the file or in its parent "
                    "folder; pass the generic file (--generic PATH)"
                )
                continue
            name = topic["name"]
            warnings.append(
                f"{page.located.where(topic['path'])}: topic {topic['name']!r} has no title; using its name"
            )
        area_attributes: dict[str, Any] = {}
        if area_id != topic["name"]:
            area_attributes["source_name"] = topic["name"]
        if raw_title != name:
            area_attributes["source_title"] = raw_title
        if any(a.id == area_id for a in framework.areas):
            problems.append(f"{page.located.where(topic['path'])}: two topics share the id {area_id!r}")
            continue
        framework.areas.append(Area(area_id, name, attributes=area_attributes))
        for level in track.levels:
            criteria = [
                c for entry in topic["content"] if entry["level"] == level.rank for c in entry["criteria"]
            ]
            if inherited:
                criteria += [
                    Criterion("", c.text, inherited_from="generic")
                    for entry in inherited["content"]
                    if entry["level"] == level.rank
                    for c in entry["criteria"]
                    if not c.examples and "monzo" not in c.attributes  # the site shows generic criteria only
                ]
            for k, criterion in enumerate(criteria):
                criterion.id = generated_criterion_id(track.id, level.id, area_id, k + 1)
            if criteria:
                level.competencies.append(Competency(area_id, criteria))
    if problems:
        raise _error(filename, problems)
    return framework, warnings


def _error(filename: str, problems: list[str]) -> InputError:
    if len(problems) == 1:
        return InputError(problems[0])
    return InputError(f"{filename}: {len(problems)} problems (Monzo progression framework)", problems)


def _topics(located: Located, problems: list[str], warnings: list[str]) -> tuple[list[dict], int]:
    """Topics as {name, title, path, content: [{level, criteria: [Criterion]}]} and the level count."""
    data = located.data
    if not isinstance(data, dict):
        problems.append(f"{located.where(())}: front matter must be a mapping (key: value)")
        return [], 0
    if data.get("yaml") is not True or "topics" not in data:
        problems.append(
            f"{located.where(('yaml',))}: this page is free text (front matter `yaml: {data.get('yaml')}`, no topics), "
            "not a levelled framework: there is nothing to import"
        )
        return [], 0
    levels = data.get("levels")
    if isinstance(levels, bool) or not isinstance(levels, int) or levels < 1:
        problems.append(
            f"{located.where(('levels',))}: `levels` must be the number of levels (1 or more), got {levels!r}"
        )
        return [], 0
    if not isinstance(data["topics"], list):
        problems.append(f"{located.where(('topics',))}: `topics` must be a list")
        return [], levels
    topics = []
    max_level = levels
    for t, raw in enumerate(data["topics"]):
        path = ("topics", t)
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
            problems.append(f"{located.where(path)}: a topic needs a `name` (text)")
            continue
        title = raw.get("title")
        if title is not None and not isinstance(title, str):
            problems.append(f"{located.where((*path, 'title'))}: a topic title must be text")
            continue
        content = []
        for c, entry in enumerate(raw.get("content") or []):
            cpath = (*path, "content", c)
            level = entry.get("level") if isinstance(entry, dict) else None
            if isinstance(level, bool) or not isinstance(level, int) or level < 1:
                problems.append(
                    f"{located.where(cpath)}: `level` must be a whole number from 1 to {levels}, got {level!r}"
                )
                continue
            if level > levels:
                # ops-leadership.md declares 5 levels and describes a 6th: keep it rather than drop it.
                warnings.append(
                    f"{located.where((*cpath, 'level'))}: level {level} is above `levels: {levels}` "
                    f"(Monzo's site shows only {levels}); imported as an extra level"
                )
                max_level = max(max_level, level)
            content.append({"level": level, "criteria": _criteria(located, cpath, entry, problems, warnings)})
        topics.append({"name": raw["name"], "title": title, "path": path, "content": content})
    return topics, max_level


def _criteria(
    located: Located, path: tuple, entry: dict, problems: list[str], warnings: list[str]
) -> list[Criterion]:
    criteria = []
    for k, raw in enumerate(entry.get("criteria") or []):
        text = _text(located, (*path, "criteria", k), raw, warnings)
        if text is None:
            problems.append(f"{located.where((*path, 'criteria', k))}: a criterion must be text, got {raw!r}")
        else:
            criteria.append(Criterion("", text))
    for k, raw in enumerate(entry.get("exampleCriteria") or []):
        kpath = (*path, "exampleCriteria", k)
        text = (
            _text(located, (*kpath, "criteria"), raw.get("criteria"), warnings)
            if isinstance(raw, dict)
            else None
        )
        if text is None:
            problems.append(
                f"{located.where(kpath)}: an example criterion needs `criteria:` text and `examples:`"
            )
            continue
        examples = []
        for j, example in enumerate(raw.get("examples") or []):
            example_text = _text(located, (*kpath, "examples", j), example, warnings)
            if example_text is None:
                problems.append(
                    f"{located.where((*kpath, 'examples', j))}: an example must be text, got {example!r}"
                )
            else:
                examples.append(example_text)
        criteria.append(Criterion("", text, examples=examples, attributes={"monzo": "exampleCriteria"}))
    return criteria


def _text(located: Located, path: tuple, raw: Any, warnings: list[str]) -> str | None:
    """Text of a criterion; an unquoted 'a: b' that YAML read as a mapping is turned back into text."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, dict) and len(raw) == 1:
        key, value = next(iter(raw.items()))
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            warnings.append(
                f"{located.where(path)}: unquoted ': ' read as text {key}: {value!r}; quote the line"
            )
            return f"{key}: {value}"
    return None


def load_monzo(path: Path, generic: Path | None = None) -> tuple[Framework, list[str]]:
    """Read a Monzo page from disk, finding generic.md beside it or in ../ unless given."""
    generic = generic or find_generic(path)
    generic_text = None
    if generic is not None and not (generic.exists() and os.path.samefile(generic, path)):
        generic_text = generic.read_text(encoding="utf-8")
    return parse_monzo(
        path.read_text(encoding="utf-8"),
        str(path),
        generic_text=generic_text,
        generic_name=str(generic) if generic else "generic.md",
    )
