"""Backups have their own key (PATHCRAFT_BACKUP_KEY): secret-key rotation, a second host, a wrong key."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.checks import run_checks

from pathcraft.errors import InputError, PathcraftError
from pathcraft.feedback import actions
from pathcraft.feedback.models import Answer, FeedbackRequest
from pathcraft.ops.backup import (
    SECRET_KEY_SEAL,
    backed_up_models,
    configured_keys,
    export_backup,
    fingerprint,
    restore_backup,
)
from pathcraft.people.models import Person
from pathcraft.people.tests.factories import make_person, small_org

# Fixed keys, not generated at import: parametrized test ids contain them, and xdist workers must collect the
# same ids (a random key per worker makes the collection differ and stops the run).
KEY_1, KEY_2, KEY_3 = (base64.urlsafe_b64encode(bytes([n]) * 32).decode() for n in (1, 2, 3))
WORDS = "only-in-the-sealed-field"


def _answers_stored():
    people = small_org()
    colleagues = [
        make_person(people["org"], name, manager=people["lead2"]) for name in ("Ann A", "Ben B", "Cat C")
    ]
    start = len(mail.outbox)
    req = actions.create_request(people["dev"], colleagues, activities=["coding"])
    for n, message in enumerate(mail.outbox[start:]):
        token = message.body.split("/feedback/answer/")[1].split("/")[0]
        actions.submit_answer(token, {"ratings": {"coding": 2 + n}, "texts": {"does_well": f"{WORDS} {n}"}})
    return req


def _answers():
    return sorted((a.sequence, a.ratings["coding"], a.texts["does_well"]) for a in Answer.objects.all())


def _empty_everything():
    for model in reversed(backed_up_models()):
        model._default_manager.all().delete()


@pytest.mark.django_db(transaction=True)
def test_restore_after_the_secret_key_was_rotated(settings):
    settings.SECRET_KEY, settings.BACKUP_KEY = "old-secret-" + "x" * 50, KEY_1
    _answers_stored()
    before, order_key = _answers(), FeedbackRequest.objects.get().order_key
    document = json.loads(json.dumps(export_backup()))
    assert document["sealed_with"] == fingerprint(KEY_1) and KEY_1 not in json.dumps(document)
    assert WORDS not in json.dumps(document)
    _empty_everything()
    settings.SECRET_KEY = "new-secret-" + "y" * 50  # rotated: the old secret is gone
    restore_backup(document)
    assert _answers() == before and FeedbackRequest.objects.get().order_key == order_key


@pytest.mark.django_db(transaction=True)
def test_rotating_the_backup_key_keeps_old_backups_readable(settings):
    settings.BACKUP_KEY = KEY_1
    _answers_stored()
    before = _answers()
    old = json.loads(json.dumps(export_backup()))
    settings.BACKUP_KEY = f"{KEY_2}, {KEY_1}"  # new key first: it seals; the old one still opens
    new = json.loads(json.dumps(export_backup()))
    assert (old["sealed_with"], new["sealed_with"]) == (fingerprint(KEY_1), fingerprint(KEY_2))
    for document in (old, new):
        _empty_everything()
        restore_backup(json.loads(json.dumps(document)))
        assert _answers() == before
    settings.BACKUP_KEY = KEY_2  # the old key dropped: the new backup still opens, the old one does not
    _empty_everything()
    with pytest.raises(InputError, match=f"sealed with backup key {fingerprint(KEY_1)}"):
        restore_backup(json.loads(json.dumps(old)))
    assert Person.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_backups_from_before_the_backup_key_still_restore(settings):
    settings.BACKUP_KEY = ""  # an older installation: sealed with the SECRET_KEY-derived key
    _answers_stored()
    before = _answers()
    legacy = json.loads(json.dumps(export_backup()))
    legacy.pop("sealed_with")  # backups made before this change carry no fingerprint at all
    settings.BACKUP_KEY = KEY_1  # the key is set later; the derived key is the last fallback
    _empty_everything()
    restore_backup(legacy)
    assert _answers() == before
    assert export_backup()["sealed_with"] == fingerprint(KEY_1)  # from now on sealed with the backup key


@pytest.mark.django_db(transaction=True)
def test_a_wrong_key_is_one_clear_line_and_restores_nothing(settings):
    settings.BACKUP_KEY = KEY_1
    _answers_stored()
    document = json.loads(json.dumps(export_backup()))
    _empty_everything()
    settings.BACKUP_KEY, settings.SECRET_KEY = KEY_2, "another-host-" + "z" * 50
    with pytest.raises(InputError) as caught:
        restore_backup(document)
    message = str(caught.value)
    assert "\n" not in message and fingerprint(KEY_1) in message and fingerprint(KEY_2) in message
    assert KEY_1 not in message and KEY_2 not in message and "nothing was restored" in message
    assert all(not m._default_manager.exists() for m in backed_up_models())


@pytest.mark.parametrize(
    "value,expected",
    [
        ("", []),
        (KEY_1, [KEY_1]),
        (f" {KEY_2} ,{KEY_1},", [KEY_2, KEY_1]),
        (f"{KEY_1}\n{KEY_2}", [KEY_1, KEY_2]),
    ],
)
def test_configured_keys(value, expected):
    assert configured_keys(value) == expected


@pytest.mark.parametrize("value,position", [("not-a-key", 1), (f"{KEY_1},{KEY_2[:-4]}", 2), ("x" * 44, 1)])
def test_a_malformed_key_is_named_without_showing_it(value, position):
    with pytest.raises(PathcraftError) as caught:
        configured_keys(value)
    assert f"entry {position} is not a backup key" in str(caught.value) and value not in str(caught.value)


@pytest.mark.parametrize(
    "production,key,expected",
    [(True, "", {"pathcraft.E102"}), (True, KEY_1, set()), (False, "", set()), (False, "bad", {"pathcraft.E101"}),
     (True, "bad", {"pathcraft.E101"})],
)  # fmt: skip
def test_check_says_where_the_backup_key_must_be_kept(settings, production, key, expected):
    settings.PRODUCTION, settings.BACKUP_KEY = production, key
    found = {m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("pathcraft.E10")}
    assert found == expected
    if expected:
        message = next(m for m in run_checks(include_deployment_checks=True) if m.id in expected)
        assert "pathcraft backup-key" in message.hint
    # Without --deploy, the missing key never blocks migrate or serve.
    plain = {m.id for m in run_checks() if m.id == "pathcraft.E102"}
    assert plain == set()


def _cli(*args, env, cwd):
    full_env = {k: v for k, v in {**os.environ, **env}.items() if k not in ("PATHCRAFT_DEBUG",)}
    return subprocess.run([sys.executable, "-m", "pathcraft.cli.main", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=300)  # fmt: skip


def _installation(tmp_path: Path, name: str, secret: str, key: str) -> dict[str, str]:
    folder = tmp_path / name
    folder.mkdir()
    return {"PATHCRAFT_DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", "PATHCRAFT_DATA_DIR": str(folder),
            "PATHCRAFT_SECRET_KEY": secret, "PATHCRAFT_BACKUP_KEY": key}  # fmt: skip


def _sqlite(env, sql):
    path = env["PATHCRAFT_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def test_a_second_installation_restores_with_only_the_backup_key(tmp_path):
    first = _installation(tmp_path, "first", "first-host-secret-" + "a" * 40, KEY_1)
    assert _cli("demo", env=first, cwd=tmp_path).returncode == 0
    backup = tmp_path / "backup.json"
    exported = _cli("export", str(backup), env=first, cwd=tmp_path)
    assert exported.returncode == 0 and f"sealed with backup key {fingerprint(KEY_1)}" in exported.stdout
    assert KEY_1 not in backup.read_text() and KEY_1 not in exported.stdout + exported.stderr
    answers_sql = (
        "SELECT request_id, sequence, ratings, texts FROM feedback_answer ORDER BY request_id, sequence"
    )
    original = _sqlite(first, answers_sql)
    assert len(original) >= 6

    # Another host, another SECRET_KEY, a wrong backup key: one line, nothing restored.
    wrong = _installation(tmp_path, "wrong", "third-host-secret-" + "c" * 40, KEY_2)
    failed = _cli("restore", str(backup), env=wrong, cwd=tmp_path)
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr
    assert (
        f"sealed with backup key {fingerprint(KEY_1)}" in failed.stderr
        and "nothing was restored" in failed.stderr
    )
    assert _sqlite(wrong, "SELECT count(*) FROM people_person") == [(0,)]
    assert _sqlite(wrong, "SELECT count(*) FROM feedback_answer") == [(0,)]

    # The same backup key (rotated behind a newer one) on a host with its own SECRET_KEY: all comes back.
    second = _installation(tmp_path, "second", "second-host-secret-" + "b" * 40, f"{KEY_3},{KEY_1}")
    restored = _cli("restore", str(backup), env=second, cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert _sqlite(second, answers_sql) == original
    assert _cli("backup-key", "--fingerprints", env=second, cwd=tmp_path).stdout.splitlines() == [
        f"1. {fingerprint(KEY_3)}  (seals new backups)",
        f"2. {fingerprint(KEY_1)}",
    ]


def test_backup_key_command_generates_a_usable_key(tmp_path):
    result = _cli("backup-key", env={}, cwd=tmp_path)
    assert result.returncode == 0
    key = result.stdout.strip()
    Fernet(key)  # a valid key, 32 random bytes
    assert f"fingerprint {fingerprint(key)}" in result.stderr and "docs/backup.md" in result.stderr
    assert _cli("backup-key", env={}, cwd=tmp_path).stdout.strip() != key  # new each time
    missing = _cli("backup-key", "--fingerprints", env={"PATHCRAFT_BACKUP_KEY": ""}, cwd=tmp_path)
    assert missing.returncode != 0 and len(missing.stderr.strip().splitlines()) == 1
    assert "PATHCRAFT_BACKUP_KEY is not set" in missing.stderr


def test_export_without_a_backup_key_says_so(tmp_path):
    env = _installation(tmp_path, "plain", "plain-secret-" + "p" * 40, "")
    assert _cli("migrate", env=env, cwd=tmp_path).returncode == 0
    result = _cli("export", str(tmp_path / "b.json"), env=env, cwd=tmp_path)
    assert result.returncode == 0 and "SECRET_KEY-derived key (set PATHCRAFT_BACKUP_KEY" in result.stdout
    assert json.loads((tmp_path / "b.json").read_text())["sealed_with"] == SECRET_KEY_SEAL
