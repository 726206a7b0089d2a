"""The demo locality: a real city's districts and streets with synthetic communities."""
