"""Job crafting: a worked example and the limits the plan must respect."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathcraft.paths.activities import load_activities
from pathcraft.paths.crafting import craft_plan, load_crafting_settings
from pathcraft.paths.profile import ActivityAnswer, Colleague, Profile, load_profile
from pathcraft.paths.roles import load_roles

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CS = load_crafting_settings()


def week(**answers):
    return Profile(answers={a: ActivityAnswer(a, h, s, e) for a, (h, s, e) in answers.items()})


def test_worked_example_senior_engineer_who_loves_teaching():
    """40 h: coding 20 (neutral), meetings 10 (drains), debugging 6 (drains a little), teaching 4 (energises).

    Budget: 20% of 40 h = 8 h. Meetings may lose at most half (5 h); debugging is not core to a senior
    engineer, so it may lose half too (3 h). Teaching should reach 20% of the week (8 h), so it gets
    4 h first; writing (energises a little) takes the other 4 h.
    """
    p = week(
        coding=(20, 4, 0),
        meetings=(10, 3, -2),
        debugging=(6, 3, -1),
        teaching=(4, 4, 2),
        writing=(0, 3, 1),
    )
    plan = craft_plan(p, "senior_engineer")
    moved = {(s.from_activity, s.to_activity): s.hours for s in plan.shifts}
    assert moved == {
        ("meetings", "teaching"): 4.0,
        ("meetings", "writing"): 1.0,
        ("debugging", "writing"): 3.0,
    }
    assert plan.hours_moved == 8.0
    assert plan.hours_after["meetings"] == 5.0 and plan.hours_after["teaching"] == 8.0
    assert plan.drain_share_before == pytest.approx(16 / 40)
    assert plan.drain_share_after == pytest.approx(8 / 40)
    assert plan.top_energiser == "teaching" and plan.top_energiser_share_after == pytest.approx(0.20)
    assert plan.notes[0].startswith("Move 8 h a week (20% of 40 h)")
    assert [c.activity_id for c in plan.cognitive] == ["meetings", "debugging"]
    assert all(c.sources == ("wrzesniewski2001", "slemp2013") for c in plan.cognitive)


def test_core_activity_keeps_its_floor():
    # An EM drained by 1:1s: people_management is core (22% of the role) -> keeps 60% * 22% * 40 h = 5.28 h
    p = week(people_management=(8, 3, -2), coding=(2, 5, 2), meetings=(30, 3, 0))
    plan = craft_plan(p, "engineering_manager")
    assert plan.floors["people_management"] == pytest.approx(5.28)
    assert plan.hours_after["people_management"] >= 5.28
    assert any("core to the engineering manager role" in n for n in plan.notes)


def test_relational_crafting_uses_colleagues_strengths():
    p = load_profile(EXAMPLES / "profile-promoted-manager.yaml")
    plan = craft_plan(p)
    texts = {(r.activity_id, r.kind): r for r in plan.relational}
    assert texts[("stakeholders", "draining")].colleague == "Priya"
    assert texts[("meetings", "draining")].colleague is None
    assert "Find someone who enjoys meetings for coordination" in texts[("meetings", "draining")].text
    assert (
        texts[("stakeholders", "grow")].text
        == "Ask Priya to mentor you in stakeholder alignment for a few weeks."
    )
    # colleagues passed in explicitly replace the profile's
    plan2 = craft_plan(p, colleagues=[Colleague("Lee", strong_at=("meetings",))])
    assert {
        r.colleague for r in plan2.relational if r.kind == "draining" and r.activity_id == "meetings"
    } == {"Lee"}


@pytest.mark.parametrize(
    "answers, note",
    [
        ({}, "Log the hours"),
        ({"meetings": (10, 3, -2)}, "Nothing you rated energises you yet"),
        ({"coding": (10, 3, 2), "meetings": (10, 3, 0)}, "Nothing in your week drains you"),
    ],
)
def test_plans_that_cannot_move_hours_say_why(answers, note):
    plan = craft_plan(week(**answers))
    assert plan.shifts == ()
    assert any(note in n for n in plan.notes)


def test_unknown_current_role_is_an_input_error():
    from pathcraft.errors import InputError

    with pytest.raises(InputError, match="unknown role 'manager'"):
        craft_plan(week(coding=(1, 3, 2)), "manager")


answer = st.tuples(st.integers(0, 20), st.integers(1, 5), st.integers(-2, 2))
weeks = st.dictionaries(st.sampled_from(load_activities().ids), answer, min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(weeks, st.one_of(st.none(), st.sampled_from(list(load_roles().roles))))
def test_plans_respect_every_limit(answers, role_id):
    p = week(**{a: (float(h), s, e) for a, (h, s, e) in answers.items()})
    plan = craft_plan(p, role_id)
    total = p.total_hours
    assert sum(plan.hours_after.values()) == pytest.approx(total)  # hours move, they do not vanish
    assert plan.hours_moved <= CS.max_shift_share * total + 1e-9
    for s in plan.shifts:
        assert s.hours > 0 and (s.hours / CS.step_hours).is_integer()
        assert p.answer(s.from_activity).energy <= -1 and p.answer(s.to_activity).energy >= 1
    for a, floor in plan.floors.items():
        assert plan.hours_after.get(a, 0.0) >= floor - 1e-9
        assert plan.hours_after.get(a, 0.0) >= p.answer(a).hours * (1 - CS.max_cut_fraction) - 1e-9
    assert plan.drain_share_after <= plan.drain_share_before + 1e-9
