"""Self-checks for notebook 00."""
