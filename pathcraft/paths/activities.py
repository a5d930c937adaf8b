"""The activity catalogue (data/activities.yaml) and a YAML reader that remembers line numbers.

Pure: no Django. Every loader in the career-path engines reads YAML through `read_yaml` so that
errors can name the line of the offending value.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pathcraft.errors import InputError

DATA_DIR = Path(__file__).parent / "data"

YamlPath = tuple[Any, ...]


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML plus the 1-based line of every value, keyed by its path of keys/indexes."""

    data: Any
    lines: dict[YamlPath, int]
    source: str

    def where(self, *path: Any) -> str:
        """'source: line N' for the deepest known part of `path` (falls back to the source alone)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return f"{self.source}: line {line}"
        return self.source


def read_yaml(text: str, source: str) -> YamlDocument:
    """Parse `text` with the safe loader, tracking line numbers; syntax errors become InputError."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[YamlPath, int] = {}
        data = _build(loader, node, (), lines, source) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise InputError(f"{source}: {line}not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return YamlDocument(data=data, lines=lines, source=source)


def _build(loader: yaml.SafeLoader, node: yaml.Node, path: YamlPath, lines: dict, source: str) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise InputError(f"{source}: line {key_node.start_mark.line + 1}: keys must be plain text")
            if key in result:
                raise InputError(f"{source}: line {key_node.start_mark.line + 1}: duplicate key {key!r}")
            result[key] = _build(loader, value_node, (*path, key), lines, source)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), lines, source) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def read_yaml_file(path: str | Path) -> YamlDocument:
    """Read and parse a YAML file; a missing or unreadable file is an InputError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read file ({exc})") from None
    return read_yaml(text, str(path))


def did_you_mean(word: str, choices: list[str] | tuple[str, ...] | Any) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True)
class Activity:
    """One kind of work that fills a week (writing code, 1:1s, ...)."""

    id: str
    name: str
    short: str  # lower-case phrase used inside sentences
    description: str
    group: str


@dataclass(frozen=True)
class ActivityCatalogue:
    """Activities in questionnaire order, with their groups."""

    activities: dict[str, Activity]
    groups: dict[str, str]

    def __contains__(self, activity_id: object) -> bool:
        return activity_id in self.activities

    def __iter__(self):
        return iter(self.activities.values())

    def __len__(self) -> int:
        return len(self.activities)

    def __getitem__(self, activity_id: str) -> Activity:
        return self.activities[activity_id]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.activities)

    def short(self, activity_id: str) -> str:
        return self.activities[activity_id].short

    def phrase(self, activity_ids: list[str] | tuple[str, ...]) -> str:
        """'a', 'a and b', 'a, b and c' from the activities' short names."""
        return join_words([self.short(a) for a in activity_ids])


def join_words(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'; with a serial comma when an item itself contains 'and'."""
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    # "1:1s and people management and meetings" reads as three things; a comma keeps it two.
    last_joint = ", and " if any(" and " in w for w in words) else " and "
    return ", ".join(words[:-1]) + last_joint + words[-1]


def parse_activities(doc: YamlDocument) -> ActivityCatalogue:
    """Validate a parsed activities file; every problem names its line."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("activities"), list):
        raise InputError(f"{doc.where()}: expected a mapping with an 'activities' list")
    groups = data.get("groups") or {}
    if not isinstance(groups, dict):
        raise InputError(f"{doc.where('groups')}: 'groups' must map group ids to names")
    problems: list[str] = []
    activities: dict[str, Activity] = {}
    for i, item in enumerate(data["activities"]):
        where = doc.where("activities", i)
        if not isinstance(item, dict):
            problems.append(f"{where}: each activity must be a mapping")
            continue
        missing = [k for k in ("id", "name", "short", "description", "group") if not item.get(k)]
        if missing:
            problems.append(f"{where}: activity is missing {', '.join(missing)}")
            continue
        activity_id = str(item["id"])
        if activity_id in activities:
            problems.append(f"{doc.where('activities', i, 'id')}: duplicate activity id {activity_id!r}")
            continue
        if groups and item["group"] not in groups:
            problems.append(
                f"{doc.where('activities', i, 'group')}: unknown group {item['group']!r}"
                + did_you_mean(item["group"], list(groups))
            )
        activities[activity_id] = Activity(
            id=activity_id,
            name=str(item["name"]),
            short=str(item["short"]),
            description=str(item["description"]),
            group=str(item["group"]),
        )
    if problems:
        raise InputError(f"{doc.source}: {len(problems)} problem(s) in the activity catalogue", problems)
    return ActivityCatalogue(activities=activities, groups={str(k): str(v) for k, v in groups.items()})


@functools.cache
def _default_activities() -> ActivityCatalogue:
    return parse_activities(read_yaml_file(DATA_DIR / "activities.yaml"))


def load_activities(path: str | Path | None = None) -> ActivityCatalogue:
    """The activity catalogue: the packaged one (loaded once) or one from `path`."""
    if path is None:
        return _default_activities()
    return parse_activities(read_yaml_file(path))
