"""Exact agreement with git's own counts on git/git: for every person, the engine's Reviewed-by, Acked-by and
Helped-by counts equal `git shortlog -ns/-nse --group=trailer:KEY` over a pinned range.

git applies .mailmap to every trailer that parses as "Name <email>" and counts a value once per commit; so does the
engine. Before identity merging the engine's counts per mailmapped "Name <email>" must equal `shortlog -nse`, and per
mailmapped name `shortlog -ns`, person by person. After merging (one developer per person: identities sharing an
email or a name, the code engine's rule), a developer's count is the sum of their `shortlog -nse` rows less the
commits that list them twice under two identities (one review, not two), which the test counts and reports.

The mirror is found through PATHCRAFT_GIT_MIRRORS (or /work/.mirror, see pathcraft/testing/mirrors.py); the test is
skipped, saying so, only when there is no mirror of git/git.
"""

from __future__ import annotations

import subprocess
from collections import Counter

import pytest

from pathcraft.code.identities import parse_mailmap
from pathcraft.reviews.load import resolve_reviewers, reviews_by_developer
from pathcraft.reviews.trailers import read_git_reviews
from pathcraft.testing.mirrors import find_mirror, where_looked

pytestmark = pytest.mark.mirrors

# v2.40.0 .. the mirror's head when this test was written: 12,420 commits of git.git's history.
START = "73876f4861cd3d187a4682290ab75c9dccadbc56"  # v2.40.0
END = "1a3e64c6c4a623626ff0687008732a8e007e2a1c"  # master, 2026-08-20
RANGE_COMMITS = 12420
KEYS = ["reviewed-by", "acked-by", "helped-by"]


@pytest.fixture(scope="module")
def git_git():
    mirror = find_mirror("git/git")
    if mirror is None:
        pytest.skip(f"no mirror of git/git ({where_looked()}): fetch it to compare with git shortlog")
    have = subprocess.run(
        ["git", "--git-dir", str(mirror), "cat-file", "-e", f"{END}^{{commit}}"], check=False
    )
    assert have.returncode == 0, f"the mirror at {mirror} lacks the pinned commit {END}: fetch it again"
    return str(mirror)


@pytest.fixture(scope="module")
def reviews(git_git):
    found = read_git_reviews(git_git, ref=END, last_seen=START, merges="none")
    assert found.incremental and found.commits == RANGE_COMMITS
    return found


def shortlog(mirror: str, key: str, email: bool) -> Counter:
    done = subprocess.run(
        ["git", "--git-dir", mirror, "-c", f"mailmap.blob={END}:.mailmap", "shortlog", "-ns" + ("e" if email else ""),
         f"--group=trailer:{key}", f"{START}..{END}"],
        capture_output=True, check=True,
    )  # fmt: skip
    counts = Counter()
    for line in done.stdout.decode("utf-8", "surrogateescape").splitlines():
        count, _, who = line.strip().partition("\t")
        counts[who] = int(count)
    return counts


def engine_rows(reviews, key: str, email: bool) -> Counter:
    """The engine's events of KEY as shortlog keys them: the mailmapped 'Name <email>' (or name), once a commit."""
    mailmap = parse_mailmap(reviews.mailmap)
    seen = set()
    for event in reviews.events:
        if event.kind != key:
            continue
        who = event.reviewer
        if who.email:
            name, mail = mailmap.map(who.name, who.email)
            label = f"{name} <{mail}>" if email else name
        else:  # no "<…>": git keeps the value as it is
            label = who.name
        seen.add((event.change_id, label))
    return Counter(label for _, label in seen)


@pytest.mark.parametrize("email", [True, False], ids=["nse", "ns"])
@pytest.mark.parametrize("key", KEYS)
def test_counts_per_identity_equal_git_shortlog(git_git, reviews, key, email):
    ours = engine_rows(reviews, key, email)
    theirs = shortlog(git_git, key, email)
    assert sum(theirs.values()) > 100  # the range does hold such trailers
    differ = {
        who: (ours.get(who), theirs.get(who))
        for who in ours.keys() | theirs.keys()
        if ours[who] != theirs[who]
    }
    assert differ == {}


@pytest.mark.parametrize("key", KEYS)
def test_counts_per_developer_after_merging(git_git, reviews, key):
    reviewers = resolve_reviewers(reviews.events, reviews.mailmap, bot_patterns=())
    mailmap = parse_mailmap(reviews.mailmap)
    developer_of_row = {}
    listed: Counter = Counter()  # (commit, developer) -> identities listing them in that commit
    for event in reviews.events:
        if event.kind != key:
            continue
        who = event.reviewer
        dev = reviewers.developer(who)
        if who.email:
            name, mail = mailmap.map(who.name, who.email)
            row = f"{name} <{mail}>"
        else:
            row = who.name
        developer_of_row[row] = dev
        listed[(event.change_id, dev, row)] = 1
    twice = Counter()
    per_commit = Counter((change, dev) for change, dev, _ in listed)
    for (_change, dev), n in per_commit.items():
        twice[dev] += n - 1
    summed = Counter()
    for row, count in shortlog(git_git, key, True).items():
        summed[developer_of_row[row]] += count
    ours = {
        dev: len(changes)
        for dev, changes in reviews_by_developer(reviews.events, reviewers, [key], False).items()
    }
    assert ours == {dev: summed[dev] - twice[dev] for dev in summed}
    print(f"{key}: {sum(twice.values())} commit(s) list one developer under two identities")
