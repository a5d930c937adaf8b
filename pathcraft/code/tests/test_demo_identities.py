"""The demo gives the identities page something to do: one same-name proposal (Mateo's personal address) and two
bots whose commits count for nobody; the story's figures are those of the history without the bots."""

from __future__ import annotations

import pytest

from pathcraft.code.demo import NEWCOMER, personal_email
from pathcraft.code.models import IdentityMatch, Repository
from pathcraft.demo.organisation import DEMO_PASSWORD, generate
from pathcraft.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    from pathcraft.demo.load import load_demo

    return load_demo()


def test_the_demo_has_one_match_to_confirm_and_two_bots(client, demo):
    repo = Repository.objects.get(name="platform-core")
    mateo = Person.objects.get(email=generate().by_key(NEWCOMER).email)
    assert client.login(username=demo["manager"], password=DEMO_PASSWORD)
    data = client.get(f"/api/code/repositories/{repo.pk}/identities").json()
    assert (data["matched"], data["pending"], data["former"]) == (6, 1, 1)
    proposed = [row for row in data["identities"] if row["how"] == "proposed"]
    assert [(r["key"], r["emails"], r["proposed"]) for r in proposed] == [
        (personal_email(mateo), ["mateo@mailbox.test"], {"id": mateo.pk, "name": "Mateo Castillo"})
    ]
    assert sorted((b["name"], b["commits"]) for b in data["bots"]) == [
        ("dependabot[bot]", 4),
        ("renovate[bot]", 4),
    ]
    summary = client.get(f"/api/code/repositories/{repo.pk}").json()
    # Mateo's identity waits for a decision: he is not counted as a former contributor.
    assert summary["former_contributors"] == ["Priya Lindqvist"]
    assert summary["truck_factor"] == 3
    assert {m["module"]: [a["name"] for a in m["authors"]] for m in summary["modules"]}["deploy"] == [
        "Sam Rivera"
    ]
    row = IdentityMatch.objects.get(email="mateo@mailbox.test")
    assert (row.person_id, row.method, row.confirmed) == (mateo.pk, "name", False)

    client.logout()
    assert client.login(username=demo["engineer"], password=DEMO_PASSWORD)
    assert client.get(f"/code/repositories/{repo.pk}/identities/").status_code == 403  # only the lead decides

    client.logout()
    assert client.login(username=demo["manager"], password=DEMO_PASSWORD)
    after = client.post(f"/api/code/repositories/{repo.pk}/identities/confirm",
                        {"developer": personal_email(mateo)}, content_type="application/json").json()  # fmt: skip
    assert after["pending"] == 0 and after["matched"] == 7
    knows = client.get(f"/api/code/people/{mateo.pk}/knowledge").json()
    assert knows["sole_files"] == 1 and knows["files"] == 1
