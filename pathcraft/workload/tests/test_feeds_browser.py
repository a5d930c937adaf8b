"""Real headless Chromium: a person connects a CalDAV calendar (Radicale) through the page and sees the weeks."""

from __future__ import annotations

import datetime as dt

import pytest

from pathcraft.people.tests.factories import PASSWORD, small_org
from pathcraft.testing.browser import login
from pathcraft.testing.calendar_servers import radicale_server
from pathcraft.workload.tests.test_feeds import _event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_connect_a_caldav_calendar_and_see_the_synced_weeks(page, live_server, tmp_path):
    import caldav

    org = small_org()
    with radicale_server(tmp_path, "dee", "app-password-xyz") as dav:
        calendar = (
            caldav.DAVClient(url=dav.url, username="dee", password="app-password-xyz")
            .principal()
            .make_calendar(name="Work")
        )
        monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday() + 7)
        for d in range(4):
            calendar.save_event(
                _event(f"sync-{d}", monday + dt.timedelta(days=d), 10, 90, ["dee@x.test", "z@x.test"])
            )
        login(page, live_server, org["dev"].email, PASSWORD)
        page.goto(f"{live_server.url}/workload/")
        page.locator("#no-calendar").wait_for()
        page.get_by_label("CalDAV (Nextcloud").check()
        page.get_by_label("Link or CalDAV address").fill(dav.url)
        page.get_by_label("CalDAV user name").fill("dee")
        page.get_by_label("CalDAV app password").fill("app-password-xyz")
        page.get_by_role("button", name="Connect").click()
        page.get_by_text("Calendar connected").wait_for()
        feed = page.locator("#feed-list li").first
        assert "CalDAV at http://127.0.0.1/…" in feed.inner_text() and "last synced" in feed.inner_text()
        iso = monday.isocalendar()
        week = f"{iso.year}-W{iso.week:02d}"
        row = page.locator("#weekly-table tbody tr", has_text=week)
        assert row.locator("td").first.inner_text() == "6.0"  # four meetings of 1.5 h that week
        assert "app-password-xyz" not in page.content()
        # The person asks for a sync after the server went away: the weeks stay, the reason shows.
    page.get_by_role("button", name="Sync now").click()
    page.get_by_text("The sync failed").wait_for()
    assert "could not reach the CalDAV server" in page.locator("#feed-list").inner_text()
    assert page.locator("#weekly-table tbody tr", has_text=week).locator("td").first.inner_text() == "6.0"
