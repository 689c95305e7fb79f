"""Self-checks for notebook 02."""
