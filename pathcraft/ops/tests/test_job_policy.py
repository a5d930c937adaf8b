"""The lease and retry rules (job_policy): the data file, its environment overrides, the decisions, the errors."""

from __future__ import annotations

import pytest

from pathcraft.ops.job_policy import DATA_FILE, PolicyError, default_policy, load_policy, one_line_error

TEXT = DATA_FILE.read_text(encoding="utf-8")


def test_the_data_file_gives_each_number_with_its_reason():
    policy = load_policy(TEXT, {})
    assert (policy.lease_seconds, policy.max_attempts, policy.retry_delay_seconds) == (60, 3, 30)
    assert policy.stalled_after_seconds == 300 and policy.renew_every == 15
    assert default_policy() == load_policy(TEXT, {k: v for k, v in __import__("os").environ.items()})


def test_the_environment_overrides_the_data_file():
    policy = load_policy(TEXT, {"PATHCRAFT_JOB_LEASE_SECONDS": "2", "PATHCRAFT_JOB_MAX_ATTEMPTS": " 5 "})
    assert (policy.lease_seconds, policy.max_attempts, policy.renew_every) == (2, 5, 0.5)
    assert load_policy(TEXT, {"PATHCRAFT_JOB_LEASE_SECONDS": ""}).lease_seconds == 60, "empty means unset"


@pytest.mark.parametrize(
    ("environ", "text", "message"),
    [
        ({"PATHCRAFT_JOB_LEASE_SECONDS": "soon"}, TEXT, "environment variable PATHCRAFT_JOB_LEASE_SECONDS: "
         "lease_seconds must be a number, not 'soon'"),
        ({"PATHCRAFT_JOB_LEASE_SECONDS": "0"}, TEXT, "lease_seconds must be a positive number"),
        ({"PATHCRAFT_JOB_RETRY_DELAY_SECONDS": "-1"}, TEXT, "retry_delay_seconds must be a positive number"),
        ({"PATHCRAFT_JOB_LEASE_SECONDS": "nan"}, TEXT, "lease_seconds must be a positive number"),
        ({"PATHCRAFT_JOB_MAX_ATTEMPTS": "2.5"}, TEXT, "max_attempts must be a whole number"),
        ({}, TEXT.replace("  value: 60\n", ""), "lease_seconds needs a value, an env and a reason"),
        ({}, "lease_seconds: [", "not valid YAML"),
        ({}, "", "lease_seconds needs a value"),
        ({}, TEXT.replace("value: 3\n", "value: true\n"), "max_attempts must be a positive number, not True"),
    ],
)  # fmt: skip
def test_a_broken_number_is_one_clear_error(environ, text, message):
    with pytest.raises(PolicyError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_policy(text, environ)


@pytest.mark.parametrize(
    ("attempts", "permanent", "decision"),
    [(1, False, "retry"), (2, False, "retry"), (3, False, "park"), (4, False, "park"), (1, True, "park")],
)
def test_after_a_failure_retry_until_the_last_attempt_and_park_bad_input_at_once(
    attempts, permanent, decision
):
    assert load_policy(TEXT, {}).after_failure(attempts, permanent) == decision


def test_the_retry_delay_grows_with_each_attempt():
    policy = load_policy(TEXT, {})
    assert [policy.retry_delay(n) for n in (1, 2, 3)] == [30, 60, 90]


@pytest.mark.parametrize(
    ("traceback", "shown"),
    [
        ("Traceback (most recent call last):\n  File x\nValueError: bad value\n", "ValueError: bad value"),
        ("OSError: GET https://cal.example/u/7f3a/feed.ics?token=abc failed", "OSError: GET <url> failed"),
        ("AuthError: password=hunter2 rejected", "AuthError: password=<hidden> rejected"),
        ("KeyError: token abc123", "KeyError: token <hidden>"),
        ("", "unknown error"),
        ("E: " + "x" * 400, "E: " + "x" * 296 + "…"),
    ],
)
def test_an_error_is_one_line_without_urls_or_secrets(traceback, shown):
    assert one_line_error(traceback) == shown
