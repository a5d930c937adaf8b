from pathcraft.growth.tests.db import org  # noqa: F401 - the shared fixture
