"""How commands print JSON: indented for a person at a terminal, compact for a pipe or a file.

Compact output is several times faster to write for large reports (a code analysis of git/git is 3 MB), and
tools such as jq read either.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click


def echo_json(data: Any, *, default=None) -> None:
    isatty = getattr(sys.stdout, "isatty", None)
    if isatty is not None and isatty():
        text = json.dumps(data, indent=2, ensure_ascii=False, default=default)
    else:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=default)
    click.echo(text)
