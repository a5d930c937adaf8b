"""A server-side SVG treemap of modules, area = files, colour = truck factor (pure: no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Tile:
    label: str
    weight: float
    truck_factor: int
    x: float
    y: float
    w: float
    h: float


# Colour by truck factor: no author left, one person (a single point of failure), two, three or more.
COLOURS = {0: "#6b6b6b", 1: "#c0392b", 2: "#e67e22"}
SAFE = "#2e8b57"


def colour(truck_factor: int) -> str:
    return COLOURS.get(truck_factor, SAFE)


def layout(items: list[tuple[str, float, int]], x: float, y: float, w: float, h: float) -> list[Tile]:
    """Split the (label, weight, truck factor) items in two halves of about equal weight along the longer side,
    recursively: near-square tiles for the handful of modules a team has."""
    items = [i for i in items if i[1] > 0]
    if not items:
        return []
    if len(items) == 1:
        label, weight, tf = items[0]
        return [Tile(label, weight, tf, x, y, w, h)]
    items = sorted(items, key=lambda i: (-i[1], i[0]))
    total = sum(i[1] for i in items)
    running, cut = 0.0, 1
    for n, item in enumerate(items[:-1], start=1):
        running += item[1]
        cut = n
        if running >= total / 2:
            break
    first = sum(i[1] for i in items[:cut]) / total
    if w >= h:
        return layout(items[:cut], x, y, w * first, h) + layout(
            items[cut:], x + w * first, y, w * (1 - first), h
        )
    return layout(items[:cut], x, y, w, h * first) + layout(items[cut:], x, y + h * first, w, h * (1 - first))


def treemap_svg(items: list[tuple[str, float, int]], width: int = 640, height: int = 320,
                title: str = "Modules by truck factor") -> str:  # fmt: skip
    """An accessible SVG: a title, one labelled group per module (files and truck factor in its <title>)."""
    tiles = layout(items, 0, 0, width, height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="treemap-title" class="treemap"><title id="treemap-title">{escape(title)}</title>'
    ]
    for tile in tiles:
        files = int(tile.weight)
        text = f"{tile.label}: {files} file{'s' if files != 1 else ''}, truck factor {tile.truck_factor}"
        parts.append(
            f'<g data-module="{escape(tile.label)}" data-truck-factor="{tile.truck_factor}"><title>{escape(text)}'
            f'</title><rect x="{tile.x:.1f}" y="{tile.y:.1f}" width="{tile.w:.1f}" height="{tile.h:.1f}" '
            f'fill="{colour(tile.truck_factor)}" stroke="#fff" stroke-width="2"/>'
        )
        if tile.w > 40 and tile.h > 30:
            parts.append(
                f'<text x="{tile.x + 6:.1f}" y="{tile.y + 18:.1f}" fill="#fff" font-size="14" font-weight="bold">'
                f'{escape(tile.label)}</text><text x="{tile.x + 6:.1f}" y="{tile.y + 34:.1f}" fill="#fff" '
                f'font-size="12">TF {tile.truck_factor} · {files} files</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
