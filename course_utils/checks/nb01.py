"""Self-checks for notebook 01."""
