"""Idle people treated as gone ("knowledge already lost") and time decay, next to the published figure, on a
scripted repository whose answers are worked out by hand."""

from __future__ import annotations

import re
from html import unescape

import pytest

from pathcraft.code.tests.gitfactory import BASE_TIME, RepoBuilder
from pathcraft.code.tests.scenarios import DAY, analysed, login, org_with_lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def o(tmp_path):
    """Olga wrote old/ on day 0, Alice core/ on day 600, Bob web/z.py on day 700 and changed it on day 1000 (the
    last commit). Five files, each created by one person: DOA 4.391 (creator, no other change), every creator is
    the file's only author.

    Published method: Alice 2, Olga 2, Bob 1 file; removing Alice leaves 3/5 (>= 50%, go on), Olga 1/5: TF 2.
    Idle > 365 days up to the last commit (day 1000): Olga (1000 days) and Alice (400) gone, 4 files already lost,
    Bob keeps 1/5 < 50%: TF 0. Idle > 500 days: only Olga; Alice 2 + Bob 1 = 3/5, remove Alice: TF 1.
    Decay (exp(-days/90), nothing older than 547 days): Olga's changes weigh nothing, so old/ has no author; Alice
    (age 400) and Bob keep theirs: 3/5 covered, removing Alice leaves 1/5: TF 1. Both (decay, idle > 365): 1/5, TF 0.
    """
    o = org_with_lead()
    git = RepoBuilder(tmp_path / "repo")
    git.commit("Olga Old <olga@acme.test>", {"old/a.py": "a\n", "old/b.py": "b\n"}, when=BASE_TIME)
    git.commit(
        "Alice Core <alice@acme.test>", {"core/x.py": "x\n", "core/y.py": "y\n"}, when=BASE_TIME + 600 * DAY
    )
    git.commit("Bob Web <bob@acme.test>", {"web/z.py": "z\n"}, when=BASE_TIME + 700 * DAY)
    git.commit("Bob Web <bob@acme.test>", {"web/z.py": "z\nz\n"}, when=BASE_TIME + 1000 * DAY)
    o["repo"] = analysed(o["team"], git)
    return o


def figures(client, o, **params):
    response = login(client, o["dev"]).get(f"/code/repositories/{o['repo'].pk}/recency/", params,
                                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200
    html = unescape(response.content.decode())
    rows = {}
    for name in ("published", "idle", "decay", "both"):
        row = html.split(f'id="fig-{name}"')[1].split("</tr>")[0]
        cells = re.findall(r'<td class="num">([^<]*)</td>', row)
        rows[name] = tuple(cells)
    return rows, html


@pytest.mark.parametrize(
    ("idle_days", "expected", "lost"),
    [
        (365, {"published": ("2 of 3", "5 of 5 (100%)"), "idle": ("0 of 1", "1 of 5 (20%)"),
               "decay": ("1 of 2", "3 of 5 (60%)"), "both": ("0 of 1", "1 of 5 (20%)")}, 4),
        (500, {"published": ("2 of 3", "5 of 5 (100%)"), "idle": ("1 of 2", "3 of 5 (60%)"),
               "decay": ("1 of 2", "3 of 5 (60%)"), "both": ("1 of 2", "3 of 5 (60%)")}, 2),
        (2000, {"published": ("2 of 3", "5 of 5 (100%)"), "idle": ("2 of 3", "5 of 5 (100%)"),
                "decay": ("1 of 2", "3 of 5 (60%)"), "both": ("1 of 2", "3 of 5 (60%)")}, 0),
    ],
)  # fmt: skip
def test_figures_up_to_the_last_commit_have_the_hand_computed_values(client, o, idle_days, expected, lost):
    rows, html = figures(client, o, idle_days=idle_days, reference="last_commit")
    assert rows == expected
    if lost:
        assert f'<strong id="lost-count">{lost}</strong> of 5 files have lost every author' in html
        idle = html.split('id="idle-people"')[1].split("</table>")[0]
        assert ("Alice Core" in idle) is (idle_days < 400) and "Olga Old" in idle
        assert "1000</td>" in idle  # Olga: 1000 days idle at the last commit
    else:
        assert 'id="lost-none"' in html


def test_counting_up_to_today_treats_a_dormant_repository_as_gone_and_says_so(client, o):
    rows, html = figures(client, o, idle_days=365)  # the last commit is years before today
    assert rows["idle"] == ("0 of 0", "0 of 5 (0%)") and rows["published"] == ("2 of 3", "5 of 5 (100%)")
    assert "Nobody has committed here for" in html and "everyone counts as idle" in html


def test_the_default_idle_days_come_from_the_data_file(client, o):
    from pathcraft.code.defaults import load_defaults

    _, html = figures(client, o, reference="last_commit")
    assert f"People idle for more than {load_defaults().idle_days_suggested} days count as gone" in html
    page = login(client, o["dev"]).get(f"/code/repositories/{o['repo'].pk}/").content.decode()
    assert f'name="idle_days" min="0" max="36500" value="{load_defaults().idle_days_suggested}"' in page


@pytest.mark.parametrize("value", ["-1", "abc", "99999999"])
def test_bad_idle_days_get_one_line(client, o, value):
    response = login(client, o["dev"]).get(
        f"/code/repositories/{o['repo'].pk}/recency/", {"idle_days": value}
    )
    assert response.status_code == 400 and "idle days must be" in response.content.decode()
    api = client.get(f"/api/code/repositories/{o['repo'].pk}/recency", {"idle_days": value})
    assert api.status_code in (400, 422)


def test_the_api_gives_the_same_figures(client, o):
    c = login(client, o["dev"])
    data = c.get(f"/api/code/repositories/{o['repo'].pk}/recency",
                 {"idle_days": 365, "reference": "last_commit"}).json()  # fmt: skip
    f = data["figures"]
    assert (f["published"]["truck_factor"], f["idle"]["truck_factor"], f["decay"]["truck_factor"],
            f["both"]["truck_factor"]) == (2, 0, 1, 0)  # fmt: skip
    assert f["decay"]["files_with_author"] == 3 and data["lost"]["orphaned_count"] == 4
    assert {p["name"] for p in data["idle_people"]} == {"Olga Old", "Alice Core"}
    assert data["reference_date"] == "2023-06-10" and data["decay"] == {"tau_days": 90, "window_days": 547}
    assert (
        login(client, o["stranger"]).get(f"/api/code/repositories/{o['repo'].pk}/recency").status_code == 404
    )
