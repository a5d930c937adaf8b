"""The role catalogue: mixes, sources and validation."""

import pytest

from pathcraft.errors import InputError
from pathcraft.paths.activities import load_activities, read_yaml
from pathcraft.paths.roles import SUM_TOLERANCE, load_roles, parse_roles

ISSUE_ROLES = {
    "software_engineer", "senior_engineer", "staff_engineer", "tech_lead", "engineering_manager", "director",
    "devrel", "solutions_engineer", "technical_writer", "educator", "researcher", "sre", "support_engineer",
    "security_engineer", "qa_engineer", "program_manager", "product_manager",
}  # fmt: skip


def test_all_issue_roles_are_in_the_catalogue():
    assert set(load_roles().roles) == ISSUE_ROLES


@pytest.mark.parametrize("role", list(load_roles()), ids=lambda r: r.id)
def test_every_mix_sums_to_one_and_every_share_is_explained(role):
    catalogue = load_roles()
    assert abs(sum(role.mix.values()) - 1.0) <= SUM_TOLERANCE
    assert set(role.mix) <= set(load_activities().ids)
    for entry in role.entries:
        if entry.source_id is None:
            assert len(role.estimate_reason) > 20, (
                f"{role.id}.{entry.activity_id} has no source and no reason"
            )
        else:
            assert entry.source_id in catalogue.sources
    assert role.core and set(role.core) <= set(role.mix)
    assert role.skills


def test_every_source_is_used_and_has_a_citation():
    catalogue = load_roles()
    used = {sid for role in catalogue for sid in (*role.source_ids, *role.see_also)}
    for source in catalogue.sources.values():
        assert source.citation and source.finding
    # shanafelt2009 backs the scoring weight's reason rather than a mix
    assert set(catalogue.sources) - used == {"shanafelt2009"}


def test_every_scoring_setting_has_a_reason():
    catalogue = load_roles()
    assert set(catalogue.setting_reasons) == {
        "energy_weight", "unknown_energy", "unknown_skill", "drain_min_share", "energise_min_share",
        "grow_min_share", "grow_skill_below", "unrated_weight",
    }  # fmt: skip
    assert 0 <= catalogue.settings.energy_weight <= 1


BAD_ROLES = """\
sources:
  src1: {citation: C, finding: F}
roles:
  - id: r1
    name: R one
    summary: S
    core: [coding, hiring]
    mix:
      coding: {share: 0.5, source: src2}
      codng: 0.3
      meetings: 0.1
  - id: r2
    name: R two
    summary: S
    estimate_reason: guessed
    mix:
      coding: 1.5
"""


def test_bad_role_file_names_line_and_problem():
    with pytest.raises(InputError) as err:
        parse_roles(read_yaml(BAD_ROLES, "roles.yaml"), load_activities())
    problems = "\n".join(err.value.problems)
    assert "roles.yaml: line 9: role r1: unknown source 'src2' (did you mean 'src1'?)" in problems
    assert "roles.yaml: line 10: role r1: unknown activity 'codng' (did you mean 'coding'?)" in problems
    assert "line 11: role r1: meetings has no source and the role has no estimate_reason" in problems
    assert "role r1: shares sum to 0.600, not 1.0" in problems
    assert "role r1: core activity 'hiring' is not in its mix" in problems
    assert "line 17: role r2: share of coding must be a number in (0, 1], got 1.5" in problems


def test_unknown_role_suggests_the_closest():
    with pytest.raises(
        InputError, match="unknown role 'engineering_manger' \\(did you mean 'engineering_manager'\\?\\)"
    ):
        load_roles().get("engineering_manger")


def test_article_is_used_in_sentences():
    roles = load_roles()
    assert roles.get("engineering_manager").article == "an engineering manager"
    assert roles.get("sre").article == "an SRE"


def test_sources_page_covers_every_role_and_source():
    from pathcraft.paths.activities import DATA_DIR

    page = (DATA_DIR / "sources.md").read_text(encoding="utf-8")
    catalogue = load_roles()
    for role in catalogue:
        assert f"(`{role.id}`)" in page, f"sources.md has no section for {role.id}"
        for entry in role.entries:
            if entry.source_id:
                assert f"[{entry.source_id}]" in page
    for sid in catalogue.sources:
        assert f"**[{sid}]**" in page
