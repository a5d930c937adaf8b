"""Text-level checks of an .ics export before icalendar sees it: encoding, BEGIN/END balance, iCloud offsets.

Pure engine, no Django. Each refusal is an `InputError` naming the line.
"""

from __future__ import annotations

import codecs
import re

from pathcraft.errors import InputError

_OFFSET_LINE = re.compile(r"^(TZOFFSET(?:FROM|TO)(?:;[^:]*)?:)\s*([+-])(\d{4})\s*$", re.IGNORECASE)


def decode_ics(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252/latin-1."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(f"not an iCalendar file: broken UTF-16 text at byte {exc.start}") from None
    if b"\x00" in data[:4096]:
        raise InputError("not an iCalendar file: it holds binary data (NUL bytes)")
    # Older Outlook and some Apple exports write Windows-1252 / Latin-1 despite RFC 5545's UTF-8.
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def check_structure(text: str) -> None:
    """Refuse text that is not one or more balanced BEGIN:VCALENDAR ... END:VCALENDAR blocks, naming the line."""
    stack: list[tuple[str, int]] = []
    seen_calendar = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or raw[:1] in (" ", "\t"):
            continue  # blank or a folded continuation
        upper = line.upper()
        if not stack and not upper.startswith("BEGIN:"):
            where = "after END:VCALENDAR" if seen_calendar else "before BEGIN:VCALENDAR"
            if seen_calendar:
                raise InputError(f"line {number}: unexpected text {where}: {clip(line)!r}")
            raise InputError(
                f"not an iCalendar file: line {number} is {clip(line)!r}, expected BEGIN:VCALENDAR"
            )
        if upper.startswith("BEGIN:"):
            name = upper[6:].strip()
            if not stack and name != "VCALENDAR":
                raise InputError(
                    f"line {number}: BEGIN:{name} outside a VCALENDAR (expected BEGIN:VCALENDAR)"
                )
            stack.append((name, number))
        elif upper.startswith("END:"):
            name = upper[4:].strip()
            if not stack:
                raise InputError(f"line {number}: END:{name} without a matching BEGIN")
            opened, opened_at = stack.pop()
            if opened != name:
                raise InputError(
                    f"line {number}: END:{name} closes BEGIN:{opened} opened on line {opened_at}"
                )
            if not stack:
                seen_calendar = True
    if stack:
        name, opened_at = stack[-1]
        raise InputError(f"the file ends inside BEGIN:{name} opened on line {opened_at} (truncated?)")
    if not seen_calendar:
        raise InputError("not an iCalendar file: no BEGIN:VCALENDAR found (the file is empty)")


def repair_offsets(text: str) -> tuple[str, list[str]]:
    """Read iCloud's out-of-range UTC offsets (TZOFFSETFROM:+5328) as minutes and seconds (+00:53:28).

    iCloud writes local mean time offsets of old VTIMEZONE rules without the hours (icalendar issue #155); the
    value is +00:53:28, Berlin's local mean time. icalendar refuses offsets of 24 hours or more.
    """
    if "TZOFFSET" not in text.upper():
        return text, []
    warnings: list[str] = []
    lines = text.splitlines(keepends=True)
    for index, raw in enumerate(lines):
        match = _OFFSET_LINE.match(raw.rstrip("\r\n"))
        if not match:
            continue
        prefix, sign, digits = match.groups()
        hours, minutes = int(digits[:2]), int(digits[2:])
        if hours < 24 and minutes < 60:
            continue
        if hours >= 60 or minutes >= 60:
            raise InputError(f"line {index + 1}: UTC offset {sign}{digits} is out of range")
        ending = raw[len(raw.rstrip("\r\n")) :]
        lines[index] = f"{prefix}{sign}00{digits}{ending}"
        warnings.append(
            f"line {index + 1}: UTC offset {sign}{digits} is out of range; read as {sign}00:{digits[:2]}:{digits[2:]}"
        )
    return "".join(lines), warnings


def clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
