"""The demo: a request with results (and a shared part for the manager), one below the threshold."""

from __future__ import annotations

import pytest

from pathcraft.feedback.models import FeedbackRequest
from pathcraft.feedback.results import calibration_for, current_release, manager_release

pytestmark = pytest.mark.django_db


def test_demo_feedback(client):
    from pathcraft.demo.load import load_demo
    from pathcraft.demo.organisation import DEMO_PASSWORD

    logins = load_demo()
    done = FeedbackRequest.objects.get(subject__email=logins["engineer"])
    release = current_release(done)
    assert release.visible and release.final and release.included >= 4
    kinds = {i.kind for i in calibration_for(done).items}
    assert {"hidden_strength", "blind_spot"} <= kinds
    shared = manager_release(done)
    assert shared.activities and set(shared.texts) == {"does_well"}
    below = FeedbackRequest.objects.exclude(pk=done.pk).get()
    assert below.answers.count() == 2 and not current_release(below).visible
    assert client.login(username=logins["manager"], password=DEMO_PASSWORD)
    html = client.get("/feedback/team/").content.decode()
    assert "2 of 13 have asked colleagues" in html
    assert client.get(f"/feedback/{done.pk}/").status_code == 200  # shared with Sam
    assert client.get(f"/feedback/{below.pk}/").status_code == 403  # not shared
