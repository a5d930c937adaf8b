"""Static files: the development server and the tests serve them straight from the apps; production serves the
copies `pathcraft migrate` collects, with content-hashed names, gzip and brotli, and a one-year cache."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

CLI = [sys.executable, "-m", "pathcraft.cli.main"]

# Runs in a fresh interpreter: PATHCRAFT_PRODUCTION is read once, when the settings are imported.
PRODUCTION_PROBE = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "pathcraft.settings"
import django
django.setup()
from django.test import Client
client = Client()
login = client.get("/login/", secure=True)
href = __import__("re").search(r'<link rel="stylesheet" href="([^"]+)"', login.content.decode()).group(1)
css = client.get(href, secure=True, HTTP_ACCEPT_ENCODING="br, gzip")
plain = client.get("/static/pathcraft/app.css", secure=True)
print(json.dumps({"login": login.status_code, "href": href, "css": css.status_code,
                  "encoding": css.get("Content-Encoding"), "cache": css.get("Cache-Control"),
                  "unhashed_cache": plain.get("Cache-Control")}))
"""


@pytest.mark.django_db
def test_development_serves_the_apps_files_without_a_collect_step(client):
    page = client.get("/login/").content.decode()
    assert '<link rel="stylesheet" href="/static/pathcraft/app.css"' in page
    css = client.get("/static/pathcraft/app.css")
    assert css.status_code == 200
    assert b"".join(css.streaming_content if css.streaming else [css.content])


def test_production_migrate_collects_hashed_compressed_files_and_pages_use_them(tmp_path):
    env = {
        **os.environ,
        "PATHCRAFT_PRODUCTION": "1",
        "PATHCRAFT_SECRET_KEY": "test-" + "s" * 60,
        "PATHCRAFT_ALLOWED_HOSTS": "testserver",
        "PATHCRAFT_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATHCRAFT_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run([*CLI, "migrate"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    static = tmp_path / "static"
    assert f"Static files collected in {static}" in done.stdout
    manifest = json.loads((static / "staticfiles.json").read_text())["paths"]
    hashed = manifest["pathcraft/app.css"]
    assert re.fullmatch(r"pathcraft/app\.[0-9a-f]{12}\.css", hashed)
    for suffix in ("", ".gz", ".br"):
        assert (static / (hashed + suffix)).is_file(), hashed + suffix

    probe = subprocess.run([sys.executable, "-c", PRODUCTION_PROBE], env=env, capture_output=True, text=True,
                           timeout=120)  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    seen = json.loads(probe.stdout.strip().splitlines()[-1])
    assert seen["login"] == 200
    assert seen["href"] == "/static/" + hashed
    assert (seen["css"], seen["encoding"]) == (200, "br")
    assert "immutable" in seen["cache"] and "max-age=315360000" in seen["cache"]
    assert "immutable" not in (
        seen["unhashed_cache"] or ""
    )  # an unhashed name may change: no year-long cache


def test_production_serve_refuses_to_start_before_the_static_files_are_collected(tmp_path):
    env = {
        **os.environ,
        "PATHCRAFT_PRODUCTION": "1",
        "PATHCRAFT_SECRET_KEY": "test-" + "s" * 60,
        "PATHCRAFT_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATHCRAFT_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run([*CLI, "serve", "--port", "1"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        == f"error: no static files collected in {tmp_path / 'static'}: run `pathcraft migrate`"
    )
