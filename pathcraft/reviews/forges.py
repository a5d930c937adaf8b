"""Review events from the review tools' own exports: GitHub's REST API (pulls, their reviews and review comments,
review requests from the issue timeline) and GitLab's (merge requests, approvals, notes).

The files are what the API returns, saved as they come, e.g. with the GitHub CLI:

    gh api --paginate 'repos/O/R/pulls?state=all'        > DIR/pulls.json
    gh api --paginate repos/O/R/pulls/N/reviews          > DIR/pulls/N/reviews.json
    gh api --paginate repos/O/R/pulls/N/comments         > DIR/pulls/N/comments.json    (optional: paths)
    gh api --paginate repos/O/R/pulls/N/files            > DIR/pulls/N/files.json       (optional: paths)
    gh api --paginate repos/O/R/issues/N/timeline        > DIR/issues/N/timeline.json   (optional: requests)

and for GitLab (`glab api --paginate …` or curl, page by page):

    projects/:id/merge_requests?state=all                > DIR/merge_requests.json
    projects/:id/merge_requests/IID/approvals            > DIR/merge_requests/IID/approvals.json
    projects/:id/merge_requests/IID/notes                > DIR/merge_requests/IID/notes.json

`--paginate` writes one JSON array per page, one after another; a file may hold one array, several, or (with
`--slurp`) an array of arrays. The fields read and where they are documented are listed in
pathcraft/reviews/tests/fixtures/README.md.

What becomes an event:
* GitHub: every submitted review (APPROVED -> approved, CHANGES_REQUESTED -> changes-requested, COMMENTED and
  DISMISSED -> commented; PENDING is not submitted and is left out), at `submitted_at`. Its review comments give the
  paths it touched (or the pull's files, when saved). The reviewer's first review after a `review_requested`
  timeline event for them carries that request's time; without a timeline, the pull's `created_at`.
* GitLab: every approver (approved), at the time of their "approved this merge request" system note (else the
  merge request's `updated_at`); every person who wrote non-system notes (commented, once per merge request, at the
  first note; diff notes give paths). A "requested review from @user" system note gives the request time, else the
  merge request's `created_at`.

Bad input gives one InputError naming the file and the item (and the line, for broken JSON); nothing is returned
half-read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pathcraft.errors import InputError
from pathcraft.reviews.events import Identity, ReviewEvent

GITHUB_STATES = {
    "APPROVED": "approved",
    "CHANGES_REQUESTED": "changes-requested",
    "COMMENTED": "commented",
    "DISMISSED": "commented",  # the review was given, then dismissed: the work was done
}


def load_pages(path: Path) -> list:
    """The items of a JSON file holding one array, several arrays one after another (`--paginate`), or an array of
    arrays (`--slurp`). A single object is returned as it is (e.g. GitLab's approvals)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from exc
    decoder = json.JSONDecoder()
    values = []
    at = 0
    while True:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        if at >= len(text):
            break
        try:
            value, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: line {exc.lineno}: not JSON ({exc.msg})") from exc
        values.append(value)
    if len(values) == 1 and isinstance(values[0], dict):
        return values[0]  # type: ignore[return-value]
    items: list = []
    for value in values:
        if not isinstance(value, list):
            raise InputError(f"{path}: expected JSON arrays (API pages), found a {type(value).__name__}")
        if value and all(isinstance(v, list) for v in value):  # --slurp: an array of pages
            for page in value:
                items.extend(page)
        else:
            items.extend(value)
    return items


def _time(value, where: str) -> datetime:
    if not isinstance(value, str):
        raise InputError(f"{where}: expected an ISO 8601 time, found {value!r}")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"{where}: not an ISO 8601 time: {value!r}") from exc
    if moment.tzinfo is None:
        raise InputError(f"{where}: the time {value!r} has no UTC offset")
    return moment


def _field(item, name: str, where: str, kind: type | tuple[type, ...] = str):
    if not isinstance(item, dict):
        raise InputError(f"{where}: expected a JSON object, found {type(item).__name__}")
    if name not in item:
        raise InputError(f"{where}: no {name!r}")
    value = item[name]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise InputError(f"{where}: {name!r} is {value!r}")
    return value


def _github_user(user, where: str) -> Identity:
    login = _field(user, "login", where)
    return Identity(name=login, login=login)


def _where(path: Path, index: int) -> str:
    return f"{path}: item {index}"


@dataclass
class _Pull:
    number: int
    change_id: str
    author: Identity
    created_at: datetime


def read_github(root: str | Path) -> list[ReviewEvent]:
    """Review events from a folder of GitHub API exports (or its pulls.json)."""
    root = Path(root)
    if root.is_file():
        pulls_file, root = root, root.parent
    else:
        pulls_file = root / "pulls.json"
    if not pulls_file.exists():
        raise InputError(
            f"{pulls_file}: no such file (save `gh api --paginate 'repos/O/R/pulls?state=all'` there)"
        )
    pulls = load_pages(pulls_file)
    if not isinstance(pulls, list):
        raise InputError(f"{pulls_file}: expected a list of pull requests")
    events: list[ReviewEvent] = []
    for index, item in enumerate(pulls):
        where = _where(pulls_file, index)
        number = _field(item, "number", where, int)
        base = _field(item, "base", where, dict)
        repo = _field(base, "repo", f"{where}: base", dict)
        full_name = _field(repo, "full_name", f"{where}: base.repo")
        pull = _Pull(
            number=number,
            change_id=f"{full_name}#{number}",
            author=_github_user(_field(item, "user", where, dict), f"{where}: user"),
            created_at=_time(_field(item, "created_at", where), f"{where}: created_at"),
        )
        events.extend(_github_pull(root, pull))
    return events


def _github_pull(root: Path, pull: _Pull) -> Iterator[ReviewEvent]:
    folder = root / "pulls" / str(pull.number)
    reviews_file = folder / "reviews.json"
    if not reviews_file.exists():
        return
    paths_by_review: dict[int, set[str]] = {}
    comments_file = folder / "comments.json"
    if comments_file.exists():
        for index, comment in enumerate(_list(comments_file)):
            where = _where(comments_file, index)
            path = _field(comment, "path", where)
            review_id = comment.get("pull_request_review_id")
            if isinstance(review_id, int):
                paths_by_review.setdefault(review_id, set()).add(path)
    pull_paths: set[str] = set()
    files_file = folder / "files.json"
    if files_file.exists():
        pull_paths = {_field(f, "filename", _where(files_file, i)) for i, f in enumerate(_list(files_file))}
    requests = _github_requests(root / "issues" / str(pull.number) / "timeline.json")
    answered: set[str] = set()
    rows = []
    for index, review in enumerate(_list(reviews_file)):
        where = _where(reviews_file, index)
        state = _field(review, "state", where)
        if state == "PENDING":
            continue
        kind = GITHUB_STATES.get(state)
        if kind is None:
            raise InputError(f"{where}: unknown review state {state!r}")
        user = review.get("user")
        if user is None:  # a deleted account ("ghost"): nobody to credit
            continue
        reviewer = _github_user(user, f"{where}: user")
        at = _time(_field(review, "submitted_at", where), f"{where}: submitted_at")
        review_id = _field(review, "id", where, int)
        rows.append((at, index, reviewer, kind, paths_by_review.get(review_id, set()) or pull_paths))
    for at, _, reviewer, kind, paths in sorted(rows, key=lambda r: (r[0], r[1])):
        requested = None
        if reviewer.login not in answered:
            answered.add(reviewer.login)
            asked = [t for t in requests.get(reviewer.login, ()) if t <= at]
            requested = max(asked) if asked else (pull.created_at if pull.created_at <= at else None)
        yield ReviewEvent(
            reviewer, pull.author, at, kind, pull.change_id, tuple(sorted(paths)), requested, source="github"
        )


def _list(path: Path) -> list:
    items = load_pages(path)
    if not isinstance(items, list):
        raise InputError(f"{path}: expected a JSON array (an API list)")
    return items


def _github_requests(path: Path) -> dict[str, list[datetime]]:
    """Login -> times their review was requested (the issue timeline's review_requested events)."""
    if not path.exists():
        return {}
    found: dict[str, list[datetime]] = {}
    for index, event in enumerate(_list(path)):
        where = _where(path, index)
        if _field(event, "event", where) != "review_requested":
            continue
        reviewer = event.get("requested_reviewer")
        if reviewer is None:  # a team was asked (requested_team): no one person
            continue
        login = _field(reviewer, "login", f"{where}: requested_reviewer")
        found.setdefault(login, []).append(_time(_field(event, "created_at", where), f"{where}: created_at"))
    return found


def _gitlab_user(user, where: str) -> Identity:
    username = _field(user, "username", where)
    name = user.get("name") if isinstance(user.get("name"), str) else ""
    return Identity(name=name or username, login=username)


def read_gitlab(root: str | Path) -> list[ReviewEvent]:
    """Review events from a folder of GitLab API exports (or its merge_requests.json)."""
    root = Path(root)
    if root.is_file():
        mrs_file, root = root, root.parent
    else:
        mrs_file = root / "merge_requests.json"
    if not mrs_file.exists():
        raise InputError(f"{mrs_file}: no such file (save GET projects/:id/merge_requests?state=all there)")
    events: list[ReviewEvent] = []
    for index, item in enumerate(_list(mrs_file)):
        where = _where(mrs_file, index)
        iid = _field(item, "iid", where, int)
        references = item.get("references") if isinstance(item.get("references"), dict) else {}
        change_id = references.get("full") or f"{_field(item, 'project_id', where, int)}!{iid}"
        author = _gitlab_user(_field(item, "author", where, dict), f"{where}: author")
        created = _time(_field(item, "created_at", where), f"{where}: created_at")
        updated = _time(_field(item, "updated_at", where), f"{where}: updated_at")
        events.extend(_gitlab_mr(root / "merge_requests" / str(iid), change_id, author, created, updated))
    return events


def _gitlab_mr(folder: Path, change_id: str, author: Identity, created: datetime, updated: datetime):
    notes_file = folder / "notes.json"
    approved_at: dict[str, datetime] = {}
    requested: dict[str, datetime] = {}
    commented: dict[str, tuple[datetime, Identity, set[str]]] = {}
    if notes_file.exists():
        for index, note in enumerate(_list(notes_file)):
            where = _where(notes_file, index)
            body = _field(note, "body", where)
            who = _gitlab_user(_field(note, "author", where, dict), f"{where}: author")
            at = _time(_field(note, "created_at", where), f"{where}: created_at")
            if _field(note, "system", where, bool):
                if body.strip() == "approved this merge request":
                    approved_at[who.login] = max(at, approved_at.get(who.login, at))
                elif body.startswith("requested review from "):
                    for handle in (
                        body.removeprefix("requested review from ").replace(" and ", ", ").split(",")
                    ):
                        login = handle.strip().lstrip("@")
                        if login:
                            requested.setdefault(login, at)
                continue
            entry = commented.setdefault(who.login, (at, who, set()))
            if at < entry[0]:
                entry = commented[who.login] = (at, who, entry[2])
            position = note.get("position")
            if isinstance(position, dict) and isinstance(position.get("new_path"), str):
                entry[2].add(position["new_path"])
    rows: list[tuple[datetime, str, Identity, tuple[str, ...]]] = []
    approvals_file = folder / "approvals.json"
    if approvals_file.exists():
        approvals = load_pages(approvals_file)
        if not isinstance(approvals, dict):
            raise InputError(
                f"{approvals_file}: expected one JSON object (the approvals of one merge request)"
            )
        for index, entry in enumerate(_field(approvals, "approved_by", str(approvals_file), list)):
            where = f"{approvals_file}: approved_by item {index}"
            who = _gitlab_user(_field(entry, "user", where, dict), f"{where}: user")
            rows.append((approved_at.get(who.login, updated), "approved", who, ()))
    for at, who, paths in commented.values():
        rows.append((at, "commented", who, tuple(sorted(paths))))
    answered: set[str] = set()
    for at, kind, who, paths in sorted(rows, key=lambda r: (r[0], r[1], r[2].login)):
        asked = None
        if who.login not in answered:
            answered.add(who.login)
            asked = requested.get(who.login, created)
            if asked > at:
                asked = None
        yield ReviewEvent(who, author, at, kind, change_id, paths, asked, source="gitlab")
