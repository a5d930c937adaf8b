"""Read a framework file in any supported format: ours, Financial Times YAML, Monzo Markdown."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from pathcraft.errors import InputError
from pathcraft.paths.frameworks import ft, monzo
from pathcraft.paths.frameworks.located import parse_yaml
from pathcraft.paths.frameworks.model import Framework
from pathcraft.paths.frameworks.validation import check_framework
from pathcraft.paths.frameworks.yaml_format import FORMAT_KEY, parse_pathcraft

FORMATS = ("auto", "pathcraft", "ft", "monzo")


def detect_format(path: Path, text: str) -> str:
    """'pathcraft', 'ft' or 'monzo' from the file's content (and name); InputError if none fits."""
    if path.suffix.lower() in (".md", ".markdown") or monzo.looks_like_monzo(text):
        return "monzo"
    located = parse_yaml(text, str(path))
    if isinstance(located.data, dict) and FORMAT_KEY in located.data:
        return "pathcraft"
    if ft.looks_like_ft(located.data):
        return "ft"
    raise InputError(
        f"{path}:1: not a framework pathcraft can read: expected our format (a `{FORMAT_KEY}:` key), "
        "a Financial Times job family (levels, themes, competencies) or a Monzo Markdown page; "
        "use --format to say which"
    )


def read_framework(
    path: str | Path, format: str = "auto", generic: str | Path | None = None
) -> tuple[Framework, list[str]]:
    """The framework in a file and warnings about what was repaired; problems raise InputError."""
    path = Path(path)
    if format not in FORMATS:
        raise InputError(f"unknown format {format!r} (choose from {', '.join(FORMATS)})")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if format == "auto":
        format = detect_format(path, text)
    warnings: list[str] = []
    if format == "pathcraft":
        framework = parse_pathcraft(text, str(path))
    elif format == "ft":
        framework = ft.parse_ft(text, str(path))
    else:
        framework, warnings = monzo.load_monzo(path, Path(generic) if generic else None)
    if format != "pathcraft":  # our own format was checked with line numbers already
        problems = check_framework(framework, lambda _path: str(path))
        if problems:
            raise InputError(f"{path}: {len(problems)} problems after import", problems)
    return framework, warnings


def load_framework(path: str | Path, format: str = "auto", generic: str | Path | None = None) -> Framework:
    """The framework in a file of any supported format (see read_framework for warnings)."""
    return read_framework(path, format, generic)[0]


def default_framework_path() -> Path:
    return Path(str(resources.files("pathcraft.paths.frameworks.default").joinpath("pathcraft.yaml")))


@cache
def _default_text() -> str:
    return default_framework_path().read_text(encoding="utf-8")


def default_framework() -> Framework:
    """pathcraft's own multi-track framework (default/pathcraft.yaml), a fresh copy each call."""
    return parse_pathcraft(_default_text(), "pathcraft/paths/frameworks/default/pathcraft.yaml")
