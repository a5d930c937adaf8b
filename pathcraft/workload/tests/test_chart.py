"""The weekly SVG chart (pure): accessible, bars scaled to the data, labels escaped."""

from __future__ import annotations

import re

from pathcraft.workload.chart import weekly_chart_svg


def _week(label, meetings, focus):
    return {"week": label, "meeting_hours": meetings, "focus_hours": focus}


def test_chart_has_two_bars_per_week_scaled_to_the_peak():
    svg = weekly_chart_svg([_week("2026-W10", 30, 5), _week("2026-W11", 15, 10)])
    assert svg.startswith("<svg") and 'role="img"' in svg and "<desc" in svg
    heights = [
        float(h) for h in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"', svg)
    ]
    bars = heights[:4]  # the legend squares come last
    assert bars[0] == max(bars) and abs(bars[0] - 2 * bars[2]) < 0.2  # 30 h is twice 15 h
    assert "2026-W10: 30.0 h meetings" in svg and "30 h" in svg  # axis rounds up to the next 10


def test_chart_escapes_labels_and_is_empty_without_weeks():
    assert weekly_chart_svg([]) == ""
    assert "<b>" not in weekly_chart_svg([_week("<b>", 1, 1)])
