"""Review load: who reviews whose changes, how much and how fairly (git trailers, merges, GitHub and GitLab)."""
