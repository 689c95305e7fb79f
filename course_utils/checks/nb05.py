"""Self-checks for notebook 05."""
