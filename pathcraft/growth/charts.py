"""Server-side SVG charts for the dashboard: horizontal bars with a reference line, labelled for screen readers."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pathcraft.growth.dashboard import Flagged
from pathcraft.growth.fairness import Distribution

ROW, LABEL, WIDTH = 22, 170, 300


def _bars(title: str, rows: list[tuple[str, float | None, str, bool]], line: float | None, line_label: str,
          scale: float = 1.0) -> SafeString:  # fmt: skip
    """rows: (label, value 0..scale or None, text shown, flagged)."""
    height = ROW * len(rows) + 30
    parts = [f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {LABEL + WIDTH + 70} {height}" '
             f'width="100%" style="max-width:{LABEL + WIDTH + 70}px" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]  # fmt: skip
    for i, (label, value, text, flagged) in enumerate(rows):
        y = 10 + i * ROW
        width = 0 if value is None else max(1, WIDTH * min(value / scale, 1))
        colour = "#b45309" if flagged else "#2563eb"
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 14}" text-anchor="end" font-size="12">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{LABEL}" y="{y + 3}" width="{width:.1f}" height="{ROW - 8}" fill="{colour}"/>'
        )
        parts.append(f'<text x="{LABEL + width + 4:.1f}" y="{y + 14}" font-size="11">{escape(text)}</text>')
    if line is not None:
        x = LABEL + WIDTH * min(line / scale, 1)
        parts.append(
            f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 18}" stroke="#111" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{height - 4}" font-size="11" text-anchor="middle">{escape(line_label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def adherence_chart(rows: list[tuple[str, Flagged]]) -> SafeString:
    data = []
    for name, flagged in rows:
        ratio = flagged.figure
        text = f"{ratio.numerator:g}/{ratio.denominator:g}" if ratio.denominator else "no 1:1 expected"
        data.append((name, ratio.value, text, flagged.flagged))
    alert = rows[0][1].threshold.value if rows else None
    return _bars("Cadence adherence over the last 8 weeks, held of expected, per report", data, alert,
                 f"alert below {alert:g}" if alert is not None else "")  # fmt: skip


def share_chart(dist: Distribution, people: dict) -> SafeString:
    data = []
    top = max((r.value or 0 for r in dist.shares.values()), default=0)
    for email, ratio in dist.shares.items():
        name = people[email].name if email in people else email
        data.append((name, ratio.value or 0, f"{ratio.numerator:g} of {ratio.denominator:g}",
                     email in dist.top_people and dist.flagged))  # fmt: skip
    scale = max(top, dist.fair_share.value or 0) or 1
    return _bars("Share of the team total per person, with the fair share", data, dist.fair_share.value,
                 "fair share", scale)  # fmt: skip
