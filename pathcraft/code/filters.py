"""Which files count: GitHub Linguist's language-statistics rules (through go-enry), .gitattributes overrides, and
the user's include/exclude globs. Every left-out file gets a reason."""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pathcraft.code.gitrepo import SUBMODULE_MODE, SYMLINK_MODE, Repo, TreeEntry, display_path, read_blobs

# Linguist counts programming and markup languages; data and prose are left out unless marked detectable.
DETECTABLE_TYPES = {"programming", "markup"}
CONTENT_LIMIT = 64 * 1024  # enough for enry's generated-file and language heuristics, which read the head
USER_REASONS = ("excluded by ", "not matched by --include")
BOOLEAN_ATTRS = ("linguist-vendored", "linguist-generated", "linguist-documentation", "linguist-detectable")
CACHE_VERSION = 2  # of FileSelection.cache: verdicts keyed by blob and the path's own Linguist attributes


@dataclass
class FileSelection:
    """Files kept (path -> language) and files left out (path -> reason)."""

    kept: dict[str, str] = field(default_factory=dict)
    filtered: dict[str, str] = field(default_factory=dict)
    # Linguist's verdict per path for the next run: {"attributes": signature, "files": {path: [oid, language, reason]}}
    cache: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AttrRule:
    base: str  # directory of the .gitattributes file ('' for the root)
    regex: re.Pattern
    attrs: tuple[tuple[str, bool | str | None], ...]


def _glob_to_regex(pattern: str) -> str:
    """gitattributes/gitignore glob to regex: * and ? stay within a directory, ** crosses them."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
                i += 1
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end + 1
        elif ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(ch))
            i += 1
    return "".join(out)


def parse_gitattributes(text: str, base: str = "") -> list[AttrRule]:
    """The linguist-* rules of one .gitattributes file found in directory BASE."""
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pattern, *specs = line.split()
        if pattern.startswith("[attr]") or pattern.endswith("/"):
            continue  # macros are not linguist overrides; directory patterns never match files in gitattributes
        attrs: list[tuple[str, bool | str | None]] = []
        for spec in specs:
            if spec.startswith("!"):
                attrs.append((spec[1:], None))
            elif spec.startswith("-"):
                attrs.append((spec[1:], False))
            elif "=" in spec:
                key, value = spec.split("=", 1)
                low = value.lower()
                attrs.append((key, True if low == "true" else False if low == "false" else value))
            else:
                attrs.append((spec, True))
        attrs = [(k, v) for k, v in attrs if k.startswith("linguist-")]
        if not attrs:
            continue
        if "/" in pattern.rstrip("/"):
            regex = _glob_to_regex(pattern.lstrip("/"))
        else:
            regex = "(?:.*/)?" + _glob_to_regex(pattern)
        rules.append(AttrRule(base=base, regex=re.compile(regex + r"\Z", re.DOTALL), attrs=tuple(attrs)))
    return rules


def attributes_for(path: str, rules: list[AttrRule]) -> dict[str, bool | str | None]:
    """Linguist attributes of PATH: later lines and deeper files win (rules must be ordered root first)."""
    found: dict[str, bool | str | None] = {}
    for rule in rules:
        if rule.base:
            if not path.startswith(rule.base + "/"):
                continue
            relative = path[len(rule.base) + 1 :]
        else:
            relative = path
        if rule.regex.match(relative):
            for key, value in rule.attrs:
                if value is None:
                    found.pop(key, None)
                else:
                    found[key] = value
    return found


def _matches(path: str, patterns: Iterable[str]) -> str | None:
    for pattern in patterns:
        if fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(posixpath.basename(path), pattern):
            return pattern
        if pattern.endswith("/") and path.startswith(pattern):
            return pattern
    return None


def select_files(
    repo: Repo,
    entries: list[TreeEntry],
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    progress: Callable[[int], None] | None = None,
    cache: dict | None = None,
) -> FileSelection:
    """Apply the user's globs, .gitattributes and Linguist's rules (vendored, documentation, generated, language)."""
    import enry  # a compiled library: load it only when an analysis runs, so `pathcraft --help` stays fast

    include, exclude = list(include), list(exclude)
    selection = FileSelection()
    attr_files = sorted(
        (e for e in entries if posixpath.basename(e.path) == ".gitattributes" and e.mode != SUBMODULE_MODE),
        key=lambda e: (e.path.count("/"), e.path),
    )
    # A verdict depends on the path, the blob and the Linguist attributes that apply to that path: reuse it while
    # all three are unchanged, so editing one .gitattributes line reclassifies only the paths it touches.
    cached = (cache or {}).get("files", {}) if (cache or {}).get("version") == CACHE_VERSION else {}
    selection.cache = {"version": CACHE_VERSION, "files": {}}
    verdicts = selection.cache["files"]
    rules: list[AttrRule] = []
    for entry, content in zip(
        attr_files, (c for _, c in read_blobs(repo, [e.oid for e in attr_files], 1 << 20)), strict=True
    ):
        rules.extend(parse_gitattributes(content.decode("utf-8", "replace"), posixpath.dirname(entry.path)))
    need_content: list[tuple[TreeEntry, dict]] = []
    # User globs are applied before the cache and may change between runs: only Linguist's verdicts are cached.
    oids = {e.path: e.oid for e in entries}
    attrs_keys: dict[str, str] = {}
    for entry in entries:
        path = entry.path
        if entry.mode == SUBMODULE_MODE:
            selection.filtered[path] = "submodule"
            continue
        if entry.mode == SYMLINK_MODE:
            selection.filtered[path] = "symlink"
            continue
        hit = _matches(path, exclude)
        if hit:
            selection.filtered[path] = f"excluded by {hit}"
            continue
        if include and not _matches(path, include):
            selection.filtered[path] = "not matched by --include"
            continue
        attrs = attributes_for(path, rules) if rules else {}
        attrs_key = _attrs_key(attrs)
        attrs_keys[path] = attrs_key
        known = cached.get(path)
        if known is not None and known[0] == entry.oid and known[3] == attrs_key:
            verdicts[path] = known
            if known[1] is not None:
                selection.kept[path] = known[1]
            else:
                selection.filtered[path] = known[2]
            continue
        shown = display_path(path)
        vendored = attrs.get("linguist-vendored")
        if vendored is True or (vendored is None and enry.is_vendor(shown)):
            selection.filtered[path] = "vendored"
            continue
        documentation = attrs.get("linguist-documentation")
        if documentation is True or (documentation is None and enry.is_documentation(shown)):
            selection.filtered[path] = "documentation"
            continue
        if entry.size == 0:
            selection.filtered[path] = "empty"
            continue
        # Without content: a safe extension or filename whose language Linguist never counts is out already.
        if "linguist-language" not in attrs and attrs.get("linguist-detectable") is not True:
            guess = enry.get_language_by_filename(shown)
            if not guess.language:
                guess = enry.get_language_by_extension(shown)
            if guess.safe and guess.language:
                kind = enry.get_language_type(guess.language)
                if kind and kind not in DETECTABLE_TYPES:
                    selection.filtered[path] = f"{kind} ({guess.language})"
                    continue
        need_content.append((entry, attrs))
    blobs = read_blobs(repo, [e.oid for e, _ in need_content], CONTENT_LIMIT)
    for count, ((entry, attrs), (_, content)) in enumerate(zip(need_content, blobs, strict=True), start=1):
        if progress is not None and count % 2000 == 0:
            progress(count)
        path, shown = entry.path, display_path(entry.path)
        if enry.is_binary(content[:8000]):
            selection.filtered[path] = "binary"
            continue
        generated = attrs.get("linguist-generated")
        if generated is True or (generated is None and enry.is_generated(shown, content)):
            selection.filtered[path] = "generated"
            continue
        language = attrs.get("linguist-language")
        if not isinstance(language, str):
            language = enry.get_language(shown, content)
        if not language:
            selection.filtered[path] = "no language detected"
            continue
        detectable = attrs.get("linguist-detectable")
        kind = enry.get_language_type(language)
        if detectable is False or (detectable is None and kind not in DETECTABLE_TYPES):
            selection.filtered[path] = (
                f"{kind or 'unknown type'} ({language})" if detectable is None else "not detectable"
            )
            continue
        selection.kept[path] = language
    for path, reason in selection.filtered.items():
        if path not in verdicts and not reason.startswith(USER_REASONS):
            verdicts[path] = [oids[path], None, reason, attrs_keys.get(path, "")]
    for path, language in selection.kept.items():
        if path not in verdicts:
            verdicts[path] = [oids[path], language, None, attrs_keys.get(path, "")]
    return selection


def _attrs_key(attrs: dict[str, bool | str | None]) -> str:
    """The Linguist attributes of a path as a short, stable string ("" for none, the usual case)."""
    return ";".join(f"{key}={value}" for key, value in sorted(attrs.items())) if attrs else ""
