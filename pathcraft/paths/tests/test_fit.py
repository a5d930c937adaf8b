"""Role fit: definitions, explanations, and scenarios a career coach would recognise."""

from pathlib import Path

import pytest

from pathcraft.errors import InputError
from pathcraft.paths.fit import fit_role, fit_to_dict, rank_roles
from pathcraft.paths.profile import ActivityAnswer, Profile, load_profile
from pathcraft.paths.roles import FitSettings, MixEntry, Role, load_roles

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def profile(**answers: tuple[float, int | None, int | None]) -> Profile:
    """profile(coding=(hours, skill, energy), ...)"""
    return Profile(answers={a: ActivityAnswer(a, h, s, e) for a, (h, s, e) in answers.items()})


def toy_role(**shares: float) -> Role:
    entries = tuple(MixEntry(a, s, None) for a, s in shares.items())
    return Role("toy", "Toy role", "a toy role", "s", (), (), entries, "test role")


def by_id(fits):
    return {f.role_id: f for f in fits}


def test_definitions_on_a_two_activity_role():
    role = toy_role(coding=0.75, meetings=0.25)
    fit = fit_role(
        profile(coding=(20, 5, 2), meetings=(10, 1, -2)), role, settings=FitSettings(energy_weight=0.6)
    )
    # energy: 0.75 * (2+2)/4 + 0.25 * (-2+2)/4 = 0.75; skill: 0.75 * 4/4 + 0.25 * 0/4 = 0.75
    assert fit.energy_fit == pytest.approx(75.0)
    assert fit.skill_fit == pytest.approx(75.0)
    assert fit.score == pytest.approx(75.0)
    assert fit.drain_share == pytest.approx(0.25)
    assert [a.activity_id for a in fit.draining] == ["meetings"]
    assert [a.activity_id for a in fit.grow] == ["meetings"]  # 25% of the week at skill 1


def test_missing_answers_count_as_neutral_energy_and_middle_skill_and_are_named():
    role = toy_role(coding=0.5, hiring=0.5)
    fit = fit_role(profile(coding=(10, 5, 2)), role, settings=FitSettings(unknown_skill=3, unknown_energy=0))
    # unrated hiring weighs half its share at the neutral value: 50 + 50 * (0.5 * 1) / (0.5 + 0.5 * 0.5)
    assert fit.energy_fit == pytest.approx(50 + 50 * 0.5 / 0.75)
    assert fit.skill_fit == pytest.approx(50 + 50 * 0.5 / 0.75)
    plain = fit_role(profile(coding=(10, 5, 2)), role, settings=FitSettings(unrated_weight=1.0))
    assert plain.energy_fit == pytest.approx(100 * (0.5 * 1 + 0.5 * 0.5))  # the plain mean over the week
    # one unrated activity of half the week, one step either side for energy and skill: 25 * 0.5 * (0.6 + 0.4)
    assert (fit.low, fit.high) == (pytest.approx(fit.score - 12.5), pytest.approx(fit.score + 12.5))
    assert fit.unrated_share == pytest.approx(0.5)
    text = " ".join(fit.explanation)
    assert "You did not fully rate hiring and interviews (50% of this week)" in text
    assert "missing energy counts as neutral and a missing skill as 3 of 5" in text


def test_new_work_share_compares_the_role_week_with_the_current_week():
    role = toy_role(coding=0.5, teaching=0.5)
    fit = fit_role(profile(coding=(40, 3, 0)), role)
    assert fit.new_work_share == pytest.approx(0.5)  # teaching is all new, coding is already more


def test_ranking_is_sorted_stable_and_ranked_from_one():
    fits = rank_roles(profile(coding=(10, 3, 0)))
    assert [f.rank for f in fits] == list(range(1, len(load_roles()) + 1))
    assert all(a.score >= b.score - 1e-9 for a, b in zip(fits, fits[1:], strict=False))
    assert [f.role_id for f in fits] == [f.role_id for f in rank_roles(profile(coding=(10, 3, 0)))]


def test_energising_week_ranks_above_draining_week():
    # the rule: a role made of what energises someone ranks above one made of what drains them
    fits = by_id(
        rank_roles(profile(teaching=(5, 3, 2), writing=(5, 3, 2), meetings=(10, 3, -2), planning=(5, 3, -2)))
    )
    assert fits["educator"].score > fits["program_manager"].score


def test_promoted_manager_scenario():
    """Strong coder drained by meetings and people management: staff IC above EM, and it says why."""
    fits = by_id(rank_roles(load_profile(EXAMPLES / "profile-promoted-manager.yaml")))
    em, staff = fits["engineering_manager"], fits["staff_engineer"]
    assert staff.rank < em.rank
    assert em.rank > len(fits) - 5  # among the worst fits
    assert em.drain_share > 0.5
    drain_sentence = next(s for s in em.explanation if "draining" in s)
    assert drain_sentence.startswith("An engineering manager spends about ")
    assert "1:1s and people management" in drain_sentence and "meetings for coordination" in drain_sentence
    assert "grow in stakeholder alignment" in " ".join(em.explanation)


def test_teacher_scenario_puts_educator_and_devrel_at_the_top():
    fits = rank_roles(load_profile(EXAMPLES / "profile-teacher.yaml"))
    assert {f.role_id for f in fits[:3]} >= {"educator", "devrel"}
    assert "which energise you" in " ".join(fits[0].explanation)


def test_incident_lover_scenario_puts_sre_first_and_managers_last():
    fits = rank_roles(load_profile(EXAMPLES / "profile-incident-lover.yaml"))
    assert fits[0].role_id == "sre"
    assert {f.role_id for f in fits[-4:]} & {"engineering_manager", "director"}


def test_json_form_is_rounded_and_complete():
    fit = rank_roles(load_profile(EXAMPLES / "profile-teacher.yaml"))[0]
    data = fit_to_dict(fit)
    assert set(data) == {
        "rank", "role", "name", "score", "energy_fit", "skill_fit", "drain_share", "draining", "energise_share",
        "energising", "grow", "unrated_share", "unrated", "new_work_share", "low", "high", "tied_with",
        "explanation",
    }  # fmt: skip
    assert data["score"] == round(fit.score, 1)
    assert data["explanation"] == list(fit.explanation)


def test_rank_roles_for_an_unknown_current_role_is_not_needed():
    # fit does not depend on current_role; an odd value is not an error here
    p = Profile(answers={"coding": ActivityAnswer("coding", 1, 3, 0)}, current_role="astronaut")
    assert rank_roles(p)[0].rank == 1
    with pytest.raises(InputError):
        load_roles().get("astronaut")


# --- the profile file that feeds the engine -------------------------------------------------------

from pathcraft.paths.profile import parse_profile_data  # noqa: E402


@pytest.mark.parametrize("name", ["promoted-manager", "teacher", "incident-lover"])
def test_example_profiles_load_and_round_trip(name):
    p = load_profile(EXAMPLES / f"profile-{name}.yaml")
    assert p.total_hours > 0 and p.taken_on is not None
    assert parse_profile_data(p.to_dict()) == p


def test_energy_accepts_words_and_signed_numbers():
    p = load_profile(
        "activities:\n  coding: {hours: 2, energy: energizes}\n  meetings: {energy: '-1'}\n"
        "  hiring: {energy: Drains a little}\n"
    )
    assert [p.answer(a).energy for a in ("coding", "meetings", "hiring")] == [2, -1, -1]
    assert p.answer("meetings").hours == 0 and p.answer("meetings").skill is None


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "activities:\n  codng: {hours: 1}\n",
            "<profile>: line 2: unknown activity 'codng' (did you mean 'coding'?)",
        ),
        (
            "activities:\n  coding:\n    skill: 6\n",
            "line 3: coding.skill must be a whole number from 1 to 5, got 6",
        ),
        (
            "activities:\n  coding: {skill: 2.5}\n",
            "line 2: coding.skill must be a whole number from 1 to 5, got 2.5",
        ),
        (
            "activities:\n  coding: {energy: 3}\n",
            "coding.energy must be a whole number from -2 (drains) to +2",
        ),
        ("activities:\n  coding: {energy: meh}\n", "coding.energy 'meh' is not one of -2..2"),
        ("activities:\n  coding: {hours: -1}\n", "coding.hours must be a number from 0 to 100, got -1"),
        ("activities:\n  coding: {hours: 2, skil: 3}\n", "unknown field 'skil' (did you mean 'skill'?)"),
        ("activities:\n  coding: 3\n", "coding: expected hours, skill and energy"),
        ("name: x\n", "'activities' must map activity ids"),
        ("activites:\n  coding: {hours: 1}\n", "unknown field 'activites' (did you mean 'activities'?)"),
        ("taken_on: yesterday\nactivities:\n  coding: {hours: 1}\n", "line 1: taken_on must be a date"),
        (
            "activities:\n  coding: {hours: 1}\ncolleagues:\n  - name: Sam\n    strong_at: [tesing]\n",
            "line 5: colleague Sam: unknown activity 'tesing' (did you mean 'testing'?)",
        ),
        ("- just\n- a list\n", "a profile must be a mapping"),
    ],
)
def test_bad_profiles_name_line_and_field(text, message):
    with pytest.raises(InputError) as err:
        load_profile(text if "\n" in text else text + "\n")
    assert message in str(err.value)


def test_all_problems_are_reported_at_once():
    with pytest.raises(InputError) as err:
        load_profile("activities:\n  codng: {hours: 1}\n  coding: {skill: 9, energy: 5}\n")
    assert len(err.value.problems) == 3


def test_missing_profile_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="nope.yaml: file not found"):
        load_profile(tmp_path / "nope.yaml")
