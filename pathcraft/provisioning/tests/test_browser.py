"""Real headless Chromium: the identity provider deactivates Dee over HTTP; her manager finds her under Leavers and
runs the what-if-they-leave simulation of the repository she wrote."""

from __future__ import annotations

import json
import urllib.request

import pytest

from pathcraft.code import actions as code_actions
from pathcraft.code.tests.gitfactory import RepoBuilder
from pathcraft.people.tests.factories import PASSWORD, small_org
from pathcraft.provisioning.models import ScimToken
from pathcraft.provisioning.tests.scim_client import PATCH_OP
from pathcraft.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_sees_the_leaver_and_runs_the_leave_simulation(page, live_server, tmp_path):
    org = small_org()
    dee = org["dev"]
    git = RepoBuilder(tmp_path / "repo")
    git.commit(f"Dee Dev <{dee.email}>", {"core/a.py": "a\n", "core/b.py": "b\n"})
    git.commit(f"Dan Dev <{org['dev2'].email}>", {"web/x.py": "x\n"})
    code_actions.run_analysis(code_actions.register_repository(org["team"], "svc", str(git.path)).pk)
    _, token = ScimToken.issue(org["org"], "okta")
    request = urllib.request.Request(
        f"{live_server.url}/scim/v2/Users/{dee.pk}", method="PATCH",
        data=json.dumps({"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": False}}]}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"},
    )  # fmt: skip
    with urllib.request.urlopen(request) as response:
        assert json.loads(response.read())["active"] is False

    login(page, live_server, org["lead"].email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Leavers").click()
    leaver = page.locator(f"#leaver-{dee.pk}")
    leaver.get_by_text("Dee Dev — left").wait_for()
    leaver.get_by_role("button", name="What if they leave").click()
    page.get_by_text("core/a.py").first.wait_for()
    page.screenshot(path="/tmp/provisioning-leave.png", full_page=True)
