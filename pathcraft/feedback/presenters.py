"""Turn a release's public form into rows for templates (labels, formatted figures, a small SVG bar).

Input is only ``Release.to_public_dict()`` output: nothing here can show more than the release.
"""

from __future__ import annotations

from typing import Any

from pathcraft.feedback import sources
from pathcraft.feedback.defaults import load_defaults

BAR_WIDTH = 160  # px for the whole 1-5 scale


def _bar(mean: float, spread: float) -> dict[str, float]:
    defaults = load_defaults()
    low, high = defaults.scale_min, defaults.scale_max

    def x(value: float) -> float:
        value = min(max(value, low), high)
        return round((value - low) / (high - low) * BAR_WIDTH, 1)

    return {"mean_x": x(mean), "from_x": x(mean - spread), "to_x": x(mean + spread), "width": BAR_WIDTH}


def rating_rows(items: list[dict[str, Any]], labels: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        row = {
            "key": item["key"],
            "label": labels.get(item["key"], item["key"]),
            "shown": item["status"] == "shown",
        }
        if row["shown"]:
            row.update(
                mean=f"{item['mean']:.1f}", spread=f"{item['spread']:.1f}", n=item["n"],
                bar=_bar(item["mean"], item["spread"]),
            )  # fmt: skip
        rows.append(row)
    # Shown items first, then alphabetically: an order that says nothing about who answered.
    return sorted(rows, key=lambda r: (not r["shown"], r["label"].lower()))


def text_groups(texts: dict[str, list[str]]) -> list[dict[str, Any]]:
    questions = load_defaults().text_questions
    return [{"key": q.key, "label": q.label, "items": texts[q.key]} for q in questions if texts.get(q.key)]


def results_context(
    public: dict[str, Any], competency_labels: dict[str, str] | None = None
) -> dict[str, Any]:
    return {
        "results": public,
        "activity_rows": rating_rows(public["activities"], sources.activity_labels()),
        "competency_rows": rating_rows(public["competencies"], competency_labels or {}),
        "text_groups": text_groups(public["texts"]),
    }
