"""Self-checks for notebook 04."""
