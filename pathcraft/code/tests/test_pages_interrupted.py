"""A job that died does not stay "running": the row's queued/running is checked against the real django-tasks job
(DBTaskResult rows, database backend) and a timeout from data/jobs.yaml; an interrupted analysis shows as such on
the page, in the API and the CLI, with the Analyse button back."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django_tasks_db.models import DBTaskResult

from pathcraft.code import actions, jobs
from pathcraft.code.cli import code
from pathcraft.code.models import Repository
from pathcraft.code.tests.jobrows import FAILED, READY, RUNNING, SUCCESSFUL, job_row
from pathcraft.code.tests.scenarios import login, many_commits, org_with_lead
from pathcraft.errors import InputError

pytestmark = pytest.mark.django_db
POLL = 'hx-trigger="every 2s"'
STALE = jobs.stale_after()


@pytest.fixture
def o(tmp_path):
    o = org_with_lead()
    many_commits(tmp_path / "r.git", 20)
    o["repo"] = actions.register_repository(o["team"], "svc", str(tmp_path / "r.git"))
    return o


def status_of(client, o, who="lead"):
    c = login(client, o[who])
    html = c.get(f"/code/repositories/{o['repo'].pk}/status/", HTTP_HX_REQUEST="true").content.decode()
    api = c.get(f"/api/code/repositories/{o['repo'].pk}/status").json()
    return html, api


STALE_MINUTES = STALE.total_seconds() / 60


@pytest.mark.parametrize(
    ("row", "job", "minutes", "interrupted", "reason"),
    [
        ("queued", READY, 0, False, ""),
        ("queued", RUNNING, 1, False, ""),  # the worker claimed it; run_analysis is about to say "running"
        ("queued", None, 0, True, "no background job is waiting for or running it"),
        ("queued", SUCCESSFUL, 1, True, "its job ended without recording a result"),
        ("running", RUNNING, 1, False, ""),
        ("running", RUNNING, STALE_MINUTES - 1, False, ""),
        ("running", RUNNING, STALE_MINUTES + 1, True, f"running for more than {int(STALE_MINUTES)} minutes"),
        ("running", FAILED, 1, True, "its job failed (MemoryError)"),
        ("running", SUCCESSFUL, 1, True, "its job ended without recording a result"),
        ("running", None, 0, True, "no background job"),
        ("done", None, 0, False, ""),  # finished rows are taken as they are
        ("failed", SUCCESSFUL, 1, False, ""),
        ("new", None, 0, False, ""),
    ],
)
def test_queued_or_running_without_a_live_job_is_interrupted(
    client, o, row, job, minutes, interrupted, reason
):
    if job is not None:
        job_row(o["repo"], job, started_minutes_ago=minutes)
    Repository.objects.filter(pk=o["repo"].pk).update(status=row, progress=5, progress_total=20)
    o["repo"].refresh_from_db()
    assert jobs.check(o["repo"]).interrupted is interrupted
    html, api = status_of(client, o)
    listed = {r["id"]: r["status"] for r in client.get("/api/code/repositories").json()["items"]}
    assert listed[o["repo"].pk] == ("interrupted" if interrupted else row)
    assert client.get(f"/api/code/repositories/{o['repo'].pk}").json()["status"] == listed[o["repo"].pk]
    if interrupted:
        assert 'data-status="interrupted"' in html and "The analysis was interrupted" in html
        assert reason in html.replace("&#x27;", "'")
        assert POLL not in html and ">Analyse again</button>" in html
        assert api["status"] == "interrupted" and api["in_progress"] is False and reason in api["error"]
    else:
        assert f'data-status="{row}"' in html and "interrupted" not in html
        assert api["status"] == row and reason == ""
        assert (POLL in html) is (row in ("queued", "running"))


def test_only_the_newest_job_of_this_repository_counts(client, o, tmp_path):
    other = actions.register_repository(o["team2"], "other", str(o["repo"].path))
    job_row(o["repo"], SUCCESSFUL)  # an old run of this repository
    newer = job_row(other, READY)  # a waiting job of another repository is not this one's
    Repository.objects.filter(pk=o["repo"].pk).update(status="queued")
    o["repo"].refresh_from_db()
    assert jobs.check(o["repo"]).interrupted
    waiting = job_row(o["repo"], READY)
    assert waiting.enqueued_at > newer.enqueued_at
    assert not jobs.check(o["repo"]).interrupted
    # Newest by the time it was enqueued: once the waiting job is older than the finished one, it no longer counts.
    DBTaskResult.objects.filter(pk=waiting.pk).update(enqueued_at=waiting.enqueued_at - timedelta(days=1))
    assert jobs.check(o["repo"]).interrupted


def test_analyse_again_queues_a_new_job_and_the_worker_finishes_it(client, o):
    job_row(o["repo"], RUNNING, started_minutes_ago=STALE_MINUTES + 5)  # the worker was killed mid-run
    Repository.objects.filter(pk=o["repo"].pk).update(status="running", progress=10, progress_total=20)
    url = f"/code/repositories/{o['repo'].pk}/analyse/"
    assert login(client, o["dev"]).post(url).status_code == 403  # still only the lead
    html = login(client, o["lead"]).post(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Analysis queued." in html and POLL in html
    assert DBTaskResult.objects.filter(status=READY).count() == 1
    repo = Repository.objects.get(pk=o["repo"].pk)
    assert (repo.status, repo.progress, repo.progress_total) == ("queued", 0, 0)
    assert not jobs.check(repo).interrupted
    # A queued row whose job vanished (the queue was cleared) is queued again too: not "already queued".
    DBTaskResult.objects.all().delete()
    assert jobs.check(repo).interrupted
    actions.enqueue_analysis(repo)
    assert DBTaskResult.objects.filter(status=READY).count() == 1 and not jobs.check(repo).interrupted
    actions.enqueue_analysis(repo)  # a live queued job: nothing more
    assert DBTaskResult.objects.count() == 1


def test_the_page_index_and_cli_agree(client, o):
    Repository.objects.filter(pk=o["repo"].pk).update(status="running")
    html = login(client, o["dev"]).get(f"/code/repositories/{o['repo'].pk}/").content.decode()
    assert "The analysis was interrupted" in html
    assert ">Analyse again</button>" not in html  # a developer sees the state, only the lead gets the button
    index = client.get("/code/").content.decode()
    assert ">interrupted</span>" in index
    result = CliRunner().invoke(code, ["repos", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["status"] == "interrupted"
    assert Repository.objects.get(pk=o["repo"].pk).status == "running"  # shown, never written


def test_a_cli_run_is_recorded_as_a_job_and_is_running_while_it_reads(o):
    seen = []

    def watch(read, total):
        repo = Repository.objects.get(pk=o["repo"].pk)
        seen.append((jobs.effective_status(repo), read, total))

    repo = jobs.run_here(o["repo"].pk, progress=watch)
    assert seen[0] == ("running", 0, 20) and seen[-1] == ("running", 20, 20)
    assert repo.status == "done"
    job = DBTaskResult.objects.get()
    assert job.status == SUCCESSFUL and job.worker_ids[0].startswith("pathcraft-cli:")


def test_a_cli_run_stopped_with_ctrl_c_says_so(o):
    def stop(read, total):
        if read:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        jobs.run_here(o["repo"].pk, progress=stop)
    repo = Repository.objects.get(pk=o["repo"].pk)
    assert (repo.status, repo.error) == ("failed", "the analysis was stopped before it finished")
    assert DBTaskResult.objects.get().status == FAILED


def test_the_timeout_comes_from_the_data_file_with_a_reason(tmp_path):
    import yaml

    data = yaml.safe_load(jobs.DATA_FILE.read_text())["stale_job_minutes"]
    assert data["value"] == STALE_MINUTES and data["estimate"] is True and "git/git" in data["reason"]
    broken = tmp_path / "jobs.yaml"
    for text in ["stale_job_minutes: {value: 0}", "stale_job_minutes: {value: soon}", "other: 1", ": ["]:
        broken.write_text(text)
        with pytest.raises(InputError, match="broken job data file"):
            jobs.stale_after(broken)


def test_other_task_backends_are_taken_at_their_word(o, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    Repository.objects.filter(pk=o["repo"].pk).update(status="running")
    o["repo"].refresh_from_db()
    assert not jobs.check(o["repo"]).interrupted
