"""Readiness for a target position: worked examples of the rule (breadth, not a points sum)."""

from __future__ import annotations

import pytest

from pathcraft.errors import InputError
from pathcraft.paths.frameworks import Position, default_framework, parse_pathcraft
from pathcraft.paths.frameworks.readiness import (
    Assessment,
    Rating,
    Rules,
    assess_readiness,
    default_rules,
    parse_assessment,
    route,
)

# Target level: design has 4 criteria, delivery 2, people 1 (7 in all).
FRAMEWORK = parse_pathcraft(
    """\
pathcraft_framework: 1
id: worked
name: Worked example
areas:
  - {id: design, name: Design}
  - {id: delivery, name: Delivery}
  - {id: people, name: People}
tracks:
  - id: ic
    name: Engineer
    kind: ic
    levels:
      - {id: senior, title: Senior engineer, rank: 3, competencies: {design: [Designs components.]}}
      - id: staff
        title: Staff engineer
        rank: 4
        competencies:
          design: [Sets direction., Writes strategy., Reviews designs across teams., Simplifies systems.]
          delivery: [Delivers across teams., Unblocks projects.]
          people: [Sponsors senior engineers.]
  - id: mgmt
    name: Manager
    kind: management
    levels:
      - {id: manager, title: Engineering manager, rank: 3, competencies: {people: [Holds 1:1s.]}}
bridges:
  - {from: ic/senior, to: mgmt/manager, both_ways: true}
""",
    "worked.yaml",
)
STAFF = Position("ic", "staff")
RULES = Rules(
    area_min_met_share=0.5, area_max_not_yet_share=0.25, overall_min_met_share=0.7, evidence_required=True
)
IDS = {
    "design": [f"ic.staff.design.{n}" for n in range(1, 5)],
    "delivery": ["ic.staff.delivery.1", "ic.staff.delivery.2"],
    "people": ["ic.staff.people.1"],
}


def assessment(design, delivery, people, evidence="shipped X") -> Assessment:
    ratings = {}
    for area, values in (("design", design), ("delivery", delivery), ("people", people)):
        for criterion_id, value in zip(IDS[area], values, strict=False):
            if value is not None:
                ratings[criterion_id] = Rating(value, evidence)
    return Assessment(STAFF, ratings)


POINTS = {"not_yet": 0, "partly": 1, "met": 2, "exceeds": 3}


@pytest.mark.parametrize(
    ("case", "design", "delivery", "people", "verdict", "met"),
    [
        ("everything met", ["met"] * 4, ["met"] * 2, ["met"], "ready", 7),
        (
            "5 of 7 met, every area half met",
            ["met", "met", "met", "partly"],
            ["met", "partly"],
            ["met"],
            "ready",
            5,
        ),
        # a high points sum (18 of 21) but one area untouched: not ready
        ("strong but one area untouched", ["exceeds"] * 4, ["exceeds"] * 2, ["not_yet"], "not_yet", 6),
        # every area half met, but only 4 of 7 overall
        ("broad but thin", ["met", "met", "partly", "partly"], ["met", "partly"], ["met"], "close", 4),
        # 2 of 4 design criteria not even started: more than a quarter
        (
            "half of an area not started",
            ["met", "met", "not_yet", "not_yet"],
            ["met", "met"],
            ["met"],
            "close",
            5,
        ),
    ],
)
def test_worked_examples(case, design, delivery, people, verdict, met):
    result = assess_readiness(FRAMEWORK, STAFF, assessment(design, delivery, people), RULES)
    assert (result.verdict, result.met, result.total) == (verdict, met, 7), result.explain()
    assert len(result.gaps) == 7 - met


def test_points_sum_would_rank_differently():
    untouched = assessment(["exceeds"] * 4, ["exceeds"] * 2, ["not_yet"])
    balanced = assessment(["met", "met", "met", "partly"], ["met", "partly"], ["met"])
    points = [sum(POINTS[r.rating] for r in a.ratings.values()) for a in (untouched, balanced)]
    assert points[0] > points[1]  # a sum prefers the lopsided profile…
    verdicts = [assess_readiness(FRAMEWORK, STAFF, a, RULES).verdict for a in (untouched, balanced)]
    assert verdicts == ["not_yet", "ready"]  # …the rule does not


def test_gap_is_listed_in_words():
    result = assess_readiness(
        FRAMEWORK, STAFF, assessment(["exceeds"] * 4, ["exceeds"] * 2, ["not_yet"]), RULES
    )
    lines = result.explain()
    assert lines[0] == "Not yet ready for Staff engineer (ic/staff): 6 of 7 criteria met."
    assert "People: 0 of 1 criteria met; at least 1 needed." in lines
    assert not any("not yet started" in line for line in lines)  # the area is already below half met
    assert "People: “Sponsors senior engineers.” — rated not yet (evidence: shipped X)." in lines
    assert lines[-1].startswith(
        "Rated beyond the level: Design: “Sets direction.”; Design: “Writes strategy.”"
    )


def test_met_without_evidence_counts_as_partly():
    without = assessment(["met"] * 4, ["met"] * 2, ["met"], evidence="")
    result = assess_readiness(FRAMEWORK, STAFF, without, RULES)
    assert result.met == 0 and result.verdict == "not_yet"
    assert "rated met but without an evidence note; add an example" in result.gaps[0].reason
    relaxed = Rules(0.5, 0.25, 0.7, evidence_required=False)
    assert assess_readiness(FRAMEWORK, STAFF, without, relaxed).verdict == "ready"


def test_unrated_criteria_are_not_assessed_gaps():
    result = assess_readiness(FRAMEWORK, STAFF, assessment(["met"] * 4, ["met"] * 2, [None]), RULES)
    (gap,) = result.gaps
    assert gap.criterion == "ic.staff.people.1" and gap.reason == "not assessed yet"


def test_any_level_of_any_track_can_be_a_target():
    target = Position("mgmt", "manager")
    result = assess_readiness(
        FRAMEWORK,
        target,
        Assessment(
            target, {"mgmt.manager.people.1": Rating("met", "ran 1:1s for interns")}, Position("ic", "staff")
        ),
        RULES,
    )
    assert result.verdict == "ready"
    assert [(str(s.source), str(s.target), s.kind) for s in result.route] == [
        ("ic/staff", "ic/senior", "down"),
        ("ic/senior", "mgmt/manager", "bridge"),
    ]


def test_unknown_criterion_or_position_is_a_clear_error():
    with pytest.raises(
        InputError, match=r"ratings for criteria that ic/staff does not have: ic.senior.design.1"
    ):
        assess_readiness(
            FRAMEWORK, STAFF, Assessment(STAFF, {"ic.senior.design.1": Rating("met", "x")}), RULES
        )
    with pytest.raises(InputError, match=r"no level 'principal' in track 'ic' \(levels: senior, staff\)"):
        assess_readiness(FRAMEWORK, Position("ic", "principal"), Assessment(STAFF), RULES)


def test_parse_assessment():
    parsed = parse_assessment(
        {
            "target": "ic/staff",
            "current": "ic/senior",
            "ratings": {"ic.staff.people.1": {"rating": "not yet"}, "ic.staff.design.1": "met"},
        }
    )
    assert parsed.target == STAFF and parsed.current == Position("ic", "senior")
    assert parsed.ratings["ic.staff.people.1"] == Rating("not_yet", "")
    with pytest.raises(
        InputError, match=r"me\.yaml: rating of 'x' must be one of not yet, partly, met, exceeds, got 'great'"
    ):
        parse_assessment({"target": "ic/staff", "ratings": {"x": "great"}}, "me.yaml")
    with pytest.raises(InputError, match=r"me\.yaml: position must be written 'track/level'"):
        parse_assessment({"target": "staff"}, "me.yaml")


def test_default_rules_come_from_the_data_file():
    rules = default_rules()
    for share in (rules.area_min_met_share, rules.area_max_not_yet_share, rules.overall_min_met_share):
        assert 0 < share < 1
    assert rules.evidence_required is True


def test_routes_in_the_default_framework():
    framework = default_framework()
    back = route(framework, Position("management", "manager"), Position("ic", "senior"))
    assert [s.kind for s in back] == ["bridge"]
    far = route(framework, Position("ic", "junior"), Position("director", "director"))
    assert far[0].source == Position("ic", "junior") and far[-1].target == Position("director", "director")
    assert any(s.kind == "bridge" for s in far)


def test_area_half_met_but_half_not_started_is_named():
    result = assess_readiness(
        FRAMEWORK, STAFF, assessment(["met", "met", "not_yet", "not_yet"], ["met", "met"], ["met"]), RULES
    )
    assert result.rules_failed == ["Design: 2 of 4 criteria not yet started; at most 1 allowed."]
    assert [a.passes for a in result.areas] == [False, True, True]
