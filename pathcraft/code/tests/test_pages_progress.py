"""Live progress of the analysis job: the status fragment polls while queued or running and stops when done or
failed; the job records commits read of commits to read."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from pathcraft.code import actions, runs
from pathcraft.code.models import Repository
from pathcraft.code.tests.jobrows import READY, RUNNING, job_row
from pathcraft.code.tests.scenarios import login, many_commits, org_with_lead

pytestmark = pytest.mark.django_db
POLL = 'hx-trigger="every 2s"'


@pytest.fixture
def o(tmp_path):
    o = org_with_lead()
    many_commits(tmp_path / "big.git", 2500)
    o["path"] = tmp_path / "big.git"
    o["repo"] = actions.register_repository(o["team"], "big", str(o["path"]))
    return o


def fragment(client, o, who="dev", polling=False):
    url = f"/code/repositories/{o['repo'].pk}/status/" + ("?polling=1" if polling else "")
    return login(client, o[who]).get(url, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize(
    ("fields", "expected", "polls"),
    [
        ({"status": "new"}, "Not analysed yet.", False),
        ({"status": "queued"}, "Analysis queued.", True),
        ({"status": "running", "progress": 1000, "progress_total": 4000},
         '<progress max="4000" value="1000"', True),
        ({"status": "running", "progress": 1000, "progress_total": 4000}, "1000 of 4000 commits read (25%)", True),
        ({"status": "running", "progress": 4000, "progress_total": 4000}, "working out authorship", True),
        ({"status": "running", "progress": 0, "progress_total": 0}, "0 commits read so far", True),
        ({"status": "failed", "error": "unknown ref 'gone' in /srv/x"},
         "The last analysis failed: unknown ref &#x27;gone&#x27; in /srv/x", False),
    ],
)  # fmt: skip
def test_the_fragment_shows_each_state_and_polls_only_while_in_progress(client, o, fields, expected, polls):
    if fields["status"] in ("queued", "running"):  # backed by a live job, as the app's own runs are
        job_row(o["repo"], READY if fields["status"] == "queued" else RUNNING)
    Repository.objects.filter(pk=o["repo"].pk).update(**fields)
    html = fragment(client, o).content.decode()
    assert expected in html
    assert (POLL in html) is polls
    assert 'id="analysis-status"' in html and f'data-status="{fields["status"]}"' in html


def test_a_finished_analysis_stops_polling_and_reloads_the_page_it_was_polling_from(client, o):
    actions.run_analysis(o["repo"].pk)
    response = fragment(client, o, polling=True)
    html = response.content.decode()
    assert POLL not in html and "2500 commits in total" in html
    assert response["HX-Refresh"] == "true"
    assert "HX-Refresh" not in fragment(client, o).headers  # a first load does not reload


def test_the_repository_page_embeds_the_polling_fragment(client, o):
    job_row(o["repo"], RUNNING)
    Repository.objects.filter(pk=o["repo"].pk).update(status="running", progress=1000, progress_total=2500)
    html = login(client, o["dev"]).get(f"/code/repositories/{o['repo'].pk}/").content.decode()
    assert POLL in html and f'hx-get="/code/repositories/{o["repo"].pk}/status/?polling=1"' in html
    assert "1000 of 2500 commits read (40%)" in html


def test_the_job_records_progress_as_it_reads(o, monkeypatch):
    seen = []
    real = runs.analyze_repository

    def spy(path, options, state=None, progress=None):
        def watch(stage, count):
            progress(stage, count)
            row = Repository.objects.get(pk=o["repo"].pk)
            seen.append((row.status, row.progress, row.progress_total))

        return real(path, options, state=state, progress=watch)

    monkeypatch.setattr(runs, "analyze_repository", spy)
    repo = actions.run_analysis(o["repo"].pk)
    assert seen == [("running", 1000, 2500), ("running", 2000, 2500), ("running", 2500, 2500)]
    assert (repo.status, repo.progress, repo.progress_total) == ("done", 2500, 2500)
    many_commits(o["path"], 30, start=2500)  # an incremental run reads only the new commits
    seen.clear()
    repo = actions.run_analysis(o["repo"].pk)
    assert seen == [("running", 30, 30)] and repo.report["incremental"] is True
    assert repo.report["commits_analysed"] == 2530


def test_a_caller_can_follow_the_progress_too(o):
    """The CLI's hook: (0, total) first, then the engine's counts, increasing, ending at the total."""
    calls = []
    repo = actions.run_analysis(o["repo"].pk, progress=lambda read, total: calls.append((read, total)))
    assert calls == [(0, 2500), (1000, 2500), (2000, 2500), (2500, 2500)]
    assert repo.status == "done" and repo.progress == 2500
    many_commits(o["path"], 30, start=2500)
    calls.clear()
    actions.run_analysis(o["repo"].pk, progress=lambda read, total: calls.append((read, total)))
    assert calls == [(0, 30), (30, 30)]
    calls.clear()
    actions.run_analysis(o["repo"].pk, progress=lambda read, total: calls.append((read, total)))
    assert calls == [(0, 0), (0, 0)]  # nothing new: nothing to read, and no division by zero anywhere


def test_a_failed_analysis_shows_its_one_line_error_on_the_page(client, o, tmp_path):
    Repository.objects.filter(pk=o["repo"].pk).update(ref="no-such-branch")
    repo = actions.run_analysis(o["repo"].pk)
    assert repo.status == "failed" and repo.error.startswith("unknown ref 'no-such-branch'")
    html = login(client, o["dev"]).get(f"/code/repositories/{repo.pk}/").content.decode()
    assert 'id="analysis-error"' in html and "no-such-branch" in html and POLL not in html
    api = client.get(f"/api/code/repositories/{repo.pk}/status").json()
    assert api["status"] == "failed" and "no-such-branch" in api["error"]


def test_starting_an_analysis_queues_one_job_for_the_lead_only(client, o):
    url = f"/code/repositories/{o['repo'].pk}/analyse/"
    assert login(client, o["dev"]).post(url).status_code == 403
    assert login(client, o["stranger"]).post(url).status_code == 404
    assert not DBTaskResult.objects.exists()
    c = login(client, o["lead"])
    html = c.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Analysis queued." in html and POLL in html
    c.post(url)  # a second press while it waits queues nothing more
    assert DBTaskResult.objects.count() == 1
    assert Repository.objects.get(pk=o["repo"].pk).status == "queued"
    api = c.get(f"/api/code/repositories/{o['repo'].pk}/status").json()
    assert api == {**api, "status": "queued", "in_progress": True, "commits_read": 0}
