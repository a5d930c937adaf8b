"""Backup round trip: export, empty the installation, restore, export again: nothing lost."""

from __future__ import annotations

import copy
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection

from pathcraft.api.models import ApiToken
from pathcraft.demo.load import load_demo
from pathcraft.errors import InputError, PathcraftError
from pathcraft.ops.backup import (
    _unseal,
    backed_up_models,
    export_backup,
    read_backup,
    restore_backup,
    write_backup,
)
from pathcraft.people.actions import create_invitation
from pathcraft.people.models import Person
from pathcraft.people.permissions import set_share
from pathcraft.people.policy import Kind, Relation

pytestmark = pytest.mark.django_db(transaction=True)


def _empty_everything():
    for model in reversed(backed_up_models()):
        model._default_manager.all().delete()


def _comparable(document):
    """Records as sorted JSON lines, sealed fields opened (sealing uses a random IV, so ciphertexts differ)."""
    return sorted(
        json.dumps(_unseal(apps.get_model(o["model"]), copy.deepcopy(o)), sort_keys=True)
        for o in document["objects"]
    )


def test_round_trip_loses_nothing(tmp_path):
    load_demo()
    person = Person.objects.get(email="jae.abebe@demo.pathcraft.test")
    set_share(person, Kind.CAREER, Relation.MANAGER, True)
    create_invitation(Person.objects.filter(user__isnull=True).first())
    ApiToken.issue(person.user, "ci")
    before = export_backup()
    assert before["counts"]["people.person"] == Person.objects.count() >= 55
    path = tmp_path / "backup.json"
    write_backup(path)

    _empty_everything()
    assert Person.objects.count() == 0
    restore_backup(read_backup(path))
    after = export_backup()
    assert after["counts"] == before["counts"]
    assert _comparable(after) == _comparable(before)
    # Restored accounts still log in, and new rows get fresh ids (sequences were reset).
    assert (
        get_user_model()
        .objects.get(username="sam.rivera@demo.pathcraft.test")
        .check_password("pathcraft-demo")
    )
    from pathcraft.people.tests.factories import make_org

    assert make_org("after-restore").pk is not None
    with connection.cursor():
        pass


def test_restore_refuses_a_non_empty_installation(tmp_path):
    load_demo()
    path = tmp_path / "b.json"
    write_backup(path)
    with pytest.raises(PathcraftError, match="restore needs an empty installation"):
        restore_backup(read_backup(path))


@pytest.mark.parametrize(
    "content,message",
    [("not json", "not JSON"), ('{"format": "other"}', "not a pathcraft backup"),
     ('{"format": "pathcraft-backup", "version": 99}', "version 99 is not supported")],
)  # fmt: skip
def test_unreadable_backups_are_refused(tmp_path, content, message):
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        read_backup(path)


def test_broken_backup_restores_nothing(tmp_path):
    load_demo()
    document = export_backup()
    _empty_everything()
    person_rows = [o for o in document["objects"] if o["model"] == "people.person"]
    person_rows[-1]["fields"]["organisation"] = 999999  # points nowhere
    with pytest.raises(InputError, match="backup could not be loaded"):
        restore_backup(document)
    assert Person.objects.count() == 0 and get_user_model().objects.count() == 0


def test_times_keep_their_microseconds(tmp_path):
    import datetime as dt

    load_demo()
    person = Person.objects.get(email="jae.abebe@demo.pathcraft.test")
    set_share(person, Kind.CAREER, Relation.MANAGER, True)
    exact = dt.datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=dt.UTC)
    person.shares.filter(kind="career", relation="manager").update(created_at=exact)
    path = tmp_path / "b.json"
    write_backup(path)
    _empty_everything()
    restore_backup(read_backup(path))
    assert (
        Person.objects.get(email=person.email).shares.get(kind="career", relation="manager").created_at
        == exact
    )
