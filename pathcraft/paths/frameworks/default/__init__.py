"""pathcraft's default multi-track framework (pathcraft.yaml)."""
