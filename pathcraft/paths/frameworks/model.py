"""Career frameworks as plain data: tracks, levels, competency areas, criteria, and bridges.

Every importer produces these classes and every consumer (YAML dump, readiness, the database
import that comes later) reads them. Fields not shared by all sources go into `attributes`, so
that nothing a source carries is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pathcraft.errors import InputError

# Ids appear in positions ("track/level"), URLs and assessment files: no slashes or spaces.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# Kinds a track may declare; other parts of pathcraft (role fit, pages) read these words.
TRACK_KINDS = (
    "ic",
    "tech-lead",
    "management",
    "devrel",
    "education",
    "research",
    "sre",
    "support",
    "security",
    "program-management",
    "product",
    "other",
)


def slug(text: str) -> str:
    """An id made from free text: 'Conduct & Culture: risk' -> 'conduct-culture-risk'."""
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value or "x"


@dataclass
class Link:
    """A supporting URL with a label (FT `supportingUrls`)."""

    label: str
    url: str


@dataclass
class Criterion:
    """One expectation at one level: what someone at that level shows (a behaviour, a skill)."""

    id: str
    text: str
    examples: list[str] = field(default_factory=list)
    proficiency: str = ""  # FT: Awareness, Foundational, Working knowledge, Practitioner, Expert
    links: list[Link] = field(default_factory=list)
    inherited_from: str = ""  # Monzo: "generic" for criteria taken from generic.md
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Competency:
    """The criteria of one competency area at one level."""

    area: str
    criteria: list[Criterion] = field(default_factory=list)


@dataclass
class Level:
    """A level of a track. `rank` orders levels and compares seniority across tracks."""

    id: str
    title: str
    rank: int
    summary: str = ""
    competencies: list[Competency] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)

    def criteria(self) -> list[Criterion]:
        """All criteria of this level, area by area."""
        return [c for comp in self.competencies for c in comp.criteria]


@dataclass
class Track:
    """A career track: a ladder of levels of one kind of work (IC, management, devrel…)."""

    id: str
    name: str
    kind: str
    summary: str = ""
    levels: list[Level] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)

    def level(self, level_id: str) -> Level | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)


@dataclass
class Area:
    """A competency area (FT theme, Monzo topic): communication, impact, technical…"""

    id: str
    name: str
    summary: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, order=True)
class Position:
    """A place in a framework: a level of a track, written `track/level`."""

    track: str
    level: str

    def __str__(self) -> str:
        return f"{self.track}/{self.level}"

    @classmethod
    def parse(cls, text: Any) -> Position:
        """Read `track/level`; anything else raises InputError saying what is expected."""
        if not isinstance(text, str) or text.count("/") != 1 or not all(text.split("/")):
            raise InputError(f"position must be written 'track/level', got {text!r}")
        track, level = text.split("/")
        return cls(track.strip(), level.strip())


@dataclass
class Bridge:
    """A move from one position to another on a different track (or a step back); one direction."""

    source: Position
    target: Position
    note: str = ""


@dataclass
class Framework:
    """A whole career framework: where it comes from, its areas, tracks and bridges."""

    id: str
    name: str
    summary: str = ""
    source: str = ""
    licence: str = ""
    areas: list[Area] = field(default_factory=list)
    tracks: list[Track] = field(default_factory=list)
    bridges: list[Bridge] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)

    def track(self, track_id: str) -> Track | None:
        return next((t for t in self.tracks if t.id == track_id), None)

    def area(self, area_id: str) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)

    def level(self, position: Position) -> Level | None:
        track = self.track(position.track)
        return track.level(position.level) if track else None

    def require_level(self, position: Position) -> Level:
        """The level at `position`, or InputError listing the tracks that exist."""
        track = self.track(position.track)
        if track is None:
            known = ", ".join(t.id for t in self.tracks)
            raise InputError(f"no track {position.track!r} in framework {self.id!r} (tracks: {known})")
        level = track.level(position.level)
        if level is None:
            known = ", ".join(lv.id for lv in track.levels)
            raise InputError(f"no level {position.level!r} in track {track.id!r} (levels: {known})")
        return level

    def positions(self) -> list[Position]:
        return [Position(t.id, lv.id) for t in self.tracks for lv in t.levels]

    def criteria(self) -> list[Criterion]:
        return [c for t in self.tracks for lv in t.levels for c in lv.criteria()]

    def bridges_from(self, position: Position) -> list[Bridge]:
        return [b for b in self.bridges if b.source == position]
