"""The smoke tests run only against a running installation: `.ci/smoke` starts one and sets PATHCRAFT_SMOKE_URL.
Without it they are not collected at all (the normal suite has no server to point them at)."""

import os

if not os.environ.get("PATHCRAFT_SMOKE_URL"):
    collect_ignore_glob = ["test_*.py"]
