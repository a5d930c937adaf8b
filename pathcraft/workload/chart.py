"""A server-side SVG chart of meeting hours against focus hours per week. Pure: no Django."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

MEETING, FOCUS = "#c2410c", "#2563eb"


def weekly_chart_svg(weeks: Sequence[dict], width: int = 720, height: int = 240) -> str:
    """Two bars per ISO week (meetings, focus), a scale in hours, a <title>/<desc> for screen readers."""
    if not weeks:
        return ""
    left, bottom, top = 40, 36, 24
    plot_h = height - bottom - top
    peak = max(max(w["meeting_hours"], w["focus_hours"]) for w in weeks)
    scale_max = max(10, int(-(-peak // 10) * 10))  # round up to the next 10 h
    slot = (width - left - 10) / len(weeks)
    bar = max(2.0, slot * 0.36)
    label_every = max(1, len(weeks) // 12)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="wk-title wk-desc" class="weekly-chart">',
        '<title id="wk-title">Meeting hours and focus hours per week</title>',
        f'<desc id="wk-desc">{len(weeks)} weeks from {escape(weeks[0]["week"])} to {escape(weeks[-1]["week"])}; '
        f"orange bars are meeting hours, blue bars focus hours.</desc>",
    ]
    for tick in range(0, scale_max + 1, 10):
        y = top + plot_h - plot_h * tick / scale_max
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{tick} h</text>')
    for i, w in enumerate(weeks):
        x = left + i * slot + slot * 0.12
        for j, (key, colour, name) in enumerate(
            (("meeting_hours", MEETING, "meetings"), ("focus_hours", FOCUS, "focus"))
        ):
            value = float(w[key])
            h = plot_h * value / scale_max
            parts.append(
                f'<rect x="{x + j * bar:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(w["week"])}: {value:.1f} h {name}</title></rect>'
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar:.1f}" y="{height - bottom + 14}" font-size="10" text-anchor="middle">'
                f"{escape(w['week'][-3:])}</text>"
            )
    parts.append(f'<rect x="{left}" y="4" width="10" height="10" fill="{MEETING}"/>')
    parts.append(f'<text x="{left + 14}" y="13" font-size="11">meetings</text>')
    parts.append(f'<rect x="{left + 90}" y="4" width="10" height="10" fill="{FOCUS}"/>')
    parts.append(f'<text x="{left + 104}" y="13" font-size="11">focus time</text>')
    parts.append("</svg>")
    return "".join(parts)
