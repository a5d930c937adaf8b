"""Real headless Chromium: the status box polls while the job is queued or running and the page reloads itself
with the figures when it is done; the idle/decay form updates in place."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from pathcraft.code import actions
from pathcraft.code.models import Repository
from pathcraft.code.tests.scenarios import identities_repo, org_with_lead
from pathcraft.people.tests.factories import PASSWORD
from pathcraft.testing.browser import login as browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def o(transactional_db, tmp_path):
    o = org_with_lead()
    o["git"] = identities_repo(tmp_path / "repo", o)
    o["repo"] = actions.register_repository(o["team"], "svc", str(o["git"].path))
    return o


def log_in(page, live_server, person):
    browser_login(page, live_server, person.email, PASSWORD)


def test_the_status_box_follows_the_job_and_the_page_shows_the_result(page, live_server, o):
    actions.enqueue_analysis(o["repo"])  # a real job row, waiting for the worker
    log_in(page, live_server, o["dev"])
    page.goto(f"{live_server.url}/code/repositories/{o['repo'].pk}/")
    box = page.locator("#analysis-status")
    assert "Analysis queued" in box.inner_text()
    assert page.locator("#truck-factor").count() == 0
    DBTaskResult.objects.get().claim("test-worker")  # the worker picks it up
    Repository.objects.filter(pk=o["repo"].pk).update(status="running", progress=1000, progress_total=4000)
    page.wait_for_function(
        "() => document.querySelector('#analysis-status').innerText.includes('1000 of 4000')"
    )
    assert page.locator("#analysis-status progress").get_attribute("value") == "1000"
    actions.run_analysis(o["repo"].pk)  # what the worker does; the next poll reloads the page
    page.locator("#truck-factor").wait_for(timeout=10000)
    assert page.locator("#truck-factor").inner_text() == "2"
    assert page.locator("#analysis-status").get_attribute("hx-trigger") is None  # polling stopped


def test_a_job_that_dies_shows_as_interrupted_and_can_be_started_again(page, live_server, o):
    actions.enqueue_analysis(o["repo"])
    job = DBTaskResult.objects.get()
    job.claim("test-worker")
    Repository.objects.filter(pk=o["repo"].pk).update(status="running", progress=10, progress_total=40)
    log_in(page, live_server, o["lead"])
    page.goto(f"{live_server.url}/code/repositories/{o['repo'].pk}/")
    box = page.locator("#analysis-status")
    assert "10 of 40 commits read" in box.inner_text()
    assert page.get_by_role("button", name="Analyse now").count() == 0  # hidden while it runs
    try:  # the worker dies: django-tasks records the job as failed, the row still says running
        raise SystemExit("killed")
    except SystemExit as exc:
        job.set_failed(exc)
    page.wait_for_function("() => document.querySelector('#analysis-status').dataset.status == 'interrupted'")
    assert "its job failed (SystemExit)" in box.inner_text()
    assert box.get_attribute("hx-trigger") is None  # polling stopped
    page.screenshot(path="/tmp/code-interrupted.png", full_page=False)
    page.get_by_role("button", name="Analyse again").click()
    page.wait_for_function("() => document.querySelector('#analysis-status').dataset.status == 'queued'")
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_the_idle_and_decay_figures_update_in_place(page, live_server, o):
    actions.run_analysis(o["repo"].pk)
    log_in(page, live_server, o["dev"])
    url = f"{live_server.url}/code/repositories/{o['repo'].pk}/"
    page.goto(url)
    page.locator("#recency-h").scroll_into_view_if_needed()
    page.locator("#recency-figures").wait_for()
    assert "idle for more than 365 days" in page.locator("#fig-idle").inner_text()
    page.get_by_label("Treat people idle for more than").fill("30")
    page.get_by_role("button", name="Show").click()
    page.wait_for_function("() => document.querySelector('#fig-idle') && "
                           "document.querySelector('#fig-idle').innerText.includes('30 days')")  # fmt: skip
    assert page.url == url  # no navigation: the fragment was swapped in
