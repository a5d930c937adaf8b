"""Time-boxed experiments and the outcome that updates the profile."""

import datetime as dt

import pytest

from pathcraft.errors import InputError
from pathcraft.paths.experiments import (
    ExperimentOutcome,
    apply_outcome,
    load_experiment_templates,
    plan_experiment,
    suggest_experiments,
)
from pathcraft.paths.fit import rank_roles
from pathcraft.paths.profile import ActivityAnswer, Profile
from pathcraft.paths.roles import load_roles

START = dt.date(2025, 3, 3)


def test_templates_include_the_issue_examples():
    templates = load_experiment_templates()
    assert {"rotation", "shadow_manager", "incident_review", "give_talk", "mentor"} <= set(templates)
    for t in templates.values():
        assert t.checkin_every_weeks <= t.duration_weeks and t.activities


@pytest.mark.parametrize(
    "template, weeks, expected_checkins",
    [
        ("rotation", None, [START + dt.timedelta(weeks=w) for w in (2, 4, 6, 8, 10, 12)]),
        ("mentor", None, [START + dt.timedelta(weeks=w) for w in (4, 8, 12)]),
        (
            "mentor",
            2,
            [START + dt.timedelta(weeks=2)],
        ),  # shorter than the check-in interval: one check-in at the end
    ],
)
def test_checkins_are_dated_and_end_on_the_last_day(template, weeks, expected_checkins):
    e = plan_experiment(template, START, duration_weeks=weeks)
    assert list(e.checkins) == expected_checkins
    assert e.end == expected_checkins[-1]


def test_hypothesis_names_activities_and_role():
    e = plan_experiment("rotation", START, role=load_roles().get("sre"))
    assert e.hypothesis.startswith("If I work in site reliability engineer for three months")
    assert "debugging and incidents" in e.hypothesis


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"template_id": "shadow_manger"},
            "unknown experiment 'shadow_manger' (did you mean 'shadow_manager'?)",
        ),
        ({"template_id": "mentor", "duration_weeks": 0}, "at least one week"),
    ],
)
def test_bad_experiment_requests(kwargs, message):
    with pytest.raises(InputError) as err:
        plan_experiment(start=START, **kwargs)
    assert message in str(err.value)


def test_outcome_updates_only_rated_activities_and_dates_the_new_profile():
    before = Profile(
        answers={
            "coding": ActivityAnswer("coding", 20, 5, 2),
            "people_management": ActivityAnswer("people_management", 0, None, None),
        },
        taken_on=START,
    )
    experiment = plan_experiment("shadow_manager", START)
    outcome = ExperimentOutcome(
        ended_on=experiment.end, energy={"people_management": 1}, skill={"people_management": 3},
        decision="adopt", experiment=experiment,
    )  # fmt: skip
    after = apply_outcome(before, outcome)
    assert after.answer("people_management") == ActivityAnswer("people_management", 0, 3, 1)
    assert after.answer("coding") == before.answer("coding")
    assert after.taken_on == experiment.end and before.taken_on == START  # the old snapshot is untouched
    em_before = next(f for f in rank_roles(before) if f.role_id == "engineering_manager")
    em_after = next(f for f in rank_roles(after) if f.role_id == "engineering_manager")
    assert em_after.score > em_before.score


@pytest.mark.parametrize(
    "energy, skill, decision, message",
    [
        (
            {"people_management": 3},
            {},
            "adopt",
            "energy for people_management: must be a whole number from -2 to 2",
        ),
        (
            {},
            {"people_management": 0},
            "adopt",
            "skill for people_management: must be a whole number from 1 to 5",
        ),
        ({"coding": 1}, {}, "adopt", "'coding' was not part of the experiment"),
        ({"peple_management": 1}, {}, "adopt", "did you mean 'people_management'?"),
        ({}, {}, "maybe", "decision must be one of adopt, adapt, drop"),
    ],
)
def test_bad_outcomes_leave_the_profile_unchanged(energy, skill, decision, message):
    experiment = plan_experiment("shadow_manager", START)
    outcome = ExperimentOutcome(experiment.end, energy, skill, decision, experiment=experiment)
    with pytest.raises(InputError) as err:
        apply_outcome(Profile(), outcome)
    assert message in str(err.value)


def test_suggestions_target_open_questions_of_a_target_role():
    p = Profile(
        answers={
            "coding": ActivityAnswer("coding", 30, 5, 2),
            "debugging": ActivityAnswer("debugging", 5, 5, 1),
        }
    )
    manager = suggest_experiments(p, target_role=load_roles().get("engineering_manager"))
    assert manager[0].id in {"shadow_manager", "run_planning"}
    teacher = suggest_experiments(p, target_role=load_roles().get("educator"))
    assert teacher[0].id in {"mentor", "give_talk"}
