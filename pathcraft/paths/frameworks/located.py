"""YAML read into plain values that remember the line each value came from.

PyYAML's `safe_load` throws line numbers away; we compose the node tree instead, so every
problem found later (a schema error, an unknown bridge target) can name `file:line`.

Scalars resolve as in YAML 1.2 (the core schema used by js-yaml and most tools that write these
files): only true/false are booleans, so a level id `no` or a criterion `- yes` stays text, and
dates stay text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from pathcraft.errors import InputError

Path = tuple[str | int, ...]


class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars (no yes/no booleans, no sexagesimals, no dates)."""


class _FastYaml12Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same, on libyaml's parser when present (several times faster)."""


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _regex, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    Yaml12Loader.add_implicit_resolver(_tag, re.compile(_regex), list(_first))
_FastYaml12Loader.yaml_implicit_resolvers = Yaml12Loader.yaml_implicit_resolvers


@dataclass
class Located:
    """Plain data (dict / list / str / int / float / bool / None) plus the line of every part."""

    data: Any
    filename: str
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int | None:
        """Line of the value at `path`, or of its nearest enclosing value that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def where(self, path: Path) -> str:
        """`file:line` for a value, for messages."""
        line = self.line(path)
        return f"{self.filename}:{line}" if line else self.filename


def parse_yaml(text: str, filename: str, first_line: int = 1) -> Located:
    """Parse one YAML document; syntax errors and duplicate keys raise InputError naming file:line."""
    offset = first_line - 1
    try:
        try:
            node = yaml.compose(text, Loader=_FastYaml12Loader)
        except yaml.YAMLError:
            # PyYAML's own parser names problems better (and the same on every machine)
            node = yaml.compose(text, Loader=Yaml12Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else first_line
        problem = exc.problem or exc.context or "cannot parse"
        if exc.context and exc.problem:
            context_line = exc.context_mark.line + 1 + offset if exc.context_mark else None
            started = f" that starts on line {context_line}" if context_line and context_line != line else ""
            problem += f" ({exc.context}{started})"
        raise InputError(f"{filename}:{line}: YAML syntax: {problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{filename}: YAML: {exc}") from None
    located = Located(None, filename)
    if node is None:
        return located
    located.data = _convert(node, (), located, offset, yaml.constructor.SafeConstructor())
    return located


def _convert(node: yaml.Node, path: Path, located: Located, offset: int, scalars: Any) -> Any:
    located.lines.setdefault(path, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(f"{located.filename}:{line}: a key must be plain text")
            key = key_node.value
            if key == "<<":
                raise InputError(f"{located.filename}:{line}: merge keys (<<) are not supported")
            if key in result:
                raise InputError(f"{located.filename}:{line}: duplicate key {key!r}")
            located.lines[(*path, key)] = line
            result[key] = _convert(value_node, (*path, key), located, offset, scalars)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), located, offset, scalars) for i, item in enumerate(node.value)]
    return scalars.construct_object(node, deep=True)
