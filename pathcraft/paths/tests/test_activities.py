"""The activity catalogue and the line-tracking YAML reader."""

import subprocess
import sys

import pytest

from pathcraft.errors import InputError
from pathcraft.paths.activities import join_words, load_activities, parse_activities, read_yaml

ISSUE_ACTIVITIES = {
    "coding", "code_review", "design", "debugging", "support", "testing", "infrastructure", "security",
    "writing", "mentoring", "teaching", "presenting", "customer", "research", "data_analysis", "planning",
    "stakeholders", "hiring", "people_management", "meetings",
}  # fmt: skip


def test_catalogue_covers_the_issue_list_and_every_group_is_named():
    catalogue = load_activities()
    assert set(catalogue.ids) == ISSUE_ACTIVITIES
    for activity in catalogue:
        assert activity.group in catalogue.groups
        assert activity.short == activity.short.lower() or activity.short.startswith("1:1")
        assert activity.description.endswith(".")


def test_read_yaml_remembers_lines_of_nested_values():
    doc = read_yaml("a: 1\nb:\n  c: [x, y]\n  d: {e: 2}\n", "t.yaml")
    assert doc.data == {"a": 1, "b": {"c": ["x", "y"], "d": {"e": 2}}}
    assert doc.lines[("a",)] == 1
    assert doc.lines[("b", "c", 1)] == 3
    assert doc.lines[("b", "d", "e")] == 4
    assert doc.where("b", "d", "missing") == "t.yaml: line 4"


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: 1\na: 2\n", "line 2: duplicate key 'a'"),
        ("a: [1, 2\n", "not valid YAML"),
        ("a: b: c\n", "line 1: not valid YAML"),
    ],
)
def test_read_yaml_errors_name_the_line(text, message):
    with pytest.raises(InputError, match=message):
        read_yaml(text, "bad.yaml")


def test_bad_activity_file_lists_every_problem_with_its_line():
    doc = read_yaml(
        "groups: {build: Build}\nactivities:\n  - id: a\n    name: A\n    short: a\n    description: d.\n"
        "    group: bild\n  - id: a\n    name: A\n    short: a\n    description: d.\n    group: build\n"
        "  - id: b\n",
        "acts.yaml",
    )
    with pytest.raises(InputError) as err:
        parse_activities(doc)
    text = str(err.value)
    assert "acts.yaml: line 7: unknown group 'bild' (did you mean 'build'?)" in text
    assert "line 8: duplicate activity id 'a'" in text
    assert "line 13: activity is missing name, short, description, group" in text


@pytest.mark.parametrize(
    "words, expected",
    [
        ([], ""),
        (["a"], "a"),
        (["a", "b"], "a and b"),
        (["a", "b", "c"], "a, b and c"),
        (["x and y", "z"], "x and y, and z"),
    ],
)
def test_join_words(words, expected):
    assert join_words(words) == expected


def test_engine_modules_import_no_django():
    code = (
        "import sys\n"
        "import pathcraft.paths.fit, pathcraft.paths.crafting, pathcraft.paths.experiments, pathcraft.paths.svg\n"
        "import pathcraft.paths.cli_fit\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if m.startswith('django'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
