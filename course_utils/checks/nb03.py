"""Self-checks for notebook 03."""
