"""Default numbers of the frameworks engine, each with its source (readiness.yaml)."""
