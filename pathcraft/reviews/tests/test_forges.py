"""GitHub and GitLab imports on exports shaped as their REST documentation shows (see fixtures/README.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pathcraft.errors import InputError
from pathcraft.reviews.forges import load_pages, read_github, read_gitlab
from pathcraft.reviews.load import resolve_reviewers, review_counts, weekly_load

FIXTURES = Path(__file__).parent / "fixtures"


def rows(events):
    return [
        (
            e.reviewer.login,
            e.kind,
            e.change_id,
            e.at.isoformat(),
            None if e.turnaround_seconds is None else e.turnaround_seconds / 3600,
            e.paths,
        )
        for e in events
    ]


def test_github_export_by_hand():
    events = read_github(FIXTURES / "github")
    assert rows(events) == [
        ("hubot", "approved", "octo-org/hello-world#13", "2024-01-10T09:30:00+00:00", 1.5, ("lib/util.py",)),
        ("dependabot[bot]", "commented", "octo-org/hello-world#13", "2024-01-10T09:31:00+00:00", 1.5 + 1 / 60,
         ("lib/util.py",)),
        ("hubot", "commented", "octo-org/hello-world#12", "2024-01-08T13:05:00+00:00", 4.0, ("src/app.py",)),
        ("octocat", "commented", "octo-org/hello-world#12", "2024-01-08T14:00:00+00:00", 5.0, ()),
        ("monalisa", "changes-requested", "octo-org/hello-world#12", "2024-01-08T22:30:00+00:00", 12.5,
         ("docs/readme.md",)),
        ("hubot", "approved", "octo-org/hello-world#12", "2024-01-09T08:00:00+00:00", None, ()),
    ]  # fmt: skip
    assert {e.source for e in events} == {"github"}
    assert {e.author.login for e in events if e.change_id.endswith("#12")} == {"octocat"}


def test_github_counts_leave_out_self_reviews_and_bots():
    events = read_github(FIXTURES / "github")
    reviewers = resolve_reviewers(events)
    assert review_counts(events, reviewers) == {"name:hubot": 2, "name:monalisa": 1}


def test_github_week_turnaround_and_out_of_hours():
    events = read_github(FIXTURES / "github")
    weeks = {(w.person, w.week): w for w in weekly_load(events, resolve_reviewers(events))}
    hubot = weeks[("name:hubot", "2024-W02")]
    # Two pulls reviewed; turnaround of the first review of each: 4 h and 1.5 h.
    assert (hubot.given, hubot.people_reviewed, hubot.turnaround_hours_median) == (2, 2, 2.75)
    mona = weeks[("name:monalisa", "2024-W02")]
    # 22:30 UTC is outside the default office hours; her pull #13 was reviewed by hubot (the bot does not count).
    assert (mona.given, mona.out_of_hours, mona.received) == (1, 1, 1)
    assert weeks[("name:octocat", "2024-W02")].received == 1  # his own comment is no review


def test_gitlab_export_by_hand():
    events = read_gitlab(FIXTURES / "gitlab")
    assert [(e.reviewer.name, *row) for e, row in zip(events, rows(events), strict=True)] == [
        ("Alice Smith", "asmith", "commented", "group/project!45", "2024-02-05T11:10:00+00:00", 2.0,
         ("app/models/user.rb",)),
        ("John Doe", "jdoe", "commented", "group/project!45", "2024-02-05T12:00:00+00:00", 3.0, ()),
        ("Alice Smith", "asmith", "approved", "group/project!45", "2024-02-05T15:10:00+00:00", None, ()),
        ("Bob Jones", "bjones", "commented", "group/project!45", "2024-02-06T07:00:00+00:00", 21 + 50 / 60, ()),
        ("Bob Jones", "bjones", "approved", "group/project!45", "2024-02-06T12:00:00+00:00", None, ()),
    ]  # fmt: skip
    reviewers = resolve_reviewers(events)
    assert review_counts(events, reviewers) == {"name:alice smith": 1, "name:bob jones": 1}


@pytest.mark.parametrize("layout", ["pages", "slurp", "one-array"])
def test_paginated_files_in_every_layout_read_alike(tmp_path, layout):
    target = tmp_path / "github"
    shutil.copytree(FIXTURES / "github", target)
    pulls = load_pages(target / "pulls.json")
    if layout == "slurp":
        (target / "pulls.json").write_text(json.dumps([pulls[:1], pulls[1:]]))
    elif layout == "one-array":
        (target / "pulls.json").write_text(json.dumps(pulls))
    assert rows(read_github(target)) == rows(read_github(FIXTURES / "github"))
    assert rows(read_github(target / "pulls.json")) == rows(read_github(FIXTURES / "github"))


def _broken(tmp_path, source: str, relative: str, change) -> Path:
    target = tmp_path / source
    shutil.copytree(FIXTURES / source, target)
    path = target / relative
    data = load_pages(path)
    change(data)
    path.write_text(json.dumps(data, indent=2))
    return target


def _drop(key, index=0):
    def change(items):
        del items[index][key]

    return change


def _set(key, value, index=0):
    def change(items):
        items[index][key] = value

    return change


@pytest.mark.parametrize(
    ("source", "relative", "change", "message"),
    [
        ("github", "pulls.json", _drop("number", 1), r"pulls\.json: item 1: no 'number'"),
        ("github", "pulls/12/reviews.json", _set("submitted_at", "yesterday", 2),
         r"reviews\.json: item 2: submitted_at: not an ISO 8601 time"),
        ("github", "pulls/12/reviews.json", _set("state", "LIKED"), r"reviews\.json: item 0: unknown review state"),
        ("github", "pulls/12/reviews.json", _set("submitted_at", "2024-01-08T13:05:00"),
         r"item 0: submitted_at: the time .* has no UTC offset"),
        ("github", "pulls/12/comments.json", _drop("path", 1), r"comments\.json: item 1: no 'path'"),
        ("github", "issues/12/timeline.json", _set("requested_reviewer", {"id": 1}, 1),
         r"timeline\.json: item 1: requested_reviewer: no 'login'"),
        ("gitlab", "merge_requests.json", _set("author", "jdoe"), r"merge_requests\.json: item 0: 'author' is 'jdoe'"),
        ("gitlab", "merge_requests/45/notes.json", _set("system", "no", 3), r"notes\.json: item 3: 'system' is 'no'"),
    ],
    ids=["pull-number", "review-time", "review-state", "naive-time", "comment-path", "timeline-login",
         "mr-author", "note-system"],
)  # fmt: skip
def test_bad_input_names_file_and_item(tmp_path, source, relative, change, message):
    root = _broken(tmp_path, source, relative, change)
    read = read_github if source == "github" else read_gitlab
    with pytest.raises(InputError, match=message):
        read(root)


def test_broken_json_names_file_and_line(tmp_path):
    target = tmp_path / "github"
    shutil.copytree(FIXTURES / "github", target)
    (target / "pulls/12/reviews.json").write_text('[\n  {"id": 80,\n   "state": }\n]\n')
    with pytest.raises(InputError, match=r"reviews\.json: line 3: not JSON"):
        read_github(target)


def test_missing_export_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match=r"pulls\.json: no such file"):
        read_github(tmp_path)
    with pytest.raises(InputError, match=r"merge_requests\.json: no such file"):
        read_gitlab(tmp_path)


def test_approvals_must_be_one_object(tmp_path):
    target = tmp_path / "gitlab"
    shutil.copytree(FIXTURES / "gitlab", target)
    (target / "merge_requests/45/approvals.json").write_text("[]")
    with pytest.raises(InputError, match=r"approvals\.json: expected one JSON object"):
        read_gitlab(target)
