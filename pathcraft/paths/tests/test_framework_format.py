"""Our framework YAML format: validation messages with lines, dump/load, the default framework, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathcraft.errors import InputError
from pathcraft.paths.cli_framework import framework_group
from pathcraft.paths.frameworks import (
    Position,
    default_framework,
    default_framework_path,
    dump_framework,
    load_framework,
    parse_pathcraft,
)

DATA = Path(__file__).parent / "frameworks"

VALID = """\
pathcraft_framework: 1
id: tiny
name: Tiny framework
areas:
  - id: craft
    name: Craft
  - id: people
    name: People
tracks:
  - id: ic
    name: Engineer
    kind: ic
    levels:
      - id: engineer
        title: Engineer
        rank: 2
        competencies:
          craft:
            - Writes tested code.
      - id: senior
        title: Senior engineer
        rank: 3
        competencies:
          craft:
            - Designs components.
            - id: senior-review
              text: Reviews designs.
              examples: [Reviewed the billing design]
  - id: mgmt
    name: Manager
    kind: management
    levels:
      - id: manager
        title: Engineering manager
        rank: 3
        competencies:
          people:
            - Holds 1:1s.
bridges:
  - from: ic/senior
    to: mgmt/manager
    both_ways: true
    note: The pendulum.
"""


def test_valid_example_loads():
    framework = parse_pathcraft(VALID, "tiny.yaml")
    assert [t.id for t in framework.tracks] == ["ic", "mgmt"]
    senior = framework.level(Position("ic", "senior"))
    assert [c.id for c in senior.criteria()] == ["ic.senior.craft.1", "senior-review"]
    assert senior.criteria()[1].examples == ["Reviewed the billing design"]
    # both_ways gives two bridges, one in each direction
    assert [(str(b.source), str(b.target)) for b in framework.bridges] == [
        ("ic/senior", "mgmt/manager"),
        ("mgmt/manager", "ic/senior"),
    ]


def _line(text: str, marker: str) -> int:
    return next(i + 1 for i, line in enumerate(text.splitlines()) if marker in line)


# (case, text to replace, replacement, marker of the line the error must name, message fragment)
CASES = [
    (
        "duplicate track id",
        "  - id: mgmt",
        "  - id: ic",
        "  - id: ic\n    name: Manager",
        "duplicate track id 'ic'",
    ),
    (
        "duplicate area id",
        "  - id: people",
        "  - id: craft",
        "  - id: craft\n    name: People",
        "duplicate area id 'craft'",
    ),
    (
        "duplicate level id",
        "      - id: senior",
        "      - id: engineer",
        "id: engineer\n        title: Senior",
        "duplicate level id 'engineer'",
    ),
    (
        "unknown bridge target",
        "    to: mgmt/manager",
        "    to: mgmt/director",
        "to: mgmt/director",
        "no level 'director'",
    ),
    (
        "unknown bridge track",
        "    to: mgmt/manager",
        "    to: exec/manager",
        "to: exec/manager",
        "no track 'exec'",
    ),
    (
        "bridge not a position",
        "    to: mgmt/manager",
        "    to: mgmt-manager",
        "to: mgmt-manager",
        "'track/level'",
    ),
    (
        "bridge to itself",
        "    to: mgmt/manager",
        "    to: ic/senior",
        "  - from: ic/senior",
        "leads to itself",
    ),
    (
        "ranks out of order",
        "        rank: 3\n        competencies:\n          craft:\n            - Designs",
        "        rank: 1\n        competencies:\n          craft:\n            - Designs",
        "rank: 1",
        "must be higher than the rank of the level before it (2)",
    ),
    (
        "rank not a number",
        "        rank: 2",
        "        rank: high",
        "rank: high",
        "rank must be a whole number",
    ),
    ("negative rank", "        rank: 2", "        rank: -1", "rank: -1", "whole number >= 0"),
    ("unknown area", "          people:", "          peeple:", "peeple:", "unknown area 'peeple'"),
    (
        "duplicate key",
        "        title: Engineer\n",
        "        title: Engineer\n        title: Dev\n",
        "title: Dev",
        "duplicate key 'title'",
    ),
    (
        "typo in a key",
        "        title: Engineer\n",
        "        titel: Engineer\n",
        "titel: Engineer",
        "unknown key 'titel'",
    ),
    ("id with a slash", "id: tiny", "id: ti/ny", "id: ti/ny", "framework id 'ti/ny' must be"),
    (
        "duplicate criterion id",
        "            - Designs components.",
        "            - id: senior-review\n              text: Designs.",
        "- id: senior-review\n              text: Reviews",
        "duplicate criterion id 'senior-review'",
    ),
    ("missing format key", "pathcraft_framework: 1\n", "", "id: tiny", "needs 'pathcraft_framework'"),
    (
        "wrong version",
        "pathcraft_framework: 1",
        "pathcraft_framework: 2",
        "pathcraft_framework: 2",
        "must be 1",
    ),
    (
        "track without levels",
        "    kind: management\n    levels:",
        "    kind: management\n    levels: []\n    x:",
        "x:",
        "unknown key 'x'",
    ),
    (
        "both_ways not boolean",
        "    both_ways: true",
        "    both_ways: sometimes",
        "both_ways: sometimes",
        "both_ways must be true or false",
    ),
    (
        "yaml syntax",
        "name: Tiny framework",
        "name: Tiny: framework",
        "name: Tiny: framework",
        "YAML syntax: mapping values are not allowed here",
    ),
    (
        "criterion without text",
        "              text: Reviews designs.\n",
        "",
        "- id: senior-review",
        "a criterion needs 'text'",
    ),
]


@pytest.mark.parametrize(("case", "old", "new", "marker", "message"), CASES, ids=[c[0] for c in CASES])
def test_validation_names_file_line_and_problem(case, old, new, marker, message):
    assert old in VALID, case
    broken = VALID.replace(old, new, 1)
    with pytest.raises(InputError) as caught:
        parse_pathcraft(broken, "tiny.yaml")
    error = str(caught.value)
    first_marker_line = marker.split("\n")[0]
    if "\n" in marker:  # the marker spans lines: find where the whole block starts
        index = broken.index(marker)
        line = broken[:index].count("\n") + 1
    else:
        line = _line(broken, first_marker_line)
    assert f"tiny.yaml:{line}: " in error, error
    assert message in error, error


def test_several_problems_are_all_listed():
    broken = VALID.replace("    to: mgmt/manager", "    to: mgmt/director").replace(
        "          people:", "          peeple:"
    )
    with pytest.raises(InputError) as caught:
        parse_pathcraft(broken, "tiny.yaml")
    assert str(caught.value).startswith("tiny.yaml: 2 problems")
    assert len(caught.value.problems) == 2


def test_dump_then_load_is_identity_for_every_field():
    framework = parse_pathcraft(VALID, "tiny.yaml")
    criterion = framework.level(Position("ic", "engineer")).criteria()[0]
    criterion.proficiency = "Practitioner"
    criterion.inherited_from = "generic"
    criterion.attributes = {"n": 1, "odd text": "1e5", "flag": "no", "multi": "line one\nline two\n"}
    framework.tracks[0].levels[0].summary = "  leading spaces and trailing newline\n"
    framework.attributes = {"nested": {"list": [1, "2", None, True]}}
    text = dump_framework(framework)
    assert parse_pathcraft(text, "again.yaml") == framework


def test_plain_criteria_stay_plain_in_the_dump():
    text = dump_framework(parse_pathcraft(VALID, "tiny.yaml"))
    assert "- Writes tested code." in text  # no generated ids written out
    assert "id: senior-review" in text


# --- default framework --------------------------------------------------------------------


def test_default_framework_is_valid_and_multi_track():
    framework = load_framework(default_framework_path())
    assert framework == default_framework()
    assert len(framework.tracks) >= 6
    kinds = {t.kind for t in framework.tracks}
    assert {
        "ic",
        "tech-lead",
        "management",
        "devrel",
        "education",
        "research",
        "sre",
        "security",
        "program-management",
    } <= kinds
    for track in framework.tracks:
        for level in track.levels:
            assert level.title and level.criteria(), f"{track.id}/{level.id} has no expectations"
    assert parse_pathcraft(dump_framework(framework)) == framework


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("ic/senior", "management/manager"),  # senior engineer -> manager
        ("management/manager", "ic/senior"),  # and back
        ("ic/staff", "management/senior-manager"),  # staff engineer <-> manager
        ("management/senior-manager", "ic/staff"),
        ("ic/staff", "management/manager"),
        ("management/senior-manager", "director/director"),  # manager -> director
        ("director/director", "ic/staff"),  # leadership back to hands-on
        ("ic/senior", "devrel/senior-advocate"),  # IC <-> devrel
        ("devrel/senior-advocate", "ic/senior"),
        ("ic/senior", "tech-lead/tech-lead"),
        ("tech-lead/tech-lead", "ic/senior"),
    ],
)
def test_default_framework_has_the_named_bridges(source, target):
    framework = default_framework()
    assert any(str(b.source) == source and str(b.target) == target and b.note for b in framework.bridges)


def test_default_framework_names_its_sources():
    text = default_framework_path().read_text()
    assert "https://charity.wtf/2017/05/11/the-engineer-manager-pendulum/" in text
    assert "https://staffeng.com/guides/staff-archetypes/" in text


def test_engine_imports_no_django():
    code = (
        "import sys; import pathcraft.paths.frameworks, pathcraft.paths.frameworks.readiness, "
        "pathcraft.paths.cli_framework; print('django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- CLI ----------------------------------------------------------------------------------


def test_cli_validate_reports_counts():
    result = CliRunner().invoke(
        framework_group, ["validate", str(DATA / "financial-times" / "engineering.yml")]
    )
    assert result.exit_code == 0, result.output
    assert "valid (2 tracks, 8 levels, 9 areas, 72 criteria, 5 bridges)" in result.output


def test_cli_validate_error_is_file_line_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(VALID.replace("    to: mgmt/manager", "    to: mgmt/director"))
    result = CliRunner().invoke(framework_group, ["validate", str(bad)])
    assert isinstance(result.exception, InputError)
    assert (
        str(result.exception)
        == f"{bad}:{_line(bad.read_text(), 'to: mgmt/director')}: bridge to mgmt/director: no level 'director'"
    )


def test_cli_validate_forced_format_mismatch_is_clear(tmp_path):
    result = CliRunner().invoke(
        framework_group, ["validate", "--format", "ft", str(default_framework_path())]
    )
    assert isinstance(result.exception, InputError)
    assert "is a required property" in str(result.exception)


def test_cli_unknown_file_is_one_line(tmp_path):
    result = CliRunner().invoke(framework_group, ["show", str(tmp_path / "nope.yaml")])
    assert str(result.exception) == f"{tmp_path / 'nope.yaml'}: no such file"


def test_cli_export_writes_our_format(tmp_path):
    out = tmp_path / "backend.yaml"
    source = DATA / "monzo" / "engineering-backend.md"
    result = CliRunner().invoke(framework_group, ["export", str(source), "--to", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith(
        "# Converted by `pathcraft framework export` from engineering-backend.md."
    )
    assert load_framework(out) == load_framework(source)


def test_cli_show_json():
    result = CliRunner().invoke(framework_group, ["show", "--json", str(default_framework_path())])
    summary = json.loads(result.output)
    framework = default_framework()
    assert len(summary["tracks"]) == len(framework.tracks)
    assert sum(lv["criteria"] for t in summary["tracks"] for lv in t["levels"]) == len(framework.criteria())


def test_documented_example_is_valid():
    docs = Path(__file__).parents[3] / "docs" / "frameworks.md"
    example = docs.read_text().split("```yaml\n")[1].split("```")[0]
    framework = parse_pathcraft(example, "docs/frameworks.md")
    assert [str(b.source) + ">" + str(b.target) for b in framework.bridges] == [
        "ic/senior>management/manager",
        "management/manager>ic/senior",
    ]
    assert framework.level(Position("ic", "senior")).criteria()[0].id == "ic.senior.craft.1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("foo: 1\n", "not a framework pathcraft can read"),
        ("", "not a framework pathcraft can read"),
        ("a: [1\n", "YAML syntax"),
    ],
)
def test_unrecognised_file_is_refused_with_the_reason(tmp_path, content, message):
    path = tmp_path / "thing.yaml"
    path.write_text(content)
    with pytest.raises(InputError, match=rf"thing\.yaml:\d+: .*{message}"):
        load_framework(path)


def test_cli_readiness_explains_the_gap(tmp_path):
    assessment = tmp_path / "me.yaml"
    assessment.write_text(
        "target: management/manager\ncurrent: ic/senior\nratings:\n"
        "  management.manager.people.1: {rating: met, evidence: weekly 1:1s with interns}\n"
    )
    args = ["readiness", str(default_framework_path()), str(assessment)]
    result = CliRunner().invoke(framework_group, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "Not yet ready for Engineering manager (management/manager): 1 of 7 criteria met."
    )
    assert "Route: ic/senior -> management/manager" in result.output
    data = json.loads(CliRunner().invoke(framework_group, [*args, "--json"]).output)
    assert data["verdict"] == "not_yet" and len(data["gaps"]) == 6
