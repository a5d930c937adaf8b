"""Hardened login: throttling per account and per address, lifting a lockout, password reset by email,
security headers on every page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from pathcraft.people.tests.factories import PASSWORD, small_org

pytestmark = pytest.mark.django_db

LOGIN_DATA = yaml.safe_load(
    (django_settings.BASE_DIR / "ops" / "data" / "login.yaml").read_text()
)  # the numbers users see, with sources


@pytest.fixture
def org():
    return small_org()


def _post_login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_defaults_come_from_the_data_file_with_sources():
    assert django_settings.AXES_FAILURE_LIMIT == LOGIN_DATA["failure_limit"]["value"]
    assert django_settings.AXES_COOLOFF_MINUTES == LOGIN_DATA["cooloff_minutes"]["value"]
    assert all("source" in entry and "url" in entry for entry in LOGIN_DATA.values())
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert django_settings.AXES_ENABLED is not False


def test_account_locks_after_the_configured_failures_and_not_before(client, org):
    limit = django_settings.AXES_FAILURE_LIMIT
    user = org["dev"].email
    for attempt in range(limit - 1):  # each from another address: the per-account counter is what locks
        response = _post_login(client, user, "wrong", ip=f"10.0.1.{attempt + 1}")
        assert response.status_code == 200 and "not recognised" in response.content.decode()
    # one short of the limit: the right password still works
    assert _post_login(client, user, PASSWORD, ip="10.0.2.1").status_code == 302
    client.logout()
    for attempt in range(limit):  # success reset the counter: it takes `limit` failures again
        response = _post_login(client, user, "wrong", ip=f"10.0.3.{attempt + 1}")
    assert response.status_code == 429
    locked = _post_login(client, user, PASSWORD, ip="10.0.4.1")  # even the right password, from a new address
    html = locked.content.decode()
    assert locked.status_code == 429
    minutes = LOGIN_DATA["cooloff_minutes"]["value"]
    assert f"Too many failed attempts; try again in {minutes} minutes or ask an admin" in html
    assert "_auth_user_id" not in client.session
    # another account is not affected
    assert _post_login(client, org["dev2"].email, PASSWORD, ip="10.0.5.1").status_code == 302


def test_address_locks_after_the_configured_failures_whatever_the_account(client, org):
    limit = django_settings.AXES_FAILURE_LIMIT
    for attempt in range(limit):
        response = _post_login(client, f"nobody{attempt}@x.test", "wrong", ip="10.9.9.9")
    assert response.status_code == 429
    assert _post_login(client, org["dev"].email, PASSWORD, ip="10.9.9.9").status_code == 429
    assert _post_login(client, org["dev"].email, PASSWORD, ip="10.9.9.10").status_code == 302


def _lock(client, user):
    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        _post_login(client, user, "wrong", ip=f"10.7.0.{attempt + 1}")
    assert _post_login(client, user, PASSWORD).status_code == 429


def test_cli_unlock_lifts_the_lockout(client, org, capsys):
    from pathcraft.cli.main import cli

    user = org["dev"].email
    _lock(client, user)
    cli.main(args=["unlock", user], prog_name="pathcraft", standalone_mode=False)
    assert f"Lifted the lockout for {user}" in capsys.readouterr().out
    assert _post_login(client, user, PASSWORD).status_code == 302


def test_cli_unlock_by_address_and_unknown_is_an_error(client, org):
    from pathcraft.cli.main import cli
    from pathcraft.errors import InputError

    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        _post_login(client, f"x{attempt}@x.test", "wrong", ip="10.8.8.8")
    assert _post_login(client, org["dev"].email, PASSWORD, ip="10.8.8.8").status_code == 429
    cli.main(args=["unlock", "10.8.8.8"], prog_name="pathcraft", standalone_mode=False)
    assert _post_login(client, org["dev"].email, PASSWORD, ip="10.8.8.8").status_code == 302
    with pytest.raises(InputError, match="no failed logins recorded"):
        cli.main(args=["unlock", "nobody@x.test"], prog_name="pathcraft", standalone_mode=False)


def test_admin_lifts_the_lockout_in_the_admin(client, org):
    from axes.models import AccessAttempt

    user = org["dev"].email
    _lock(client, user)
    admin_client = client.__class__()
    assert admin_client.login(username="root", password=PASSWORD)
    changelist = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and user in changelist.content.decode()
    ids = list(AccessAttempt.objects.filter(username=user).values_list("pk", flat=True))
    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert _post_login(client, user, PASSWORD).status_code == 302


def test_password_reset_end_to_end(client, org):
    dev = org["dev"]
    response = client.post(reverse("password_reset"), {"email": dev.email})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [dev.email]
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)  # Django swaps the token for a session marker and redirects
    assert form.status_code == 200 and "Choose a new password" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "a-New-passw0rd-42", "new_password2": "a-New-passw0rd-42"})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert _post_login(client, dev.email, PASSWORD).status_code == 200  # the old password no longer works
    assert _post_login(client, dev.email, "a-New-passw0rd-42").status_code == 302
    client.logout()
    reused = client.get(link, follow=True)  # the link works once
    assert "no longer valid" in reused.content.decode()


def test_password_reset_same_answer_for_unknown_email(client, org):
    known = client.post(reverse("password_reset"), {"email": org["dev"].email}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@acme.test"}, follow=True)
    assert len(mail.outbox) == 1  # only the real account got mail
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    masked_csrf = re.compile(r"[A-Za-z0-9]{64}")  # the only difference allowed: a fresh masked CSRF token
    assert masked_csrf.sub("", known.content.decode()) == masked_csrf.sub("", unknown.content.decode())


def test_password_reset_rejects_mismatched_passwords_and_keeps_the_old_one(client, org):
    dev = org["dev"]
    client.post(reverse("password_reset"), {"email": dev.email})
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "a-New-passw0rd-42", "new_password2": "x"}
    )
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert _post_login(client, dev.email, PASSWORD).status_code == 302


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/") and not href.startswith("//"):
            self.links.append(href.split("#")[0])


SKIP = ("/logout/", "/static/", "/admin/")  # logout is a POST; the admin is Django's own


def test_every_page_a_manager_reaches_sends_the_security_headers(client, org):
    assert client.login(username=org["lead"].email, password=PASSWORD)
    seen: set[str] = set()
    queue = ["/", reverse("login"), reverse("password_reset"), "/api/docs"]
    pages = 0
    while queue and len(seen) < 300:
        url = queue.pop(0)
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        response = client.get(url)
        if url in (reverse("login"), reverse("password_reset")) or response.status_code != 200:
            assert response.status_code in (200, 302, 404), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        if response.get("Content-Type", "").startswith("text/html"):
            pages += 1
            csp = response["Content-Security-Policy"]
            assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, url
            assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0], url
            assert response["X-Frame-Options"] == "DENY", url
            html = response.content.decode()
            assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>", html), (
                f"inline script on {url}"
            )
            assert not re.search(r"\son[a-z]+\s*=", html), f"inline event handler on {url}"
            parser = _Links()
            parser.feed(html)
            queue.extend(link for link in parser.links if link not in seen)
    print(f"security headers checked on {pages} HTML pages")
    assert pages >= 10, f"the walk reached only {pages} pages: {sorted(seen)}"


def test_check_deploy_in_production_mode_has_no_warning(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PATHCRAFT_", "DJANGO_"))}
    env.update(  # the variables docs/deploy.md and docs/security.md ask for
        PATHCRAFT_PRODUCTION="1",
        PATHCRAFT_SECRET_KEY="x7-Qv2mT9rL0pZ4sW8nB3cK6yH1jF5dG-aE0uI9oP2lM7kN4bV8cX3zR6tY1wS5q",
        PATHCRAFT_BACKUP_KEY="AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",  # production requires one (docs/backup.md)
        PATHCRAFT_ALLOWED_HOSTS="pathcraft.example.org",
        PATHCRAFT_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-m", "pathcraft.cli.main", "check", "--deploy"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "no issues (0 silenced)" in output, output
