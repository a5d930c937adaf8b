from datetime import date, timedelta

import pytest

from pathcraft.errors import InputError
from pathcraft.growth.agenda import (
    ActionItem,
    AgendaItem,
    add_item,
    agenda_share,
    carry_over,
    items_for,
    next_open_occurrence,
    overdue_by_owner,
)
from pathcraft.growth.cadence import CANCELLED, HELD, SKIPPED_FOR_LEAVE, move_occurrence
from pathcraft.growth.tests.factories import MANAGER, REPORT, at, occ


def _series():
    return [occ(at(2025, 1, 7)), occ(at(2025, 1, 14)), occ(at(2025, 1, 21)), occ(at(2025, 1, 28))]


def _set(occurrences, start, status, **kwargs):
    return [occ(o.start, status, **kwargs) if o.start == start else o for o in occurrences]


def test_item_survives_a_cancelled_then_a_moved_meeting():
    series = _series()
    now = at(2025, 1, 2)
    item = add_item(AgendaItem("a1", "Conference budget", REPORT, now), series, now)
    action = add_item(ActionItem("x1", "Draft the RFC", MANAGER, date(2025, 1, 10), now), series, now)
    assert item.occurrence == at(2025, 1, 7) == action.occurrence

    # The 7 Jan 1:1 is cancelled by the manager: both move to 14 Jan.
    series = _set(series, at(2025, 1, 7), CANCELLED, cancelled_by=MANAGER)
    item, action = carry_over([item, action], series)
    assert item.occurrence == at(2025, 1, 14) and item.carried == 1
    assert action.occurrence == at(2025, 1, 14) and action.carried == 1

    # The 14 Jan 1:1 is moved to Thursday 16 Jan 15:00: both follow it there.
    series = move_occurrence(series, at(2025, 1, 14), at(2025, 1, 16, hour=15))
    item, action = carry_over([item, action], series)
    assert item.occurrence == at(2025, 1, 16, hour=15) and item.carried == 2
    assert action.carried == 2

    # Calling again changes nothing: the items are on an open 1:1.
    assert carry_over([item, action], series) == [item, action]
    replacement = next(o for o in series if o.start == at(2025, 1, 16, hour=15))
    assert [i.id for i in items_for([item, action], replacement)] == ["a1", "x1"]


def test_meeting_moved_later_than_the_next_one_still_takes_its_items():
    series = move_occurrence(_series(), at(2025, 1, 7), at(2025, 1, 15))
    item = AgendaItem("a1", "x", REPORT, at(2025, 1, 1), occurrence=at(2025, 1, 7))
    (moved,) = carry_over([item], series)
    assert moved.occurrence == at(2025, 1, 15)


def test_open_action_item_carries_past_a_held_meeting_until_done_and_skips_leave():
    series = _set(_series(), at(2025, 1, 7), HELD)
    series = _set(series, at(2025, 1, 14), SKIPPED_FOR_LEAVE)
    open_action = ActionItem(
        "x1", "Write up incident", REPORT, date(2025, 1, 9), at(2025, 1, 7), at(2025, 1, 7)
    )
    done_action = ActionItem(
        "x2",
        "Book training",
        REPORT,
        date(2025, 1, 9),
        at(2025, 1, 7),
        at(2025, 1, 7),
        done_on=date(2025, 1, 7),
    )
    done_item = AgendaItem("a1", "Talked", REPORT, at(2025, 1, 6), at(2025, 1, 7), done=True)
    carried, kept, kept_item = carry_over([open_action, done_action, done_item], series)
    assert carried.occurrence == at(2025, 1, 21)  # the 14th is skipped for leave
    assert (kept.occurrence, kept.carried, kept_item.occurrence) == (at(2025, 1, 7), 0, at(2025, 1, 7))


def test_item_waits_when_no_open_meeting_is_left():
    series = [occ(at(2025, 1, 7), CANCELLED, cancelled_by=REPORT)]
    item = AgendaItem("a1", "x", REPORT, at(2025, 1, 1), occurrence=at(2025, 1, 7))
    (waiting,) = carry_over([item], series)
    assert waiting.occurrence is None and waiting.carried == 1
    assert next_open_occurrence(series, at(2025, 1, 1)) is None


def test_item_on_unknown_meeting_is_an_error():
    item = AgendaItem("a1", "x", REPORT, at(2025, 1, 1), occurrence=at(2025, 3, 3))
    with pytest.raises(InputError, match="item 'a1' belongs to an unknown 1:1"):
        carry_over([item], _series())


def test_overdue_by_owner():
    today = date(2025, 2, 1)
    actions = [
        ActionItem("x1", "a", REPORT, date(2025, 1, 20), at(2025, 1, 7)),
        ActionItem("x2", "b", MANAGER, date(2025, 1, 10), at(2025, 1, 7)),
        ActionItem("x3", "c", MANAGER, date(2025, 1, 5), at(2025, 1, 7)),
        ActionItem("x4", "d", MANAGER, date(2025, 2, 1), at(2025, 1, 7)),  # due today: not overdue
        ActionItem("x5", "e", REPORT, date(2025, 1, 5), at(2025, 1, 7), done_on=date(2025, 1, 6)),
    ]
    overdue = overdue_by_owner(actions, today)
    assert {owner: [a.id for a in items] for owner, items in overdue.items()} == {
        MANAGER: ["x3", "x2"],
        REPORT: ["x1"],
    }


@pytest.mark.parametrize(
    ("by_report", "by_manager", "flagged"),
    [(1, 3, True), (2, 2, False), (3, 1, False), (0, 0, False), (2, 3, True)],
)
def test_manager_adding_more_than_half_is_flagged(by_report, by_manager, flagged):
    start = at(2025, 1, 1)
    items = [AgendaItem(f"r{i}", "x", REPORT, start + timedelta(hours=i)) for i in range(by_report)]
    items += [AgendaItem(f"m{i}", "x", MANAGER, start + timedelta(hours=i)) for i in range(by_manager)]
    share = agenda_share(items, REPORT, MANAGER)
    assert (share.report_items.numerator, share.manager_items.numerator) == (by_report, by_manager)
    assert share.report_items.denominator == by_report + by_manager
    assert share.flagged is flagged
    assert "GitLab handbook" in share.threshold.source


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: AgendaItem("a", "  ", REPORT, at(2025, 1, 1)), "needs some text"),
        (lambda: AgendaItem("a", "x", REPORT, at(2025, 1, 1), question="money"), "unknown question 'money'"),
        (lambda: ActionItem("x", "do it", "", date(2025, 1, 1), at(2025, 1, 1)), "needs an owner"),
    ],
)
def test_bad_items(build, message):
    with pytest.raises(InputError, match=message):
        build()
