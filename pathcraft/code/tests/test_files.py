"""Which files count: Linguist's rules through enry, .gitattributes overrides, user globs, odd names."""

from __future__ import annotations

import pytest

from pathcraft.code.analysis import AnalysisOptions, analyze_repository
from pathcraft.code.filters import attributes_for, parse_gitattributes
from pathcraft.code.report import analysis_to_dict
from pathcraft.code.tests.gitfactory import RepoBuilder

ALICE = "Alice <alice@example.com>"


def reasons(path, **options) -> tuple[list[str], dict[str, str]]:
    data = analysis_to_dict(analyze_repository(str(path), AnalysisOptions(**options)))
    return [f["path"] for f in data["files"]], {f["path"]: f["reason"] for f in data["files_filtered"]}


def test_vendored_documentation_data_and_generated_are_left_out(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(
        ALICE,
        {
            "src/app.py": "import os\nprint(os.getcwd())\n",
            "vendor/lib.js": "var x = 1;\n",
            "node_modules/pkg/index.js": "module.exports = 1;\n",
            "docs/guide.md": "# Guide\n",
            "README.md": "# Readme\n",
            "config.json": '{"a": 1}\n',
            "package-lock.json": "{}\n",
            "empty.py": "",
            "logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
            "web/app.min.js": "var a=1;" * 2000,
        },
    )
    kept, why = reasons(tmp_path)
    assert kept == ["src/app.py"]
    assert why["vendor/lib.js"] == "vendored"
    assert why["node_modules/pkg/index.js"] == "vendored"
    assert why["docs/guide.md"] == "documentation"
    assert why["README.md"] == "documentation"
    assert why["config.json"] == "data (JSON)"
    assert why["empty.py"] == "empty"
    assert why["logo.png"] in {"binary", "no language detected"}
    assert why["web/app.min.js"] in {"generated", "vendored"}


def test_gitattributes_overrides_linguist(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(
        ALICE,
        {
            ".gitattributes": (
                "src/gen/** linguist-generated\n"
                "vendor/ours.js -linguist-vendored\n"
                "*.tpl linguist-language=HTML\n"
                "settings.json linguist-detectable\n"
                "notes/*.py linguist-documentation=true\n"
            ),
            "src/gen/api.py": "x = 1\n",
            "src/main.py": "y = 2\n",
            "vendor/ours.js": "var ours = 1;\n",
            "vendor/theirs.js": "var theirs = 1;\n",
            "page.tpl": "<p>hi</p>\n",
            "settings.json": '{"a": 1}\n',
            "notes/example.py": "z = 3\n",
        },
    )
    kept, why = reasons(tmp_path)
    assert why["src/gen/api.py"] == "generated"
    assert why["vendor/theirs.js"] == "vendored"
    assert why["notes/example.py"] == "documentation"
    assert set(kept) == {"src/main.py", "vendor/ours.js", "page.tpl", "settings.json"}


def test_nested_gitattributes_and_unset(tmp_path):
    rules = parse_gitattributes("*.py linguist-vendored\n") + parse_gitattributes(
        "keep.py !linguist-vendored\n", "pkg"
    )
    assert attributes_for("pkg/keep.py", rules) == {}
    assert attributes_for("pkg/other.py", rules) == {"linguist-vendored": True}
    assert attributes_for("other/keep.py", rules) == {"linguist-vendored": True}


@pytest.mark.parametrize(
    ("line", "path", "expected"),
    [
        ("*.js linguist-vendored", "a/b/c.js", True),
        ("/top.js linguist-vendored", "a/top.js", None),
        ("/top.js linguist-vendored", "top.js", True),
        ("lib/*.js linguist-vendored", "lib/x/y.js", None),
        ("lib/**/*.js linguist-vendored", "lib/x/y.js", True),
        ("lib/** linguist-vendored=false", "lib/x/y.js", False),
        ("**/fixtures/** linguist-vendored", "a/fixtures/b.rb", True),
        ("x.[ch] linguist-vendored", "src/x.h", True),
    ],
)
def test_gitattributes_patterns(line, path, expected):
    assert attributes_for(path, parse_gitattributes(line)).get("linguist-vendored") == expected


def test_include_and_exclude_globs(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"src/a.py": "a = 1\n", "src/b_test.py": "b = 1\n", "tools/c.py": "c = 1\n"})
    kept, why = reasons(tmp_path, include=("src/*",), exclude=("*_test.py",))
    assert kept == ["src/a.py"]
    assert why["src/b_test.py"] == "excluded by *_test.py"
    assert why["tools/c.py"] == "not matched by --include"


def test_non_utf8_file_name_and_author(tmp_path):
    repo = RepoBuilder(tmp_path)
    raw_name = b"caf\xe9.py"  # Latin-1, not UTF-8
    (tmp_path / raw_name.decode("utf-8", "surrogateescape")).write_bytes(b"x = 1\n")
    repo.git("add", "-A")
    repo.git(
        "commit", "-q", "-m", "latin-1",
        env={"GIT_AUTHOR_NAME": "Jos\udce9", "GIT_AUTHOR_EMAIL": "jose@example.com"},  # raw byte 0xE9
    )  # fmt: skip
    data = analysis_to_dict(analyze_repository(str(tmp_path), AnalysisOptions()))
    assert data["files_analysed"] == 1
    assert data["files"][0]["path"] == "caf\ufffd.py"
    assert data["truck_factor"] == 1
    # git re-encodes or replaces the stray byte; either way the name is printable text.
    assert data["developers"][0]["name"] in {"Jos\u00e9", "Jos\ufffd"}


def test_submodules_are_reported_not_analysed(tmp_path):
    inner = RepoBuilder(tmp_path / "inner")
    inner.commit(ALICE, {"lib.py": "l = 1\n"})
    outer = RepoBuilder(tmp_path / "outer")
    outer.commit(ALICE, {"main.py": "m = 1\n"})
    outer.git(
        "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(tmp_path / "inner"), "deps/inner"
    )
    outer.commit(ALICE)
    kept, why = reasons(tmp_path / "outer")
    assert kept == ["main.py"]
    assert why["deps/inner"] == "submodule"


def test_saved_verdicts_follow_gitattributes_and_globs(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"lib/a.py": "a = 1\n", "src/b.py": "b = 1\n"})
    first = analyze_repository(str(tmp_path), AnalysisOptions(exclude=("src/*",)))
    assert sorted(first.selection.kept) == ["lib/a.py"]
    repo.commit(ALICE, {".gitattributes": "lib/* linguist-vendored\n"})
    again = analyze_repository(str(tmp_path), AnalysisOptions(), state=first.state)
    assert again.incremental is True
    assert sorted(again.selection.kept) == ["src/b.py"]  # the glob is gone, the new attribute applies
    assert again.selection.filtered["lib/a.py"] == "vendored"
