"""Numbers from data files with their sources, overridden by the environment: the limits of feeds and remotes."""

from __future__ import annotations

import pytest

from pathcraft.code.defaults import REMOTE_KEYS, remote_defaults
from pathcraft.datafile import whole_numbers
from pathcraft.workload.defaults import FEED_KEYS, feed_defaults


def test_the_shipped_files_give_every_number():
    assert set(feed_defaults({})) == set(FEED_KEYS) and feed_defaults({})["default_interval_minutes"] == 180
    assert (
        set(remote_defaults({})) == set(REMOTE_KEYS) and remote_defaults({})["default_interval_minutes"] == 60
    )


def test_an_environment_variable_replaces_the_value():
    assert feed_defaults({"PATHCRAFT_FEED_TIMEOUT_SECONDS": "45"})["timeout_seconds"] == 45
    assert remote_defaults({"PATHCRAFT_REMOTE_FETCH_TIMEOUT_SECONDS": " 30 "})["fetch_timeout_seconds"] == 30


@pytest.mark.parametrize("bad", ["0", "-5", "ten", "1.5"])
def test_a_bad_override_names_the_variable(bad):
    with pytest.raises(ValueError, match="PATHCRAFT_FEED_MAX_BYTES must be a positive whole number"):
        feed_defaults({"PATHCRAFT_FEED_MAX_BYTES": bad})


@pytest.mark.parametrize(
    ("text", "words"),
    [("limit:\n  value: 3\n", "limit needs a value and a source"),
     ("limit:\n  source: x\n", "limit needs a value and a source"),
     ("limit:\n  value: none\n  source: x\n", "limits.yaml: limit must be a positive whole number")],
)  # fmt: skip
def test_a_broken_data_file_says_which_entry(tmp_path, text, words):
    path = tmp_path / "limits.yaml"
    path.write_text(text)
    with pytest.raises(ValueError, match=words):
        whole_numbers(path, ["limit"], "LIMIT", {})
