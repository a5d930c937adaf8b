import subprocess
import sys

import pytest

from pathcraft.growth.defaults import dashboard_thresholds, threshold


def test_every_dashboard_default_has_a_source_or_says_it_is_an_estimate():
    for name, value in dashboard_thresholds().items():
        assert value.source, name
        assert value.estimate or not value.source.startswith("estimate:"), name


@pytest.mark.parametrize(
    ("name", "value", "source_contains"),
    [
        ("agenda.manager_share_alert", 0.5, "more than half of the items on the agenda"),
        ("fairness.gini_alert", 0.40, "UN-HABITAT"),
        ("cost.meeting_minutes", 30, "estimate"),
        ("cost.preparation_minutes", 10, "estimate"),
        ("cost.span_of_control_max", 8, "Larson"),
        ("fairness.min_events_per_person", 2, "estimate"),
    ],
)
def test_key_defaults(name, value, source_contains):
    entry = threshold(name)
    assert entry.value == value
    assert source_contains in entry.source


def test_gini_alert_carries_its_caveat():
    assert "not validated for small teams" in threshold("fairness.gini_alert").caveat


def test_engines_import_nothing_from_django():
    modules = ["cadence", "agenda", "questions", "fairness", "delegation", "dashboard", "ics_export"]
    code = "import sys\n" + "".join(f"import pathcraft.growth.{m}\n" for m in modules)
    code += "print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_unknown_default_name_is_a_clear_error():
    from pathcraft.errors import InputError

    with pytest.raises(InputError, match="no default named 'cost.coffee'"):
        threshold("cost.coffee")
