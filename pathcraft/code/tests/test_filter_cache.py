"""The file filters' cache: a verdict is reused while the blob and the path's own Linguist attributes are
unchanged, so one edited .gitattributes line reclassifies only the paths it reaches."""

from __future__ import annotations

import pytest

from pathcraft.code.filters import CACHE_VERSION, select_files
from pathcraft.code.gitrepo import list_tree, open_repo, resolve_commit
from pathcraft.code.tests.gitfactory import RepoBuilder

ALICE = "Alice <alice@example.com>"
START = {
    ".gitattributes": "*.tpl linguist-language=HTML\n",
    "src/app.py": "x = 1\n",
    "src/util.py": "y = 2\n",
    "lib/ours.js": "var ours = 1;\n",
    "page.tpl": "<p>hi</p>\n",
}


def selection(path, cache=None):
    repo = open_repo(str(path))
    entries = list(list_tree(repo, resolve_commit(repo, None, None), sizes=False))
    return select_files(repo, entries, cache=cache)


def outcome(sel) -> tuple[dict, dict]:
    return dict(sel.kept), dict(sel.filtered)


@pytest.mark.parametrize(
    ("change", "reclassified"),
    [
        ({".gitattributes": "*.tpl linguist-language=HTML\nlib/** linguist-vendored\n"}, {"lib/ours.js"}),
        ({".gitattributes": ""}, {"page.tpl"}),  # the override removed: only page.tpl's attributes changed
        ({"src/app.py": "x = 2\n"}, {"src/app.py"}),  # a new blob
        ({"src/.gitattributes": "util.py linguist-generated\n"}, {"src/util.py"}),  # a deeper file
        ({"docs/guide.py": "z = 1\n"}, {"docs/guide.py"}),  # a new path
    ],
)
def test_cached_verdicts_are_reused_only_where_nothing_they_depend_on_changed(tmp_path, change, reclassified):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, START)
    first = selection(tmp_path)
    assert first.cache["version"] == CACHE_VERSION
    # Mark every cached verdict, keeping its blob and attributes: a reused verdict keeps the mark.
    marked = {"version": CACHE_VERSION, "files": {}}
    for path, (oid, language, reason, attrs) in first.cache["files"].items():
        marked["files"][path] = [oid, "Marked" if language else None, reason and "marked", attrs]
    repo.commit(ALICE, change)
    again = selection(tmp_path, cache=marked)
    reused = {p for p, lang in again.kept.items() if lang == "Marked"} | {
        p for p, why in again.filtered.items() if why == "marked"
    }
    assert reused == set(first.cache["files"]) - reclassified - set(change)  # changed files have new blobs
    # And with an honest cache the result is exactly what a cold run gives.
    assert outcome(selection(tmp_path, cache=first.cache)) == outcome(selection(tmp_path))


def test_a_cache_of_another_version_is_ignored(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, START)
    first = selection(tmp_path)
    old = {"attributes": "", "files": {p: [v[0], "Marked", None] for p, v in first.cache["files"].items()}}
    again = selection(tmp_path, cache=old)
    assert "Marked" not in again.kept.values()
    assert outcome(again) == outcome(first)
