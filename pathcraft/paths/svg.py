"""SVG charts for career paths: strengths map, ranked roles, two roles side by side.

Pure: no Django, no JavaScript, no CDN. Each chart is a standalone <svg> string with <title> and
<desc> (role="img", aria-labelledby) and text labels on every mark, so it reads without colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from pathcraft.paths.activities import ActivityCatalogue, load_activities
from pathcraft.paths.fit import RoleFit
from pathcraft.paths.profile import Profile
from pathcraft.paths.roles import Role
from pathcraft.paths.strengths import StrengthSettings, classify_strengths, load_strength_settings

FONT = "font-family='system-ui, sans-serif'"
CLASS_COLOURS = {
    "realised_strength": "#1b7837",
    "unrealised_strength": "#5aae61",
    "emerging": "#2166ac",
    "learned_behaviour": "#b35806",
    "weakness": "#b2182b",
    "neutral": "#777777",
}
ENERGY_WORDS = {-2: "drains", -1: "drains a little", 0: "neutral", 1: "energises a little", 2: "energises"}


def _svg(width: int, height: int, title: str, desc: str, body: list[str], id_prefix: str) -> str:
    t, d = f"{id_prefix}-title", f"{id_prefix}-desc"
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' aria-labelledby='{t} {d}' {FONT} font-size='12'>"
        f"<title id='{t}'>{escape(title)}</title><desc id='{d}'>{escape(desc)}</desc>"
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return f"<text x='{x:.1f}' y='{y:.1f}' text-anchor='{anchor}'{extra}>{escape(text)}</text>"


def _fit_text(x: float, y: float, text: str, room: float, size: float = 11, **attrs: str) -> str:
    """A label that never runs into the next cell: squeezed with textLength when it would not fit."""
    estimate = len(text) * size * 0.53  # average glyph width of system-ui, a little generous
    if estimate > room:
        attrs = {**attrs, "textLength": f"{room:.0f}", "lengthAdjust": "spacingAndGlyphs"}
    return _text(x, y, text, font_size=f"{size:g}", **attrs)


def strengths_map_svg(
    profile: Profile,
    activities: ActivityCatalogue | None = None,
    settings: StrengthSettings | None = None,
    id_prefix: str = "strengths-map",
) -> str:
    """Skill (columns 1-5) against energy (rows -2..+2): each rated activity listed in its cell,
    with a dot sized by its hours. Rows grow with the number of activities in them, so labels never
    overlap; the dashed lines split the Realise2 quadrants."""
    activities = activities or load_activities()
    settings = settings or load_strength_settings()
    items = classify_strengths(profile, activities, settings)
    cells: dict[tuple[int, int], list] = {}
    for item in items:
        if item.category != "unrated":
            cells.setdefault((item.skill, item.energy), []).append(item)
    line, band = 15, 18  # label line height; band kept free for the quadrant names
    width, left, right, top = 980, 64, 10, 10
    plot_w = width - left - right
    cell_w = plot_w / 5
    row_h = {}
    for energy in range(-2, 3):
        most = max([len(cells.get((skill, energy), [])) for skill in range(1, 6)] + [0])
        extra = band if energy in (2, -2) else 0
        row_h[energy] = max(44, most * line + 12 + extra)
    plot_h = sum(row_h.values())
    height = top + plot_h + 64
    row_top, y_at = {}, top
    for energy in range(2, -3, -1):
        row_top[energy] = y_at
        y_at += row_h[energy]

    def x(skill: float) -> float:
        return left + (skill - 1) * cell_w

    body = [
        f"<rect x='{left}' y='{top}' width='{plot_w:.0f}' height='{plot_h}' fill='#fafafa' stroke='#999'/>"
    ]
    for energy in range(-2, 3):
        if energy != 2:
            body.append(
                f"<line x1='{left}' y1='{row_top[energy]}' x2='{left + plot_w:.0f}' y2='{row_top[energy]}' stroke='#eee'/>"
            )
    for skill in range(2, 6):
        body.append(
            f"<line x1='{x(skill):.1f}' y1='{top}' x2='{x(skill):.1f}' y2='{top + plot_h}' stroke='#eee'/>"
        )
    split_x = x(settings.high_performance_skill)
    split_y = row_top[settings.energising_energy - 1]
    body.append(
        f"<line x1='{split_x:.1f}' y1='{top}' x2='{split_x:.1f}' y2='{top + plot_h}' stroke='#888' stroke-dasharray='5 3'/>"
    )
    body.append(
        f"<line x1='{left}' y1='{split_y}' x2='{left + plot_w:.0f}' y2='{split_y}' stroke='#888' stroke-dasharray='5 3'/>"
    )
    for qx, qy, anchor, label in (
        (left + plot_w - 6, top + 13, "end", "Strengths (realised if used, unrealised if not)"),
        (left + 6, top + 13, "start", "Emerging interests"),
        (left + plot_w - 6, top + plot_h - 6, "end", "Learned behaviours"),
        (left + 6, top + plot_h - 6, "start", "Weaknesses"),
    ):
        body.append(_text(qx, qy, label, anchor, fill="#555", font_style="italic", font_size="11"))
    for skill in range(1, 6):
        body.append(_text(x(skill) + cell_w / 2, top + plot_h + 16, str(skill), "middle"))
    for energy in range(-2, 3):
        mid = row_top[energy] + row_h[energy] / 2 + 4
        body.append(_text(left - 8, mid, f"{energy:+d}" if energy else "0", "end"))
    body.append(
        _text(left + plot_w / 2, height - 22, "Skill (1 new to it … 5 expert)", "middle", font_weight="bold")
    )
    body.append(
        f"<text transform='translate(14 {top + plot_h / 2:.1f}) rotate(-90)' text-anchor='middle' "
        f"font-weight='bold'>Energy (−2 drains … +2 energises)</text>"
    )
    described = []
    for (skill, energy), members in sorted(cells.items()):
        first = row_top[energy] + (band if energy == 2 else 0) + 14
        for k, item in enumerate(members):
            cy = first + k * line
            r = min(6.5, 2.5 + 0.9 * math.sqrt(max(item.hours, 0)))
            colour = CLASS_COLOURS[item.category]
            fill = colour if item.category != "unrealised_strength" else "white"
            name = activities[item.activity_id].name
            body.append(
                f"<g><title>{escape(f'{name}: {item.label}, {item.reason}')}</title>"
                f"<circle cx='{x(skill) + 10:.1f}' cy='{cy - 4:.1f}' r='{r:.1f}' fill='{fill}' "
                f"fill-opacity='0.6' stroke='{colour}' stroke-width='1.5'/></g>"
            )
            label = f"{activities.short(item.activity_id)} ({item.hours:g} h)"
            body.append(_fit_text(x(skill) + 20, cy, label, cell_w - 24, fill="#222"))
            described.append(f"{name}: {item.label.lower()} ({item.reason})")
    unrated = [activities[i.activity_id].name for i in items if i.category == "unrated"]
    if unrated:
        body.append(_text(left, height - 4, "Not rated: " + ", ".join(unrated), fill="#555", font_size="11"))
    desc = "Each activity placed by your skill and energy. " + "; ".join(described)
    if unrated:
        desc += ". Not rated: " + ", ".join(unrated)
    return _svg(width, height, "Strengths map: skill against energy", desc, body, id_prefix)


def ranked_roles_svg(fits: Sequence[RoleFit], top: int | None = None, id_prefix: str = "ranked-roles") -> str:
    """Horizontal bars of the combined score per role, best first, with energy and skill fit in text."""
    fits = list(fits)[:top] if top else list(fits)
    row, label_w, bar_w, pad = 30, 230, 300, 20
    width, height = label_w + bar_w + 190, pad * 2 + row * max(len(fits), 1) + 20
    body = [_text(label_w + bar_w / 2, pad, "Role fit (0–100)", "middle", font_weight="bold")]
    lines = []
    for i, fit in enumerate(fits):
        y = pad + 14 + i * row
        w = bar_w * fit.score / 100
        body.append(_text(label_w - 8, y + 15, f"{fit.rank or i + 1}. {fit.role_name}", "end"))
        body.append(f"<rect x='{label_w}' y='{y:.1f}' width='{bar_w}' height='20' fill='#eee'/>")
        body.append(f"<rect x='{label_w}' y='{y:.1f}' width='{w:.1f}' height='20' fill='#2166ac'/>")
        summary = f"{fit.score:.0f}  (energy {fit.energy_fit:.0f}, skill {fit.skill_fit:.0f})"
        body.append(_text(label_w + bar_w + 8, y + 15, summary))
        lines.append(
            f"{fit.role_name} {fit.score:.0f} (energy fit {fit.energy_fit:.0f}, skill fit {fit.skill_fit:.0f})"
        )
    desc = "Roles ranked by how their typical week fits your energy and skills: " + "; ".join(lines)
    return _svg(width, height, "Roles ranked by fit", desc, body, id_prefix)


def roles_side_by_side_svg(
    role_a: Role,
    role_b: Role,
    activities: ActivityCatalogue | None = None,
    profile: Profile | None = None,
    id_prefix: str = "roles-compare",
) -> str:
    """Two roles' weeks as mirrored bars per activity; with a profile, each label says how it feels."""
    activities = activities or load_activities()
    ids = [a.id for a in activities if role_a.share(a.id) > 0 or role_b.share(a.id) > 0]
    row, half, centre_w, pad = 24, 210, 330, 50
    width, height = 2 * half + centre_w + 20, pad + row * len(ids) + 30
    max_share = max([role_a.share(a) for a in ids] + [role_b.share(a) for a in ids] + [0.01])
    left_end, right_start = 10 + half, 10 + half + centre_w
    body = [
        _text(left_end - 4, 24, role_a.name, "end", font_weight="bold"),
        _text(right_start + 4, 24, role_b.name, "start", font_weight="bold"),
        _text(10 + half + centre_w / 2, 24, "share of the week", "middle", fill="#555"),
    ]
    lines = []
    for i, a in enumerate(ids):
        y = pad + i * row
        sa, sb = role_a.share(a), role_b.share(a)
        wa, wb = (half - 40) * sa / max_share, (half - 40) * sb / max_share
        label = activities.short(a)
        if profile is not None:
            energy = profile.answer(a).energy
            label += f" ({ENERGY_WORDS[energy]})" if energy is not None else " (not rated)"
        body.append(_text(10 + half + centre_w / 2, y + 13, label, "middle"))
        if sa:
            body.append(
                f"<rect x='{left_end - wa:.1f}' y='{y}' width='{wa:.1f}' height='16' fill='#5aae61'/>"
            )
            body.append(_text(left_end - wa - 4, y + 13, f"{sa:.0%}", "end"))
        if sb:
            body.append(f"<rect x='{right_start}' y='{y}' width='{wb:.1f}' height='16' fill='#2166ac'/>")
            body.append(_text(right_start + wb + 4, y + 13, f"{sb:.0%}"))
        lines.append(f"{label}: {sa:.0%} vs {sb:.0%}")
    desc = f"Typical week of {role_a.name} (left) and {role_b.name} (right) per activity: " + "; ".join(lines)
    return _svg(width, height, f"{role_a.name} and {role_b.name} side by side", desc, body, id_prefix)
