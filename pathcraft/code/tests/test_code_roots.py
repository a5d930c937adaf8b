"""PATHCRAFT_CODE_ROOTS (settings.CODE_REPOSITORY_ROOTS): registration stays inside the configured folders, even
through a symlink or "..", and saves nothing when refused; unset, any readable path is accepted."""

from __future__ import annotations

import os

import pytest

from pathcraft.code import actions
from pathcraft.code.models import Repository
from pathcraft.code.tests.scenarios import many_commits, org_with_lead
from pathcraft.errors import InputError

pytestmark = pytest.mark.django_db


@pytest.fixture
def layout(tmp_path):
    (tmp_path / "allowed").mkdir()
    many_commits(tmp_path / "outside.git", 3)
    many_commits(tmp_path / "allowed" / "inside.git", 3)
    os.symlink(tmp_path / "outside.git", tmp_path / "allowed" / "link.git")
    return tmp_path


@pytest.mark.parametrize(
    ("relative", "allowed"),
    [
        ("allowed/inside.git", True),
        ("outside.git", False),
        ("allowed/link.git", False),  # a link inside the root that leads out of it
        ("allowed/../outside.git", False),
    ],
)
def test_only_paths_inside_the_roots_register(layout, settings, relative, allowed):
    settings.CODE_REPOSITORY_ROOTS = [str(layout / "allowed")]
    team = org_with_lead()["team"]
    path = f"{layout}/{relative}"
    if allowed:
        assert actions.register_repository(team, "r", path).path == os.path.normpath(path)
    else:
        with pytest.raises(InputError, match="outside the folders this server reads repositories from"):
            actions.register_repository(team, "r", path)
        assert not Repository.objects.exists()


def test_unset_accepts_any_readable_path(layout, settings):
    settings.CODE_REPOSITORY_ROOTS = []
    team = org_with_lead()["team"]
    assert actions.register_repository(team, "r", str(layout / "allowed" / "link.git")).pk
