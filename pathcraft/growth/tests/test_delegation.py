from datetime import date

import pytest

from pathcraft.errors import InputError
from pathcraft.growth.agenda import ActionItem
from pathcraft.growth.cadence import Leave
from pathcraft.growth.defaults import delegation_data
from pathcraft.growth.delegation import (
    Board,
    Contact,
    Duty,
    Escalation,
    after_leave,
    handover,
    handover_markdown,
    readiness,
)
from pathcraft.growth.tests.factories import MANAGER, at

LEAVE = Leave(MANAGER, date(2025, 7, 1), date(2025, 7, 14))
BOARD = Board(
    MANAGER,
    (
        Duty("Approve production access", MANAGER, None, 1, critical=True),
        Duty("Release sign-off", MANAGER, "li@example.org", 6, critical=True),
        Duty("Hiring decisions", MANAGER, "li@example.org", 3, critical=True, kind="decision"),
        Duty("Team newsletter", MANAGER, None, 1, critical=False),
        Duty("On-call rota", "sam@example.org", None, 7),
    ),
)


def test_readiness_lists_every_critical_duty_only_the_manager_can_do():
    check = readiness(BOARD, LEAVE, manager_only_files=["billing/ledger.py", "billing/ledger.py"])
    assert not check.ready
    assert [g.duty.name for g in check.manager_only] == [
        "Approve production access",
        "knows billing/ledger.py",
    ]
    waits = {g.duty.name: g.why for g in check.waits_for_manager}
    assert set(waits) == {"Hiring decisions", "Team newsletter"}
    assert "level 3 (Consult)" in waits["Hiring decisions"]
    assert {d.name for d in check.covered} == {"Release sign-off", "On-call rota"}


def test_ready_when_every_critical_duty_has_a_deputy():
    board = Board(MANAGER, (Duty("Approve production access", MANAGER, "li@example.org", 5, critical=True),))
    assert readiness(board, LEAVE).ready


def test_handover_page_as_data_and_markdown():
    actions = [
        ActionItem("x1", "Finish the Q3 plan", MANAGER, date(2025, 7, 3), at(2025, 6, 1)),
        ActionItem("x2", "Old thing", MANAGER, date(2025, 6, 3), at(2025, 6, 1), done_on=date(2025, 6, 2)),
    ]
    contacts = [Contact("Priya", "skip-level", "priya@example.org")]
    page = handover(BOARD, LEAVE, "li@example.org", actions, contacts)
    assert page.acting_lead == "li@example.org"
    assert ("Release sign-off", "li@example.org", "Inquire") in page.delegated
    assert ("On-call rota", "sam@example.org", "Delegate") in page.delegated
    assert "Approve production access" in page.uncovered
    assert [a.id for a in page.open_actions] == ["x1"]
    text = handover_markdown(page)
    assert text.startswith(f"# Handover: {MANAGER} away 2025-07-01 – 2025-07-14")
    assert "**Acting lead:** li@example.org" in text
    assert "- Finish the Q3 plan — mia@example.org, due 2025-07-03" in text
    assert "- Priya (skip-level): priya@example.org" in text
    assert "Old thing" not in text


def test_after_leave_sorts_what_reached_the_manager():
    escalations = [
        Escalation(
            date(2025, 7, 2), "Prod access for contractor", "Approve production access", "sam@example.org"
        ),
        Escalation(date(2025, 7, 5), "Release blocked", "Release sign-off"),
        Escalation(date(2025, 7, 9), "Customer complaint"),
        Escalation(date(2025, 7, 20), "After leave", "Release sign-off"),
    ]
    result = after_leave(BOARD, LEAVE, escalations)
    assert result.count == 3
    assert [e.summary for e in result.about_manager_only] == ["Prod access for contractor"]
    assert [e.summary for e in result.about_delegated] == ["Release blocked"]
    assert [e.summary for e in result.unlinked] == ["Customer complaint"]


def test_seven_levels_with_source():
    data = delegation_data()
    assert [level.key for level in data.levels] == [
        "tell", "sell", "consult", "agree", "advise", "inquire", "delegate",
    ]  # fmt: skip
    assert "Management 3.0" in data.source


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Duty("x", MANAGER, level=8), "delegation level must be 1–7, got 8"),
        (lambda: Duty("x", MANAGER, MANAGER), "deputy must be someone other than the owner"),
        (lambda: Duty("x", MANAGER, kind="meeting"), "unknown kind 'meeting'"),
        (lambda: Board(MANAGER, (Duty("x", MANAGER), Duty("x", MANAGER))), "listed twice on the board: x"),
        (
            lambda: readiness(BOARD, Leave("li@example.org", date(2025, 7, 1), date(2025, 7, 2))),
            "leave is li@",
        ),
        (lambda: handover(BOARD, LEAVE, MANAGER), "acting lead must be someone other"),
    ],
)
def test_bad_input(build, message):
    with pytest.raises(InputError, match=message):
        build()
