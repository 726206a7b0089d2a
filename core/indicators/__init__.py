"""Indicators (统计指标) computed from records, and report forms filled from them (一表通)."""
