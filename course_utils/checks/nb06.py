"""Self-checks for notebook 06."""
