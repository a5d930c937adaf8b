"""Server-side SVG charts of review load: shares with an equal-share line, and the weekly trend. Every text is
escaped; each chart has a title for screen readers."""

from __future__ import annotations

from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW, LABEL, WIDTH = 22, 190, 300
TEXT = 230  # room right of the longest bar for "47% (108) · far above an equal share"
FLAG, BAR, LINE = "#b45309", "#2563eb", "#111"


def share_chart(rows: list[tuple[str, float, str, bool]], fair: float, title: str) -> SafeString:
    """rows: (label, share 0..1, text, flagged). The scale runs to the largest share or the equal share."""
    scale = max([share for _, share, _, _ in rows] + [fair, 0.01])
    height = ROW * len(rows) + 30
    width = LABEL + WIDTH + TEXT
    parts = [f'<svg class="review-shares" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]  # fmt: skip
    for i, (label, share, text, flagged) in enumerate(rows):
        y = 10 + i * ROW
        bar = max(1.0, WIDTH * share / scale) if share else 0.0
        parts.append(f'<g data-person="{escape(label)}" data-flagged="{"1" if flagged else "0"}">'
                     f'<text x="{LABEL - 6}" y="{y + 14}" text-anchor="end" font-size="12">{escape(label)}</text>'
                     f'<rect x="{LABEL}" y="{y + 3}" width="{bar:.1f}" height="{ROW - 8}" '
                     f'fill="{FLAG if flagged else BAR}"/>'
                     f'<text x="{LABEL + bar + 4:.1f}" y="{y + 14}" font-size="11">{escape(text)}'
                     f'{" · far above an equal share" if flagged else ""}</text></g>')  # fmt: skip
    x = LABEL + WIDTH * fair / scale
    parts.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 18}" stroke="{LINE}" '
                 f'stroke-dasharray="4 3"/><text x="{x:.1f}" y="{height - 4}" font-size="11" '
                 f'text-anchor="middle">equal share {round(100 * fair)}%</text></svg>')  # fmt: skip
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def trend_chart(weeks: list[date], totals: list[int], highlighted: list[tuple[str, list[int]]]) -> SafeString:
    """Weekly reviews given by the team (grey bars), with the highlighted people's part drawn over them."""
    if not weeks:
        return mark_safe("")
    height, left, plot = 140, 30, 100
    step = max(14, min(40, 480 // len(weeks)))
    width = left + step * len(weeks) + 10
    top = max(totals + [1])
    title = "Reviews given per week by the team" + (
        ", with " + ", ".join(label for label, _ in highlighted) if highlighted else ""
    )
    parts = [f'<svg class="review-trend" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>",
             f'<text x="2" y="12" font-size="10">{top}</text><text x="2" y="{plot + 10}" font-size="10">0</text>']  # fmt: skip
    for i, (week, total) in enumerate(zip(weeks, totals, strict=True)):
        x = left + i * step
        h = plot * total / top
        parts.append(f'<rect x="{x}" y="{plot + 10 - h:.1f}" width="{step - 3}" height="{h:.1f}" fill="#cbd5e1">'
                     f"<title>week of {week.isoformat()}: {total} reviews</title></rect>")  # fmt: skip
        for label, values in highlighted[:1]:
            mine = values[i] if i < len(values) else 0
            hm = plot * mine / top
            parts.append(f'<rect x="{x + 2}" y="{plot + 10 - hm:.1f}" width="{max(1, step - 7)}" height="{hm:.1f}" '
                         f'fill="{FLAG}"><title>{escape(label)}: {mine} of {total}</title></rect>')  # fmt: skip
        if i == 0 or i == len(weeks) - 1:
            anchor = "start" if i == 0 else "end"
            parts.append(f'<text x="{x if i == 0 else x + step - 3}" y="{height - 12}" font-size="10" '
                         f'text-anchor="{anchor}">{week:%-d %b %Y}</text>')  # fmt: skip
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
