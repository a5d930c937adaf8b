"""Frameworks in the database: the real FT and Monzo files import, round-trip, and the CLI stores them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pathcraft.errors import InputError
from pathcraft.paths import actions
from pathcraft.paths.cli import framework_group  # the DB commands join the group there
from pathcraft.paths.frameworks import default_framework, dump_framework, load_framework
from pathcraft.paths.models import Framework
from pathcraft.people.tests.factories import make_org

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "frameworks"
REAL_FILES = [
    DATA / "financial-times" / "engineering.yml",
    DATA / "financial-times" / "operations.yml",
    DATA / "monzo" / "engineering-backend.md",
    DATA / "monzo" / "engineering-web.md",
    DATA / "monzo" / "people.md",
]


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name)
def test_real_files_import_into_the_database_without_loss(path):
    org = make_org()
    row, _warnings = actions.import_framework_file(org, path)
    stored = Framework.objects.get(pk=row.pk)  # a fresh row: parsed from the stored text only
    assert stored.data == load_framework(path)
    assert dump_framework(stored.data) == stored.text
    assert (stored.tracks, stored.levels, stored.criteria) == (
        len(stored.data.tracks),
        sum(len(t.levels) for t in stored.data.tracks),
        len(stored.data.criteria()),
    )


@pytest.mark.parametrize("name", ["engineering.yml", "operations.yml"])
def test_ft_counts_in_the_database_equal_the_source(name):
    raw = yaml.safe_load((DATA / "financial-times" / name).read_text())
    row, _ = actions.import_framework_file(make_org(), DATA / "financial-times" / name)
    assert row.levels == len(raw["levels"])
    assert row.criteria == len(raw["competencies"])
    per_level = Counter(c["level"] for c in raw["competencies"])
    stored = Framework.objects.get(pk=row.pk).data
    assert {lv.id: len(lv.criteria()) for t in stored.tracks for lv in t.levels} == dict(per_level)


def test_monzo_counts_in_the_database_equal_the_source():
    path = DATA / "monzo" / "engineering-backend.md"
    front = yaml.safe_load(path.read_text().split("---")[1])
    generic = yaml.safe_load((DATA / "monzo" / "generic.md").read_text().split("---")[1])
    generic_topics = {t["name"]: t for t in generic["topics"]}

    def count(topic, level):
        content = next((c for c in topic.get("content") or [] if c["level"] == level), {})
        return len(content.get("criteria") or []) + len(content.get("exampleCriteria") or [])

    expected = 0
    for level in range(1, front["levels"] + 1):
        for topic in front["topics"]:
            expected += count(topic, level)
            if topic["name"] in generic_topics:
                expected += count(generic_topics[topic["name"]], level)
    row, _ = actions.import_framework_file(make_org(), path)
    assert row.levels == front["levels"]
    assert row.criteria == expected


def test_the_first_framework_becomes_active_and_activate_moves_it():
    org = make_org()
    first, _ = actions.import_framework_file(org, REAL_FILES[0])
    second, _ = actions.import_framework_file(org, REAL_FILES[2])
    assert Framework.objects.get(pk=first.pk).is_active and not Framework.objects.get(pk=second.pk).is_active
    actions.activate_framework(second)
    assert list(Framework.objects.filter(organisation=org, is_active=True)) == [second]


def test_reimport_replaces_the_framework_with_the_same_id():
    org = make_org()
    actions.import_framework_file(org, REAL_FILES[0])
    actions.import_framework_file(org, REAL_FILES[0])
    assert Framework.objects.filter(organisation=org).count() == 1


def test_default_framework_is_imported_on_first_use():
    org = make_org()
    assert not Framework.objects.exists()
    row = actions.active_framework(org)
    assert row.is_active and row.data == default_framework()
    assert actions.active_framework(org).pk == row.pk  # not imported twice
    assert len(row.data.tracks) >= 6


def test_cli_import_stores_and_activates(tmp_path):
    org = make_org()
    runner = CliRunner()
    result = runner.invoke(framework_group, ["import", str(REAL_FILES[2]), "--activate"])
    assert result.exit_code == 0, result.output + str(result.exception)
    assert "imported engineering-backend" in result.output and "; active" in result.output
    row = Framework.objects.get(organisation=org, key="engineering-backend")
    assert row.is_active and row.source_format == "monzo"
    listed = runner.invoke(framework_group, ["list"])
    assert "* engineering-backend" in listed.output


def test_cli_import_names_file_and_line_of_a_broken_file(tmp_path):
    make_org()
    broken = tmp_path / "broken.yml"
    broken.write_text((DATA / "financial-times" / "engineering.yml").read_text().replace(
        "proficiency: Practitioner", "proficiency: Wizard", 1))  # fmt: skip
    result = CliRunner().invoke(framework_group, ["import", str(broken)])
    assert isinstance(result.exception, InputError)
    assert "broken.yml:" in str(result.exception) and "Wizard" in str(result.exception)
    assert not Framework.objects.exists()


def test_cli_import_without_an_organisation_says_what_to_do():
    result = CliRunner().invoke(framework_group, ["import", str(REAL_FILES[0])])
    assert isinstance(result.exception, InputError)
    assert "no organisation yet" in str(result.exception)
