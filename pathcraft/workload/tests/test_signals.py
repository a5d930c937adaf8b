"""Early-warning signals: what each saw, the threshold and its source; team burnout only as an aggregate of k."""

from __future__ import annotations

from datetime import date

import pytest

from pathcraft.errors import InputError
from pathcraft.workload import signals as sg


def weeks(**series):
    """weeks(hours=[...], meeting_hours=[...]) -> one dict per week, labelled W1, W2, ..."""
    n = len(next(iter(series.values())))
    return [{"week": f"W{i + 1}", **{k: v[i] for k, v in series.items()}} for i in range(n)]


def keys(signals):
    return {(s.key, s.level) for s in signals}


@pytest.mark.parametrize(
    "hours, expected",
    [
        ([40, 56, 58, 55], {("long_weeks", "warning")}),  # 3 of the last 4 at 55+
        ([56, 58, 40, 41], set()),  # only 2 of the last 4
        ([60, 60, 60, 45, 40, 40], set()),  # long weeks, but not recently
        ([52, 51, 56, 40], {("long_weeks", "watch")}),  # 50+ three times, 55+ once
        ([56, 57], set()),  # two weeks of data are not "sustained"
    ],
)
def test_long_weeks(hours, expected):
    assert keys(sg.week_signals(weeks(hours=hours))) == expected


def test_long_weeks_signal_explains_itself():
    (signal,) = sg.week_signals(weeks(hours=[40, 56, 58, 55]))
    assert "3 of the last 4 weeks" in signal.saw and "W2: 56.0 h" in signal.saw
    assert "55 h/week" in signal.threshold
    assert "WHO/ILO" in signal.source and "Environment International" in signal.source


@pytest.mark.parametrize(
    "series, key",
    [
        ({"meeting_hours": [22, 25, 24, 26]}, "meetings_eating_week"),  # > 20 h of a 40 h week
        ({"focus_hours": [4, 12, 6, 8]}, "little_focus_time"),
        ({"after_hours": [6, 5, 0, 7.5]}, "after_hours"),
    ],
)
def test_calendar_signals(series, key):
    found = sg.week_signals(weeks(**series))
    assert [s.key for s in found] == [key]
    assert found[0].source and found[0].threshold


@pytest.mark.parametrize(
    "series",
    [
        {"meeting_hours": [20, 20, 20, 20]},  # exactly half is not "more than half"
        {"focus_hours": [10, 12, 10, 15]},
        {"after_hours": [4.5, 4, 0, 1]},
    ],
)
def test_no_signal_at_or_under_the_line(series):
    assert sg.week_signals(weeks(**series)) == []


def test_meeting_share_uses_the_persons_working_hours():
    part_time = [{"meeting_hours": 12, "working_hours": 20} for _ in range(4)]
    assert [s.key for s in sg.week_signals(part_time)] == ["meetings_eating_week"]


def test_focus_source_is_viva_insights():
    (signal,) = sg.week_signals(weeks(focus_hours=[4, 5, 6, 7]))
    assert "Viva Insights" in signal.source


def test_bad_week_values():
    with pytest.raises(InputError, match="week 2: hours must be hours between 0 and 168"):
        sg.week_signals([{"hours": 40}, {"hours": -3}, {"hours": 40}])


def test_escalation_share_worked_value():
    team = {"ana": 9, **{f"p{i}": 1 for i in range(7)}}
    signal = sg.escalation_signal("ana", team)
    assert signal is not None and signal.figures["over_fair"] == 4.5
    assert "9 of the team's 16" in signal.saw
    assert sg.escalation_signal("p0", team) is None


def test_escalation_share_needs_enough_events():
    assert sg.escalation_signal("ana", {"ana": 5, "bo": 0, "cy": 0}) is None
    with pytest.raises(InputError, match="not among"):
        sg.escalation_signal("zed", {"ana": 5})


def test_burnout_signals_from_own_pulses():
    pulses = [
        (date(2026, 1, 5), {"work": 38, "personal": 30}),
        (date(2026, 3, 2), {"work": 54, "personal": 33}),
    ]
    found = keys(sg.burnout_signals(pulses))
    assert found == {("burnout_work", "warning"), ("burnout_work_rising", "watch")}
    warning = next(s for s in sg.burnout_signals(pulses) if s.key == "burnout_work")
    assert "latest score 54" in warning.saw and "Creedy" in warning.source
    assert "debatable" in warning.threshold  # the authors' caveat travels with the cut-off


def test_person_signals_combine_everything():
    found = sg.person_signals(
        weeks(hours=[56, 57, 58, 59], focus_hours=[3, 4, 5, 6]),
        escalations=("ana", {"ana": 9, **{f"p{i}": 1 for i in range(7)}}),
        pulses=[(date(2026, 3, 2), {"personal": 60})],
    )
    assert {s.key for s in found} == {
        "long_weeks",
        "little_focus_time",
        "escalation_share",
        "burnout_personal",
    }
    assert all(s.saw and s.threshold and s.source for s in found)


def test_manager_signals_for_thirteen_weekly_reports():
    found = {s.key: s for s in sg.manager_signals(13)}
    assert set(found) == {"span_of_control", "one_on_one_load"}
    assert "8.7 h/week (22% of 40 h)" in found["one_on_one_load"].saw
    assert sg.manager_signals(7) == []


# --- team view -------------------------------------------------------------------------------------------------


def test_team_load_signals_name_reports_but_count_them():
    members = {
        "ana": weeks(hours=[56, 57, 58, 59]),
        "bo": weeks(hours=[40, 56, 56, 56]),
        "cy": weeks(hours=[40, 40, 40, 40]),
    }
    (signal,) = sg.team_signals(members_weeks=members)
    assert signal.subject == "team" and signal.key == "team_long_weeks"
    assert "2 of 3 people" in signal.title and signal.figures["people"] == ["ana", "bo"]


def test_team_escalation_spread():
    (signal,) = sg.team_signals(team_counts={"ana": 9, **{f"p{i}": 1 for i in range(7)}})
    assert signal.key == "team_escalation_spread"
    assert "normalised Gini 0.50" in signal.saw and "not validated for teams" in signal.threshold


def respondents(scores, scale="work"):
    return [{scale: s} for s in scores]


def test_team_burnout_is_silent_below_k():
    pulse = sg.TeamPulse(date(2026, 3, 2), respondents([90, 95, 100, 85]))
    assert sg.team_signals(pulses=[pulse]) == []  # not even "fewer than k": nothing at all


def test_team_burnout_aggregate_from_k_without_individuals():
    pulse = sg.TeamPulse(date(2026, 3, 2), respondents([40, 55, 60, 70, 50]))
    (signal,) = sg.team_signals(pulses=[pulse])
    assert signal.key == "team_burnout_work" and signal.subject == "team"
    assert "mean 55 over 5 answers" in signal.saw
    assert set(signal.figures) == {"mean", "n"}  # no per-person figure leaves the engine


def test_team_burnout_rise_needs_comparable_pulses():
    people = [f"p{i}" for i in range(6)]
    before = sg.TeamPulse(date(2026, 1, 5), respondents([30, 35, 40, 45, 40, 40]), people)
    after_same = sg.TeamPulse(date(2026, 3, 2), respondents([50, 55, 60, 45, 50, 52]), people)
    after_plus_one = sg.TeamPulse(
        date(2026, 3, 2), respondents([50, 55, 60, 45, 50, 52, 95]), [*people, "p6"]
    )
    assert "team_burnout_work_rising" in {s.key for s in sg.team_signals(pulses=[before, after_same])}
    # One new respondent: the difference between the two pulses would isolate them, so no comparison is made.
    assert "team_burnout_work_rising" not in {s.key for s in sg.team_signals(pulses=[before, after_plus_one])}


def test_team_k_below_three_refused():
    pulse = sg.TeamPulse(date(2026, 3, 2), respondents([40, 55, 60]))
    with pytest.raises(InputError, match="at least 3"):
        sg.team_signals(pulses=[pulse], k=2)
