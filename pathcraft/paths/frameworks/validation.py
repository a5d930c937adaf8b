"""Rules every framework must follow, whatever format it was read from.

`check_framework` returns problems as one-line messages. `where` turns a path in our YAML
format (("tracks", 0, "levels", 2, "rank")) into "file:line"; importers of other formats pass
a function that names just the file.
"""

from __future__ import annotations

from collections.abc import Callable

from pathcraft.paths.frameworks.model import ID_PATTERN, Framework

Where = Callable[[tuple], str]


def check_framework(framework: Framework, where: Where | None = None) -> list[str]:
    """All problems of a framework (empty when it is valid), each as 'place: problem'."""
    at = where or (lambda path: "")
    problems: list[str] = []

    def problem(path: tuple, text: str) -> None:
        place = at(path)
        problems.append(f"{place}: {text}" if place else text)

    def check_id(path: tuple, value: str, what: str) -> None:
        if not ID_PATTERN.match(value or ""):
            problem(path, f"{what} id {value!r} must be letters, digits, '.', '_' or '-' (no spaces or '/')")

    check_id(("id",), framework.id, "framework")
    if not framework.name.strip():
        problem(("name",), "framework name is empty")

    area_ids: set[str] = set()
    for i, area in enumerate(framework.areas):
        check_id(("areas", i, "id"), area.id, "area")
        if area.id in area_ids:
            problem(("areas", i, "id"), f"duplicate area id {area.id!r}")
        area_ids.add(area.id)
        if not area.name.strip():
            problem(("areas", i, "name"), f"area {area.id!r} has an empty name")

    if not framework.tracks:
        problem(("tracks",), "a framework needs at least one track")
    track_ids: set[str] = set()
    criterion_ids: set[str] = set()
    for t, track in enumerate(framework.tracks):
        tpath = ("tracks", t)
        check_id((*tpath, "id"), track.id, "track")
        if track.id in track_ids:
            problem((*tpath, "id"), f"duplicate track id {track.id!r}")
        track_ids.add(track.id)
        if not track.name.strip():
            problem((*tpath, "name"), f"track {track.id!r} has an empty name")
        if not track.levels:
            problem((*tpath, "levels"), f"track {track.id!r} has no levels")
        level_ids: set[str] = set()
        previous_rank: int | None = None
        for lv_index, level in enumerate(track.levels):
            lpath = (*tpath, "levels", lv_index)
            check_id((*lpath, "id"), level.id, "level")
            if level.id in level_ids:
                problem((*lpath, "id"), f"duplicate level id {level.id!r} in track {track.id!r}")
            level_ids.add(level.id)
            if not level.title.strip():
                problem((*lpath, "title"), f"level {track.id}/{level.id} has an empty title")
            if isinstance(level.rank, bool) or not isinstance(level.rank, int) or level.rank < 0:
                problem((*lpath, "rank"), f"rank of {track.id}/{level.id} must be a whole number >= 0")
            else:
                if previous_rank is not None and level.rank <= previous_rank:
                    problem(
                        (*lpath, "rank"),
                        f"rank {level.rank} of {track.id}/{level.id} must be higher than the rank "
                        f"of the level before it ({previous_rank}); list levels from junior to senior",
                    )
                previous_rank = level.rank
            seen_areas: set[str] = set()
            for competency in level.competencies:
                cpath = (*lpath, "competencies", competency.area)
                if competency.area not in area_ids:
                    problem(cpath, f"level {track.id}/{level.id} uses unknown area {competency.area!r}")
                if competency.area in seen_areas:
                    problem(cpath, f"area {competency.area!r} appears twice in {track.id}/{level.id}")
                seen_areas.add(competency.area)
                for k, criterion in enumerate(competency.criteria):
                    kpath = (*cpath, k)
                    check_id(kpath, criterion.id, "criterion")
                    if criterion.id in criterion_ids:
                        problem(kpath, f"duplicate criterion id {criterion.id!r}")
                    criterion_ids.add(criterion.id)
                    if not criterion.text.strip():
                        problem(kpath, f"criterion {criterion.id!r} has no text")
                    for link in criterion.links:
                        if not link.url.startswith(("http://", "https://")):
                            problem(
                                kpath, f"link {link.url!r} of {criterion.id!r} must start with http(s)://"
                            )

    seen_bridges: set[tuple] = set()
    missing: set = set()  # report each unknown position once (both_ways repeats it reversed)
    for b, bridge in enumerate(framework.bridges):
        for end, position in (("from", bridge.source), ("to", bridge.target)):
            if framework.level(position) is None and position not in missing:
                missing.add(position)
                if framework.track(position.track) is None:
                    problem(("bridges", b, end), f"bridge {end} {position}: no track {position.track!r}")
                else:
                    problem(("bridges", b, end), f"bridge {end} {position}: no level {position.level!r}")
        if bridge.source == bridge.target:
            problem(("bridges", b), f"bridge from {bridge.source} leads to itself")
        key = (bridge.source, bridge.target)
        if key in seen_bridges:
            problem(("bridges", b), f"bridge {bridge.source} -> {bridge.target} is listed twice")
        seen_bridges.add(key)
    return problems
