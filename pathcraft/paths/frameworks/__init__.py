"""Career frameworks: tracks, levels, competencies, bridges; import, export and readiness.

Pure engine (no Django). The database import that comes later takes a parsed `Framework`.
"""

from pathcraft.paths.frameworks.loading import (
    FORMATS,
    default_framework,
    default_framework_path,
    detect_format,
    load_framework,
    read_framework,
)
from pathcraft.paths.frameworks.model import (
    Area,
    Bridge,
    Competency,
    Criterion,
    Framework,
    Level,
    Link,
    Position,
    Track,
)
from pathcraft.paths.frameworks.readiness import (
    Assessment,
    Rating,
    Readiness,
    assess_readiness,
    parse_assessment,
    route,
)
from pathcraft.paths.frameworks.validation import check_framework
from pathcraft.paths.frameworks.yaml_format import dump_framework, framework_to_data, parse_pathcraft

__all__ = [
    "FORMATS",
    "Area",
    "Assessment",
    "Bridge",
    "Competency",
    "Criterion",
    "Framework",
    "Level",
    "Link",
    "Position",
    "Rating",
    "Readiness",
    "Track",
    "assess_readiness",
    "check_framework",
    "default_framework",
    "default_framework_path",
    "detect_format",
    "dump_framework",
    "framework_to_data",
    "load_framework",
    "parse_assessment",
    "parse_pathcraft",
    "read_framework",
    "route",
]
