"""Programs: weeks of sessions that get harder (docs/programs.md), and the log of what was done."""
