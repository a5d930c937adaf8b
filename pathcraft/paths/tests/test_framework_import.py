"""Importing the real Financial Times and Monzo framework files (copies in tests/frameworks/)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from pathcraft.errors import InputError
from pathcraft.paths.frameworks import (
    Position,
    dump_framework,
    load_framework,
    parse_pathcraft,
    read_framework,
)
from pathcraft.paths.frameworks.ft import ft_schema, parse_ft
from pathcraft.paths.frameworks.monzo import parse_monzo

DATA = Path(__file__).parent / "frameworks"
FT = DATA / "financial-times"
MONZO = DATA / "monzo"


def line_of(text: str, fragment: str, start: int = 0) -> int:
    """1-based number of the first line at or after `start` containing `fragment`."""
    lines = text.splitlines()
    return next(i + 1 for i in range(start, len(lines)) if fragment in lines[i])


# --- Financial Times ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["engineering.yml", "operations.yml"])
def test_ft_counts_equal_the_source(name):
    raw = yaml.safe_load((FT / name).read_text())
    framework = load_framework(FT / name)
    levels = [lv for t in framework.tracks for lv in t.levels]
    assert sorted(lv.id for lv in levels) == sorted(lv["id"] for lv in raw["levels"])
    assert [a.id for a in framework.areas] == [th["id"] for th in raw["themes"]]
    assert len(framework.criteria()) == len(raw["competencies"])
    per_level = Counter(c["level"] for c in raw["competencies"])
    assert {lv.id: len(lv.criteria()) for lv in levels} == {
        lv["id"]: per_level[lv["id"]] for lv in raw["levels"]
    }
    # every competency keeps its id, text, theme, proficiency and examples
    by_id = {c.id: (c, comp.area) for lv in levels for comp in lv.competencies for c in comp.criteria}
    for comp in raw["competencies"]:
        criterion, area = by_id[comp["id"]]
        assert (criterion.text, area, criterion.proficiency) == (
            comp["summary"],
            comp["theme"],
            comp["proficiency"],
        )
        assert criterion.examples == comp.get("examples", [])


def test_ft_parallel_levels_become_two_tracks_with_bridges():
    framework = load_framework(FT / "engineering.yml")
    ic, pm = framework.track("ic"), framework.track("pm")
    assert [lv.id for lv in ic.levels] == ["junior", "engineer", "senior-1", "senior-2-ic", "principal-ic"]
    assert [lv.id for lv in pm.levels] == ["senior-2-pm", "principal-pm", "tech-director"]
    assert (ic.kind, pm.kind) == ("ic", "management")
    assert ic.level("senior-2-ic").rank == pm.level("senior-2-pm").rank
    pairs = {(str(b.source), str(b.target)) for b in framework.bridges}
    for a, b in [("ic/senior-2-ic", "pm/senior-2-pm"), ("ic/principal-ic", "pm/principal-pm")]:
        assert (a, b) in pairs and (b, a) in pairs  # moving back is a normal path
    assert ("ic/senior-1", "pm/senior-2-pm") in pairs


def test_ft_single_track_family_has_no_bridges():
    framework = load_framework(FT / "operations.yml")
    assert [t.id for t in framework.tracks] == ["ic"] and framework.bridges == []
    assert framework.attributes["isLegacy"] is True


def test_shipped_schema_is_the_published_one():
    assert ft_schema() == json.loads((FT / "job-family.schema.json").read_text())


def _broken_ft(tmp_path: Path, old: str, new: str, count: int = 1) -> tuple[Path, str]:
    text = (FT / "engineering.yml").read_text()
    assert old in text
    broken = text.replace(old, new, count)
    path = tmp_path / "engineering.yml"
    path.write_text(broken)
    return path, broken


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [
        (
            "proficiency: Awareness",
            "proficiency: Beginner",
            "proficiency: Beginner",
            "'Beginner' is not one of",
        ),
        ("level: junior", "level: intern", "level: intern", "unknown level 'intern'"),
        ("theme: technical", "theme: tech", "theme: tech\n", "unknown theme 'tech'"),
        (
            "  - id: fb43098c-588c-421c-b87a-92b0bfd2ad7c",
            "  - id: not-a-uuid",
            "id: not-a-uuid",
            "does not match",
        ),
        (
            "    name: Junior Engineer\n",
            "    name: Junior Engineer\n    colour: blue\n",
            "colour: blue",
            "'colour' was unexpected",
        ),
    ],
)
def test_ft_schema_failure_names_file_and_line(tmp_path, old, new, marker, message):
    path, broken = _broken_ft(tmp_path, old, new)
    with pytest.raises(InputError) as caught:
        load_framework(path)
    text = str(caught.value)
    expected_line = line_of(broken, marker.rstrip("\n"))
    if marker == "colour: blue":  # additionalProperties is reported at the object that has it
        expected_line = line_of(broken, "- id: junior")
    assert f"{path}:{expected_line}: " in text
    assert message in text


def test_ft_missing_required_key_names_line_1(tmp_path):
    path, _ = _broken_ft(tmp_path, "googleSheetId: 1GdndpZmqWHMDnniHEHSfuHsqkh8YtpFd22KnEjz_eAM\n", "")
    with pytest.raises(InputError, match=r"engineering\.yml:1: /: 'googleSheetId' is a required property"):
        load_framework(path)


def test_ft_duplicate_competency_id_is_reported(tmp_path):
    first = "id: 5a7a1356-86cd-49b4-8fae-7431837986c9"
    path, broken = _broken_ft(tmp_path, first, "id: fb43098c-588c-421c-b87a-92b0bfd2ad7c")
    with pytest.raises(InputError) as caught:
        parse_ft(broken, str(path))
    line = line_of(broken, "fb43098c-588c-421c-b87a-92b0bfd2ad7c", line_of(broken, "fb43098c"))
    assert f"{path}:{line}: duplicate competency id" in str(caught.value)


# --- Monzo --------------------------------------------------------------------------------


def _front_matter(path: Path) -> dict:
    text = path.read_text()
    body = text.split("---\n")[1]
    return yaml.safe_load(body.replace("-\t", "- "))  # people.md: a tab after a dash (see README)


def _monzo_counts(page: dict, generic: dict | None) -> Counter:
    """Criteria per (topic name, level) as Monzo's site shows them, counted from the raw YAML."""
    counts: Counter = Counter()
    generic_topics = {t["name"]: t for t in (generic or {}).get("topics", [])}
    max_level = max([page["levels"]] + [c["level"] for t in page["topics"] for c in t["content"]])
    for topic in page["topics"]:
        for entry in topic["content"]:
            counts[topic["name"], entry["level"]] += len(entry.get("criteria") or [])
            counts[topic["name"], entry["level"]] += len(entry.get("exampleCriteria") or [])
        for entry in generic_topics.get(topic["name"], {}).get("content", []):
            if entry["level"] <= max_level:
                counts[topic["name"], entry["level"]] += len(entry.get("criteria") or [])
    return +counts


@pytest.mark.parametrize("name", ["engineering-backend.md", "engineering-web.md", "generic.md", "people.md"])
def test_monzo_counts_equal_the_source(name):
    page = _front_matter(MONZO / name)
    generic = None if name == "generic.md" else _front_matter(MONZO / "generic.md")
    framework, _ = read_framework(MONZO / name)
    (track,) = framework.tracks
    assert len(track.levels) >= page["levels"]
    assert len(framework.areas) == len(page["topics"])
    got = Counter()
    names = {a.id: a.attributes.get("source_name", a.id) for a in framework.areas}
    for level in track.levels:
        for competency in level.competencies:
            got[names[competency.area], level.rank] += len(competency.criteria)
    assert got == _monzo_counts(page, generic)


def test_monzo_engineering_inherits_titles_and_criteria_from_generic():
    framework = load_framework(MONZO / "engineering-backend.md")
    generic = _front_matter(MONZO / "generic.md")
    titles = {t["name"]: t["title"] for t in generic["topics"]}
    assert framework.area("communication").name == titles["communication"]
    assert framework.area("impact").name == titles["impact"]
    assert framework.area("mastery").name == "🛠️ Mastery"  # not in generic: its own title
    level1 = framework.level(Position("engineering-backend", "level-1"))
    communication = next(c for c in level1.competencies if c.area == "communication")
    inherited = [c.text for c in communication.criteria if c.inherited_from == "generic"]
    generic_level1 = next(
        e
        for e in next(t for t in generic["topics"] if t["name"] == "communication")["content"]
        if e["level"] == 1
    )
    assert inherited == generic_level1["criteria"]
    own = [c.text for c in communication.criteria if not c.inherited_from]
    assert own[0] == "Provides regular status updates to their mentor/buddy"


def test_monzo_example_criteria_keep_their_examples():
    framework = load_framework(MONZO / "engineering-backend.md")
    criterion = next(
        c
        for c in framework.criteria()
        if c.text == "Proactively considers security implications of their work"
    )
    assert len(criterion.examples) == 5
    assert criterion.examples[3] == '"There\'s a risk here of X, Y but given Z, I think this is OK"'


def test_monzo_tab_after_dash_is_read_with_a_warning():
    framework, warnings = read_framework(MONZO / "people.md")
    assert any(re.search(r"people\.md:205: a tab after '-' was read as a space", w) for w in warnings)
    assert any(
        c.text.startswith("Understands people risk and conduct policies") for c in framework.criteria()
    )


def test_monzo_tab_in_indentation_names_the_line(tmp_path):
    text = (MONZO / "generic.md").read_text()
    broken = text.replace('          - "Completes training"', '\t  - "Completes training"')
    path = tmp_path / "generic.md"
    path.write_text(broken)
    line = line_of(broken, '"Completes training"')
    with pytest.raises(InputError, match=rf"generic\.md:{line}: tab in the indentation"):
        load_framework(path)


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [
        (
            '          - "Seeks out feedback"',
            '          - "Seeks out feedback": x: y',
            "Seeks out",
            "mapping values are not allowed",
        ),
        (
            '          - "Seeks out feedback"',
            '          - "Seeks out feedback" (sic)',
            "Seeks out",
            "expected <block end>",
        ),
        (
            '      - level: 6\n        criteria:\n          - "Has a high',
            '      - level: 0\n        criteria:\n          - "Has a high',
            "level: 0",
            "`level` must be a whole number",
        ),
        ("levels: 6", "levels: six", "levels: six", "`levels` must be the number of levels"),
        ('  - name: "impact"', "  - name: 42", "name: 42", "a topic needs a `name`"),
    ],
)
def test_monzo_broken_front_matter_names_the_line(tmp_path, old, new, marker, message):
    text = (MONZO / "generic.md").read_text()
    assert old in text
    broken = text.replace(old, new, 1)
    path = tmp_path / "generic.md"
    path.write_text(broken)
    with pytest.raises(InputError) as caught:
        load_framework(path)
    error = str(caught.value)
    assert message in error
    assert f"{path}:{line_of(broken, marker)}: " in error


def test_monzo_unclosed_front_matter(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("---\ntitle: x\nyaml: true\n")
    with pytest.raises(InputError, match=r"x\.md:1: the front matter opened on line 1 is never closed"):
        load_framework(path, format="monzo")


def test_monzo_without_generic_says_what_is_missing(tmp_path):
    page = tmp_path / "backend.md"
    page.write_text((MONZO / "engineering-backend.md").read_text())
    with pytest.raises(InputError) as caught:
        load_framework(page)
    assert "topic 'communication' has an empty title" in str(caught.value)
    assert "--generic" in str(caught.value)
    # given explicitly, it works
    framework = load_framework(page, generic=MONZO / "generic.md")
    assert framework.area("communication").name == "💬 Communication"


def test_monzo_generic_found_in_parent_folder(tmp_path):
    (tmp_path / "engineering").mkdir()
    (tmp_path / "generic.md").write_text((MONZO / "generic.md").read_text())
    page = tmp_path / "engineering" / "web.md"
    page.write_text((MONZO / "engineering-web.md").read_text())
    found, beside = load_framework(page), load_framework(MONZO / "engineering-web.md")
    assert replace(found, source="") == replace(beside, source="")


def test_monzo_text_page_is_refused_clearly():
    text = '---\npath: "/design/x"\ntitle: "X"\nyaml: false\nlevels:\n---\n## Level 1\n'
    with pytest.raises(InputError, match=r"x\.md:4: this page is free text"):
        parse_monzo(text, "x.md")


def test_monzo_unquoted_colon_is_kept_as_text_with_a_warning():
    text = "---\nyaml: true\nlevels: 1\ntopics:\n  - name: a\n    title: A\n    content:\n      - level: 1\n        criteria:\n          - Owns: the thing\n---\n"
    framework, warnings = parse_monzo(text, "x.md")
    assert [c.text for c in framework.criteria()] == ["Owns: the thing"]
    assert any("x.md:10: unquoted ': '" in w for w in warnings)


def test_yaml_12_scalars_keep_text():
    text = "---\nyaml: true\nlevels: 1\ntopics:\n  - name: a\n    title: A\n    content:\n      - level: 1\n        criteria:\n          - yes\n          - 2024-01-01\n---\n"
    framework, _ = parse_monzo(text, "x.md")
    assert [c.text for c in framework.criteria()] == ["yes", "2024-01-01"]


# --- round trips --------------------------------------------------------------------------

REAL_FILES = [FT / "engineering.yml", FT / "operations.yml"] + [
    MONZO / n for n in ("engineering-backend.md", "engineering-web.md", "generic.md", "people.md")
]


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name)
def test_export_and_reimport_loses_nothing(path, tmp_path):
    framework = load_framework(path)
    text = dump_framework(framework)
    again = parse_pathcraft(text, "exported.yaml")
    assert again == framework
    assert dump_framework(again) == text  # and the text is stable
    out = tmp_path / "exported.yaml"
    out.write_text(text)
    assert load_framework(out) == framework  # auto-detected as our format


def test_ft_problems_are_listed_in_file_order(tmp_path):
    path, broken = _broken_ft(tmp_path, "proficiency: Awareness", "proficiency: Beginner", count=-1)
    with pytest.raises(InputError) as caught:
        load_framework(path)
    lines = [int(re.search(r"\.yml:(\d+):", p)[1]) for p in caught.value.problems]
    expected = [i + 1 for i, line in enumerate(broken.splitlines()) if "proficiency: Beginner" in line]
    assert lines == expected and len(lines) == 11
