"""SVG charts: well-formed, accessible, labelled, no external references."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pathcraft.paths.fit import rank_roles
from pathcraft.paths.profile import load_profile
from pathcraft.paths.roles import load_roles
from pathcraft.paths.svg import ranked_roles_svg, roles_side_by_side_svg, strengths_map_svg

NS = "{http://www.w3.org/2000/svg}"
PROFILE = load_profile(Path(__file__).resolve().parent.parent / "examples" / "profile-promoted-manager.yaml")


def charts():
    roles = load_roles()
    return {
        "strengths": strengths_map_svg(PROFILE),
        "ranked": ranked_roles_svg(rank_roles(PROFILE), top=5),
        "compare": roles_side_by_side_svg(
            roles.get("engineering_manager"), roles.get("staff_engineer"), profile=PROFILE
        ),
    }


@pytest.mark.parametrize("name", ["strengths", "ranked", "compare"])
def test_charts_are_accessible_standalone_svg(name):
    svg = charts()[name]
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and title.text and desc is not None and len(desc.text) > 40
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # no CDN, no remote fonts
    assert "<script" not in svg
    assert root.findall(f".//{NS}text")


def texts(svg):
    return [t.text for t in ET.fromstring(svg).iter(f"{NS}text")]


def test_strengths_map_labels_every_rated_activity_with_its_hours():
    labels = " ".join(texts(charts()["strengths"]))
    assert "meetings for coordination (12 h)" in labels and "writing code (3 h)" in labels
    assert "Learned behaviours" in labels and "Weaknesses" in labels


def test_ranked_chart_lists_roles_in_rank_order_with_scores():
    fits = rank_roles(PROFILE)[:5]
    labels = texts(ranked_roles_svg(fits))
    names = [t for t in labels if t.split(" ")[0].endswith(".") and t.split(".")[0].isdigit()]
    assert names == [f"{f.rank}. {f.role_name}" for f in fits]
    assert f"{fits[0].score:.0f}  (energy {fits[0].energy_fit:.0f}, skill {fits[0].skill_fit:.0f})" in labels


def test_side_by_side_shows_shares_and_how_each_activity_feels():
    labels = texts(charts()["compare"])
    assert "1:1s and people management (drains)" in labels
    assert "22%" in labels  # the manager's people-management share
    assert "Engineering manager" in labels and "Staff / principal engineer" in labels


def test_text_is_escaped():
    fits = rank_roles(PROFILE)[:1]
    from dataclasses import replace

    svg = ranked_roles_svg([replace(fits[0], role_name="R&D <lead>")])
    assert "R&amp;D &lt;lead&gt;" in svg
    ET.fromstring(svg)
