import json
from datetime import date, timedelta

import pytest

from pathcraft.errors import InputError
from pathcraft.growth.agenda import ActionItem, AgendaItem
from pathcraft.growth.cadence import CANCELLED, HELD
from pathcraft.growth.dashboard import (
    CheckIn,
    ReportInputs,
    biweekly_option,
    manager_dashboard,
    mood_trend,
    report_dashboard,
    team_one_on_one_cost,
)
from pathcraft.growth.fairness import Contribution, SpotlightEvent
from pathcraft.growth.questions import Discussion
from pathcraft.growth.tests.factories import MANAGER, at, occ, relationship


def _team(n, cadence="weekly"):
    return [relationship(cadence, report=f"r{i:02}@example.org") for i in range(n)]


def test_thirteen_weekly_reports_cost_8_7_hours_22_percent():
    cost = team_one_on_one_cost(_team(13))
    assert cost.minutes_per_week == 13 * (30 + 10)
    assert round(cost.hours_per_week, 1) == 8.7
    assert cost.share_of_week.rounded() == 0.22
    assert cost.share_of_week.denominator == 40
    assert cost.span_of_control.flagged and cost.span_of_control.figure == 13
    # Five reports above a span of 8 moved to biweekly free 5 × 40 / 2 minutes = 1.67 h.
    assert cost.biweekly.reports_moved == 5
    assert round(cost.biweekly.hours_freed, 2) == 1.67
    assert round(cost.biweekly.hours_after, 2) == 7.0


@pytest.mark.parametrize(
    ("reports", "expected_hours"),
    [(5, 3.3), (8, 5.3)],  # the other figures of design/EVIDENCE.md
)
def test_cost_of_smaller_teams(reports, expected_hours):
    cost = team_one_on_one_cost(_team(reports))
    assert round(cost.hours_per_week, 1) == expected_hours
    assert cost.biweekly is None and not cost.span_of_control.flagged


def test_biweekly_and_monthly_cost_less_and_bad_count_is_refused():
    assert team_one_on_one_cost(_team(2, "biweekly")).minutes_per_week == 2 * 40 / 2
    assert team_one_on_one_cost(_team(1, "monthly")).minutes_per_week == pytest.approx(40 * 12 / 52, abs=0.05)
    with pytest.raises(InputError, match="can move 0 to 3 weekly 1:1s to biweekly, not 4"):
        biweekly_option(_team(3), 4)


@pytest.mark.parametrize(
    ("moods", "direction"),
    [
        ([4, 4, 3, 2], "down"),
        ([2, 3, 4, 4], "up"),
        ([3, 4, 4, 3], "flat"),
        ([3, 3, 3, 4], "up"),
        ([5, 1, 3], "not enough data"),
    ],
)
def test_mood_trend(moods, direction):
    check_ins = [CheckIn(date(2025, 1, 1) + timedelta(weeks=i), m) for i, m in enumerate(moods)]
    assert mood_trend(check_ins).direction == direction


def test_mood_must_be_one_to_five():
    with pytest.raises(InputError, match="mood must be a whole number from 1 to 5, got 6"):
        CheckIn(date(2025, 1, 1), 6)


def _inputs(report="r01@example.org", statuses=(HELD,) * 8):
    rel = relationship("weekly", starts_on=date(2024, 6, 3), report=report)
    first = at(2025, 1, 7)
    occurrences = [
        occ(first + timedelta(weeks=i), s, cancelled_by=MANAGER if s == CANCELLED else None)
        for i, s in enumerate(statuses)
    ]
    items = [AgendaItem(f"m{i}", "x", MANAGER, first) for i in range(3)] + [
        AgendaItem("r", "y", report, first)
    ]
    actions = [
        ActionItem("x1", "a", report, date(2025, 1, 10), first),
        ActionItem("x2", "b", report, date(2025, 3, 30), first),
    ]
    discussions = [Discussion(q, date(2025, 2, 1)) for q in ("grow", "align", "vision")]
    return ReportInputs(rel, occurrences, items, actions, discussions)


def test_report_figures_with_numerators_and_denominators():
    now = at(2025, 2, 25, hour=11)  # one hour after the eighth weekly slot
    figures = report_dashboard(
        _inputs(statuses=[HELD, CANCELLED, HELD, CANCELLED, HELD, HELD, HELD, CANCELLED]), now
    )
    assert (figures.adherence.figure.numerator, figures.adherence.figure.denominator) == (5, 8)
    assert figures.adherence.flagged  # 0.63 < 0.75
    assert figures.days_since_last_one_on_one.figure == 7 and not figures.days_since_last_one_on_one.flagged
    assert figures.cancellations_by_manager.figure.numerator == 3 and figures.cancellations_by_manager.flagged
    assert figures.agenda_share.flagged and figures.agenda_share.manager_items.numerator == 3
    assert {o: (r.numerator, r.denominator) for o, r in figures.overdue_action_items.items()} == {
        "r01@example.org": (1, 2)
    }
    stale = {s.question: s.stale for s in figures.questions}
    assert stale == {"grow": False, "align": False, "motivation": True, "vision": False}
    assert figures.next_prompt.question == "motivation"
    assert figures.onboarding == ()  # started months ago


def test_manager_dashboard_lists_reports_by_name_and_serialises_to_json():
    now = at(2025, 2, 25, hour=11)
    reports = [_inputs("zed@example.org"), _inputs("amy@example.org"), _inputs("kim@example.org")]
    events = [
        SpotlightEvent("blog_post", "post", date(2025, 2, 1), (Contribution("zed@example.org", "wrote it"),))
    ]
    board = manager_dashboard(MANAGER, reports, now, spotlight_events=events)
    assert [r.report for r in board.reports] == ["amy@example.org", "kim@example.org", "zed@example.org"]
    assert board.team.next_spotlight.person == "amy@example.org"
    assert board.team.spotlight.note.startswith("not enough data")
    data = json.loads(json.dumps(board.to_dict()))
    first = data["reports"][0]
    assert first["adherence"]["figure"] == {"numerator": 8, "denominator": 8, "value": 1.0}
    assert "GitLab handbook" in first["agenda_share"]["threshold"]["source"]
    assert first["questions"][2]["stale"] is True
    assert not {k for k in _keys(data) if any(w in k for w in ("rank", "score", "flight", "engagement"))}


def _keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key.lower()
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def test_manager_dashboard_refuses_someone_elses_report():
    with pytest.raises(InputError, match="is with mia@example.org, not boss@example.org"):
        manager_dashboard("boss@example.org", [_inputs()], at(2025, 2, 25))


def test_never_met_report_is_flagged_from_the_start_of_the_relationship():
    inputs = _inputs(statuses=())
    figures = report_dashboard(inputs, at(2025, 2, 25))
    assert figures.days_since_last_one_on_one.figure is None
    assert figures.days_since_last_one_on_one.flagged


def test_the_dashboard_and_the_workload_signals_share_one_cost_function():
    # One sum for both: the growth dashboard's figure equals the workload engine's for the same 1:1s.
    from pathcraft.workload import manager_load

    team = _team(13)
    expected = manager_load.one_on_one_cost(13)
    assert team_one_on_one_cost(team).minutes_per_week == expected.minutes_per_week
    import pathcraft.growth.dashboard as dashboard

    assert not hasattr(dashboard, "one_on_one_cost")
