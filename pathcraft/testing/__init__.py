"""Test support shared by the apps' tests (no fixtures, nothing imported at run time by the app)."""
