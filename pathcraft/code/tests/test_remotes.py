"""Repositories registered by URL, against real remotes: a file:// "host" and `git daemon` on localhost.

The first sync clones a bare mirror (blobless where the server allows it) and analyses it; new commits are picked
up incrementally; a force-push is detected and analysed from scratch, said so; a failed fetch keeps the analysis.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os

import pytest
from click.testing import CliRunner

from pathcraft.code import remote as git_remote
from pathcraft.code import remotes
from pathcraft.code.actions import unregister_repository
from pathcraft.code.models import Repository
from pathcraft.errors import InputError
from pathcraft.people.tests.factories import make_org, make_team
from pathcraft.testing.git_servers import GitServer, git, git_daemon

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team(make_org())


@pytest.fixture
def server(tmp_path):
    s = GitServer(tmp_path)
    for _ in range(5):
        s.commit()
    s.push()
    return s


def test_first_sync_clones_a_blobless_mirror_and_analyses_it(team, server, settings):
    repo = remotes.register_remote_repository(team, "service", server.url)
    assert (
        repo.is_remote
        and repo.path.startswith(str(settings.DATA_DIR))
        and repo.status == Repository.Status.NEW
    )
    outcome = remotes.sync_remote(repo)
    repo.refresh_from_db()
    assert outcome.result == "analysed" and repo.status == Repository.Status.DONE
    assert repo.mirror_kind == "blobless"
    assert git("config", "--get", "remote.origin.promisor", cwd=repo.path) == "true"
    assert repo.report["commits_analysed"] == 5 and repo.last_commit == git(
        "rev-parse", "HEAD", cwd=server.work
    )
    # HEAD's blobs were fetched in one request for the analysis; older versions of the files were not.
    assert git_remote._missing_blobs(repo.path, repo.last_commit) == []
    assert git_remote._missing_blobs(repo.path, repo.last_commit + "~3") != []


def test_new_commits_are_picked_up_incrementally(team, server):
    repo = remotes.register_remote_repository(team, "service", server.url)
    remotes.sync_remote(repo)
    repo.refresh_from_db()
    assert remotes.sync_remote(repo).result == "unchanged"
    for _ in range(3):
        server.commit(author="Ann Other <ann@x.test>")
    server.push()
    repo.refresh_from_db()
    assert remotes.sync_remote(repo).result == "analysed"
    repo.refresh_from_db()
    assert repo.report["incremental"] is True and repo.report["commits_analysed"] == 8
    assert repo.history_rewritten_at is None


def test_a_force_push_is_detected_and_analysed_from_scratch(team, server):
    repo = remotes.register_remote_repository(team, "service", server.url)
    remotes.sync_remote(repo)
    third = git("rev-parse", "HEAD~2", cwd=server.work)
    server.rewrite_to(third)
    server.commit(author="Ann Other <ann@x.test>")
    server.push(force=True)
    repo.refresh_from_db()
    outcome = remotes.sync_remote(repo)
    repo.refresh_from_db()
    assert outcome.rewritten and repo.history_rewritten_at is not None
    assert repo.report["incremental"] is False and repo.report["commits_analysed"] == 4


def test_git_daemon_without_filter_support_gets_a_full_mirror(team, tmp_path):
    served = GitServer(tmp_path, allow_filter=False)
    for _ in range(4):
        served.commit()
    served.push()
    with git_daemon(served.bare.parent) as base:
        repo = remotes.register_remote_repository(team, "service", base + "service.git")
        assert remotes.sync_remote(repo).result == "analysed"
        repo.refresh_from_db()
        assert repo.mirror_kind == "full" and repo.report["commits_analysed"] == 4
        served.commit()
        served.push()
        repo.refresh_from_db()
        assert remotes.sync_remote(repo).result == "analysed"
        repo.refresh_from_db()
        assert repo.report["incremental"] is True and repo.report["commits_analysed"] == 5
    # The daemon is gone: the fetch fails, the analysis stays, the reason is kept.
    repo.refresh_from_db()
    outcome = remotes.sync_remote(repo)
    repo.refresh_from_db()
    assert outcome.result == "failed" and repo.fetch_failures == 1 and "127.0.0.1" in repo.fetch_error
    assert repo.status == Repository.Status.DONE and repo.report["commits_analysed"] == 5


def test_a_token_in_the_url_is_kept_secret(team, server, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(InputError) as caught:
        remotes.register_remote_repository(team, "x", "https://bot:ghp_SECRETTOKEN123@127.0.0.1:9/org/x.git")
    assert "ghp_SECRETTOKEN123" not in str(caught.value) and "could not be read" in str(caught.value)
    checked = git_remote.check_remote("https://bot:ghp_SECRETTOKEN123@git.example.org/org/x.git")
    assert checked.url == "https://git.example.org/org/x.git" and checked.secret == "ghp_SECRETTOKEN123"
    assert checked.shown == "https://git.example.org/org/x.git"
    with git_remote.git_environment(checked) as env:
        assert "ghp_SECRETTOKEN123" not in json.dumps(
            {k: v for k, v in env.items() if not k.startswith("GIT_CONFIG")}
        )
        assert env["GIT_CONFIG_KEY_0"] == "http.extraHeader" and env["GIT_CONFIG_VALUE_0"].startswith(
            "Authorization: Basic "
        )
    assert "ghp_SECRETTOKEN123" not in caplog.text


def test_a_deploy_key_is_written_0600_for_ssh_only_while_git_runs():
    key = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----"
    with git_remote.git_environment(git_remote.Remote("git@github.com:org/x.git", key)) as env:
        path = env["GIT_SSH_COMMAND"].split(" -i ")[1].split()[0]
        assert oct(os.stat(path).st_mode & 0o777) == "0o600" and "BatchMode=yes" in env["GIT_SSH_COMMAND"]
    assert not os.path.exists(path)


@pytest.mark.parametrize(
    "bad",
    ["", "ext::sh -c touch% /tmp/pwned", "--upload-pack=touch /tmp/x", "ftp://host/x.git", "https:///x.git",
     "fd::17", "https://host/x.git\nmore"],
)  # fmt: skip
def test_urls_git_could_run_as_a_command_are_refused(bad):
    with pytest.raises(InputError):
        git_remote.check_remote(bad)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("git@github.com:org/service.git", "github.com:org/service.git"),
        (
            "ssh://deploy@gitlab.example.org:2222/org/service.git",
            "ssh://gitlab.example.org:2222/org/service.git",
        ),
        ("https://oauth2:glpat-x@gitlab.com/org/s.git", "https://gitlab.com/org/s.git"),
        ("file:///srv/git/s.git", "file:///srv/git/s.git"),
    ],
)
def test_only_the_url_without_credentials_is_shown(url, shown):
    assert git_remote.check_remote(url).shown == shown


def test_an_unknown_branch_is_refused_before_anything_is_saved(team, server):
    with pytest.raises(InputError, match="no branch or tag 'nope'"):
        remotes.register_remote_repository(team, "service", server.url, ref="nope")
    assert not Repository.objects.exists()


def test_due_remotes_are_claimed_once_and_listed_by_schedule(team, server):
    from pathcraft.ops.cli import schedule

    repo = remotes.register_remote_repository(team, "service", server.url)
    now = repo.next_fetch_at + dt.timedelta(seconds=1)
    assert remotes.claim(repo.pk, repo.next_fetch_at, now) and not remotes.claim(
        repo.pk, repo.next_fetch_at, now
    )
    Repository.objects.filter(pk=repo.pk).update(next_fetch_at=now)
    outcomes = remotes.sync_due_remotes(now=now + dt.timedelta(seconds=1))
    assert [o.result for o in outcomes] == ["analysed"]
    listed = CliRunner().invoke(schedule, [])
    assert f"repository {repo.pk} ({server.url})" in listed.output


def test_unregistering_deletes_the_mirror_but_never_a_local_path(team, server):
    repo = remotes.register_remote_repository(team, "service", server.url)
    remotes.sync_remote(repo)
    assert os.path.isdir(repo.path)
    unregister_repository(repo)
    assert not os.path.exists(repo.path) and server.bare.exists()


def test_a_team_lead_registers_a_remote_on_the_page_and_sees_a_force_push(client, server):
    from django.urls import reverse

    from pathcraft.people.tests.factories import PASSWORD, small_org

    org = small_org()
    org["team"].lead = org["lead"]
    org["team"].save()
    assert client.login(username=org["lead"].email, password=PASSWORD)
    response = client.post(reverse("code:register"), {"team": org["team"].pk, "name": "service",
                                                      "remote": server.url, "secret": "tok-never-shown"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:500]
    repo = Repository.objects.get(name="service")
    assert repo.remote_secret == "tok-never-shown"
    page = client.get(reverse("code:repository", args=[repo.pk])).content.decode()
    assert "Not fetched yet" in page and "tok-never-shown" not in page
    remotes.sync_remote(repo)
    server.rewrite_to(git("rev-parse", "HEAD~1", cwd=server.work))
    server.commit()
    server.push(force=True)
    repo.refresh_from_db()
    remotes.sync_remote(repo)
    page = client.get(reverse("code:repository", args=[repo.pk])).content.decode()
    assert 'id="history-rewritten"' in page and "analysed again from scratch" in page
    assert "tok-never-shown" not in page


def test_the_cli_registers_a_remote_and_refresh_clones_it(team, server):
    from pathcraft.code.cli import code

    runner = CliRunner()
    registered = runner.invoke(code, ["register", "--remote", server.url, "--team", team.slug])
    assert registered.exit_code == 0, registered.output
    assert "a mirror of " + server.url in registered.output
    refreshed = runner.invoke(code, ["refresh", "service"])
    assert refreshed.exit_code == 0, refreshed.output
    repo = Repository.objects.get(name="service")
    assert repo.status == Repository.Status.DONE and repo.report["commits_analysed"] == 5
