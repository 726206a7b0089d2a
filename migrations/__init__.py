"""Alembic environment for core; plugins add their own version directories."""
