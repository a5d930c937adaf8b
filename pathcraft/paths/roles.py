"""The role catalogue (data/roles.yaml): each role's typical week and where its numbers come from.

Pure: no Django. Validated on load: shares sum to 1.0, every activity exists, every share has a
source or falls under the role's stated estimate reason, every source id is defined.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pathcraft.errors import InputError
from pathcraft.paths.activities import (
    DATA_DIR,
    ActivityCatalogue,
    YamlDocument,
    did_you_mean,
    load_activities,
    read_yaml_file,
)

SUM_TOLERANCE = 0.005  # shares are written with two decimals; allow rounding, nothing more


@dataclass(frozen=True)
class Source:
    id: str
    citation: str
    finding: str


@dataclass(frozen=True)
class MixEntry:
    """One activity's share of a role's week and its provenance."""

    activity_id: str
    share: float
    source_id: str | None  # None: an estimate, explained by the role's estimate_reason
    note: str = ""

    @property
    def is_estimate(self) -> bool:
        return self.source_id is None


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    article: str  # "an engineering manager": used at the start of sentences
    summary: str
    skills: tuple[str, ...]
    core: tuple[str, ...]
    entries: tuple[MixEntry, ...]
    estimate_reason: str
    see_also: tuple[str, ...] = ()  # sources behind the role's description and skills, not its numbers

    @cached_property
    def mix(self) -> dict[str, float]:
        """Share of the week per activity (activities not listed have share 0)."""
        return {e.activity_id: e.share for e in self.entries}

    def share(self, activity_id: str) -> float:
        return self.mix.get(activity_id, 0.0)

    @property
    def source_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for e in self.entries:
            if e.source_id:
                seen.setdefault(e.source_id)
        return tuple(seen)


@dataclass(frozen=True)
class Setting:
    value: float
    reason: str  # the source or the estimate's reason


@dataclass(frozen=True)
class FitSettings:
    """Scoring knobs of the fit engine; defaults come from roles.yaml `scoring`."""

    energy_weight: float = 0.6
    unknown_energy: int = 0
    unknown_skill: int = 3
    drain_min_share: float = 0.03
    energise_min_share: float = 0.03
    grow_min_share: float = 0.08
    grow_skill_below: int = 3
    unrated_weight: float = 0.5


@dataclass(frozen=True)
class RoleCatalogue:
    roles: dict[str, Role]
    sources: dict[str, Source]
    settings: FitSettings
    setting_reasons: dict[str, str]

    def __iter__(self):
        return iter(self.roles.values())

    def __len__(self) -> int:
        return len(self.roles)

    def __contains__(self, role_id: object) -> bool:
        return role_id in self.roles

    def get(self, role_id: str) -> Role:
        """The role with this id; an unknown id is an InputError that suggests the closest one."""
        try:
            return self.roles[role_id]
        except KeyError:
            raise InputError(
                f"unknown role {role_id!r}{did_you_mean(role_id, list(self.roles))}; "
                f"known roles: {', '.join(self.roles)}"
            ) from None


_SETTING_TYPES = {
    "energy_weight": float,
    "unknown_energy": int,
    "unknown_skill": int,
    "drain_min_share": float,
    "energise_min_share": float,
    "grow_min_share": float,
    "grow_skill_below": int,
    "unrated_weight": float,
}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _parse_sources(doc: YamlDocument, problems: list[str]) -> dict[str, Source]:
    raw = doc.data.get("sources") or {}
    if not isinstance(raw, dict):
        problems.append(f"{doc.where('sources')}: 'sources' must map ids to citations")
        return {}
    sources = {}
    for sid, item in raw.items():
        if not isinstance(item, dict) or not item.get("citation") or not item.get("finding"):
            problems.append(f"{doc.where('sources', sid)}: source {sid!r} needs a citation and a finding")
            continue
        sources[str(sid)] = Source(id=str(sid), citation=str(item["citation"]), finding=str(item["finding"]))
    return sources


def _parse_settings(doc: YamlDocument, problems: list[str]) -> tuple[FitSettings, dict[str, str]]:
    raw = doc.data.get("scoring") or {}
    values: dict[str, float | int] = {}
    reasons: dict[str, str] = {}
    for key, item in raw.items():
        where = doc.where("scoring", key)
        if key not in _SETTING_TYPES:
            problems.append(
                f"{where}: unknown scoring setting {key!r}{did_you_mean(key, list(_SETTING_TYPES))}"
            )
            continue
        if not isinstance(item, dict) or not _is_number(item.get("value")):
            problems.append(f"{where}: {key} needs a numeric 'value'")
            continue
        reason = item.get("source") or item.get("estimate")
        if not reason:
            problems.append(f"{where}: {key} needs a 'source' or an 'estimate' reason")
            continue
        values[key] = _SETTING_TYPES[key](item["value"])
        reasons[key] = str(reason)
    settings = FitSettings(**values)
    if not 0 <= settings.energy_weight <= 1:
        problems.append(f"{doc.where('scoring', 'energy_weight')}: energy_weight must be between 0 and 1")
    if not 0 < settings.unrated_weight <= 1:
        problems.append(f"{doc.where('scoring', 'unrated_weight')}: unrated_weight must be in (0, 1]")
    return settings, reasons


def _parse_role(
    doc: YamlDocument, i: int, item: object, activities: ActivityCatalogue, sources: dict, problems: list[str]
) -> Role | None:
    where = doc.where("roles", i)
    if not isinstance(item, dict):
        problems.append(f"{where}: each role must be a mapping")
        return None
    missing = [k for k in ("id", "name", "summary", "mix") if not item.get(k)]
    if missing:
        problems.append(f"{where}: role is missing {', '.join(missing)}")
        return None
    role_id = str(item["id"])
    mix = item["mix"]
    if not isinstance(mix, dict):
        problems.append(
            f"{doc.where('roles', i, 'mix')}: role {role_id}: 'mix' must map activity ids to shares"
        )
        return None
    entries: list[MixEntry] = []
    estimate_reason = str(item.get("estimate_reason") or "")
    for activity_id, value in mix.items():
        at = doc.where("roles", i, "mix", activity_id)
        if activity_id not in activities:
            problems.append(
                f"{at}: role {role_id}: unknown activity {activity_id!r}{did_you_mean(activity_id, activities.ids)}"
            )
            continue
        source_id, note = None, ""
        if isinstance(value, dict):
            share = value.get("share")
            source_id = value.get("source")
            note = str(value.get("note") or "")
            if source_id is not None and str(source_id) not in sources:
                problems.append(
                    f"{at}: role {role_id}: unknown source {source_id!r}{did_you_mean(source_id, list(sources))}"
                )
        else:
            share = value
        if not _is_number(share) or not 0 < share <= 1:
            problems.append(
                f"{at}: role {role_id}: share of {activity_id} must be a number in (0, 1], got {share!r}"
            )
            continue
        if source_id is None and not estimate_reason:
            problems.append(
                f"{at}: role {role_id}: {activity_id} has no source and the role has no estimate_reason"
            )
        entries.append(MixEntry(activity_id, float(share), str(source_id) if source_id else None, note))
    total = sum(e.share for e in entries)
    if entries and abs(total - 1.0) > SUM_TOLERANCE:
        problems.append(f"{doc.where('roles', i, 'mix')}: role {role_id}: shares sum to {total:.3f}, not 1.0")
    core = tuple(str(c) for c in item.get("core") or ())
    mix_ids = {e.activity_id for e in entries}
    for c in core:
        if c not in mix_ids:
            problems.append(
                f"{doc.where('roles', i, 'core')}: role {role_id}: core activity {c!r} is not in its mix"
            )
    see_also = tuple(str(x) for x in item.get("see_also") or ())
    for sid in see_also:
        if sid not in sources:
            problems.append(
                f"{doc.where('roles', i, 'see_also')}: role {role_id}: unknown source {sid!r}{did_you_mean(sid, list(sources))}"
            )
    return Role(
        see_also=see_also,
        id=role_id,
        name=str(item["name"]),
        article=str(item.get("article") or _article(str(item["name"]))),
        summary=str(item["summary"]),
        skills=tuple(str(s) for s in item.get("skills") or ()),
        core=core,
        entries=tuple(sorted(entries, key=lambda e: -e.share)),
        estimate_reason=estimate_reason,
    )


def _article(name: str) -> str:
    lowered = name[0].lower() + name[1:]
    return ("an " if lowered[:1] in "aeiou" else "a ") + lowered


def parse_roles(doc: YamlDocument, activities: ActivityCatalogue) -> RoleCatalogue:
    """Validate a parsed roles file against an activity catalogue."""
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("roles"), list):
        raise InputError(f"{doc.where()}: expected a mapping with a 'roles' list")
    problems: list[str] = []
    sources = _parse_sources(doc, problems)
    settings, reasons = _parse_settings(doc, problems)
    roles: dict[str, Role] = {}
    for i, item in enumerate(doc.data["roles"]):
        role = _parse_role(doc, i, item, activities, sources, problems)
        if role is None:
            continue
        if role.id in roles:
            problems.append(f"{doc.where('roles', i, 'id')}: duplicate role id {role.id!r}")
            continue
        roles[role.id] = role
    if problems:
        raise InputError(f"{doc.source}: {len(problems)} problem(s) in the role catalogue", problems)
    return RoleCatalogue(roles=roles, sources=sources, settings=settings, setting_reasons=reasons)


@functools.cache
def _default_roles() -> RoleCatalogue:
    return parse_roles(read_yaml_file(DATA_DIR / "roles.yaml"), load_activities())


def load_roles(path: str | Path | None = None, activities: ActivityCatalogue | None = None) -> RoleCatalogue:
    """The role catalogue: the packaged one (loaded once) or one from `path`."""
    if path is None and activities is None:
        return _default_roles()
    return parse_roles(read_yaml_file(path or DATA_DIR / "roles.yaml"), activities or load_activities())
