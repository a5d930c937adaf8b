"""People CSV import: good files import; any bad row refuses the whole file with line-numbered reasons."""

from __future__ import annotations

import pytest

from pathcraft.errors import InputError
from pathcraft.people.actions import import_people_csv
from pathcraft.people.csv_import import parse_people_csv
from pathcraft.people.models import Person, Team
from pathcraft.people.tests.factories import make_org, make_person

HEADER = "name,email,manager_email,team,title,timezone,location\n"
GOOD = HEADER + (
    "Ana Boss,ana@x.test,,Leadership,VP,Europe/Berlin,Berlin\n"
    "Ben Lead,ben@x.test,ana@x.test,Core,EM,America/New_York,NYC\n"
    "Cy Dev,cy@x.test,ben@x.test,Core,Engineer,Asia/Tokyo,Tokyo\n"
)


def test_good_file_parses_with_defaults():
    rows = parse_people_csv(GOOD)
    assert [r.email for r in rows] == ["ana@x.test", "ben@x.test", "cy@x.test"]
    assert rows[2].manager_email == "ben@x.test" and rows[2].timezone == "Asia/Tokyo"
    assert rows[0].work_start.hour == 9 and rows[0].work_days == "12345"


def test_header_aliases_and_bom_are_accepted():
    text = "\ufeffFull Name,Email Address,Reports To,Department,Job Title,Time Zone,Office\nA,a@x.test,,T,E,UTC,X\n"
    (row,) = parse_people_csv(text.encode("utf-8"))
    assert (row.name, row.email, row.team, row.title, row.location) == ("A", "a@x.test", "T", "E", "X")


BAD_ROWS = [
    ("unknown manager", "Cy,cy@x.test,nobody@x.test,,,UTC,\n", "line 2: unknown manager nobody@x.test"),
    (
        "bad time zone",
        "Cy,cy@x.test,,,,Mars/Olympus,\n",
        "line 2: time zone 'Mars/Olympus' is not an IANA zone",
    ),
    (
        "duplicate email",
        "Cy,cy@x.test,,,,UTC,\nCy2,CY@x.test,,,,UTC,\n",
        "line 3: duplicate email cy@x.test (first on line 2)",
    ),
    ("own manager", "Cy,cy@x.test,cy@x.test,,,UTC,\n", "line 2: a person cannot be their own manager"),
    (
        "cycle",
        "A,a@x.test,b@x.test,,,UTC,\nB,b@x.test,c@x.test,,,UTC,\nC,c@x.test,a@x.test,,,UTC,\n",
        "line 2: a@x.test is in a cycle of reporting lines",
    ),
    ("bad email", "Cy,not-an-email,,,,UTC,\n", "line 2: email 'not-an-email' is not an email address"),
    ("empty name", ",cy@x.test,,,,UTC,\n", "line 2: name is empty"),
    ("too many values", "Cy,cy@x.test,,,,UTC,,extra\n", "line 2: more values than columns"),
]


@pytest.mark.parametrize("case,rows,message", BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_bad_rows_are_named_with_their_line(case, rows, message):
    with pytest.raises(InputError) as info:
        parse_people_csv(HEADER + rows)
    assert any(p.startswith(message) for p in info.value.problems), info.value.problems
    assert "nothing was imported" in str(info.value)


def test_every_bad_row_is_reported_not_just_the_first():
    text = HEADER + "A,a@x.test,,,,Nowhere/Zone,\nB,b@x.test,ghost@x.test,,,UTC,\nC,c@x.test,,,,UTC,\n"
    with pytest.raises(InputError) as info:
        parse_people_csv(text)
    assert [p.split(":")[0] for p in info.value.problems] == ["line 2", "line 3"]


@pytest.mark.parametrize(
    "text,message",
    [("", "the file is empty"), ("name,title\nA,B\n", "missing column(s) email"), (HEADER, "no people"),
     ("name,email,Email\nA,a@x.test,b@x.test\n", "column(s) given twice: email")],
)  # fmt: skip
def test_unusable_files(text, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_people_csv(text)


def test_cycle_through_people_already_in_the_organisation_is_refused():
    existing = {"a@x.test": "b@x.test", "b@x.test": None}
    with pytest.raises(InputError) as info:
        parse_people_csv(HEADER + "B,b@x.test,a@x.test,,,UTC,\n", existing_managers=existing)
    assert "cycle" in info.value.problems[0]


@pytest.mark.django_db
def test_refused_file_imports_nothing_and_changes_nothing():
    org = make_org()
    kept = make_person(org, "Kept Person", email="kept@x.test", title="Before")
    bad = HEADER + "Kept Person,kept@x.test,,Core,After,UTC,\nNew,new@x.test,ghost@x.test,Core,E,UTC,\n"
    with pytest.raises(InputError):
        import_people_csv(org, bad)
    assert Person.objects.count() == 1 and Team.objects.count() == 0
    kept.refresh_from_db()
    assert kept.title == "Before"


@pytest.mark.django_db
def test_good_file_imports_then_updates():
    org = make_org()
    assert import_people_csv(org, GOOD) == {"created": 3, "updated": 0, "teams": 2}
    cy = Person.objects.get(email="cy@x.test")
    assert (
        cy.manager.email == "ben@x.test"
        and cy.manager.manager.email == "ana@x.test"
        and cy.team.name == "Core"
    )
    moved = GOOD.replace("Cy Dev,cy@x.test,ben@x.test", "Cy Dev,cy@x.test,ana@x.test")
    assert import_people_csv(org, moved)["updated"] == 3
    cy.refresh_from_db()
    assert cy.manager.email == "ana@x.test" and Person.objects.count() == 3
