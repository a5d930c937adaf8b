"""The data file: every number has a source or is a marked estimate; k never below 3."""

import copy

import pytest
import yaml

from pathcraft.errors import InputError
from pathcraft.feedback.defaults import DATA_FILE, load_defaults, parse_defaults

RAW = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


def test_bundled_defaults_load():
    defaults = load_defaults()
    assert defaults.k >= 3
    assert defaults.release_policy in defaults.release_policies
    assert [q.key for q in defaults.text_questions] == ["does_well", "start", "keep", "stop"]


def changed(path, value):
    raw = copy.deepcopy(RAW)
    node = raw
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return raw


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("anonymity", "k", "value"), 2, "anonymity.k must be a whole number of at least 3"),
        (("anonymity", "k", "source"), KeyError, "anonymity.k needs a 'source' or 'estimate: true'"),
        (
            ("calibration", "min_gap", "reason"),
            KeyError,
            "calibration.min_gap is an estimate without a 'reason'",
        ),
        (("anonymity", "release_policy", "value"), "whenever", "release_policy 'whenever' is not one of"),
        (("calibration", "confidence", "value"), 1.5, "calibration.confidence must be in"),
        (("links",), KeyError, "missing section 'links'"),
    ],
)
def test_bad_data_file_is_refused_naming_the_key(path, value, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_defaults(changed(path, value))
