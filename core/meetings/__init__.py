"""Meetings and votes (会议与表决): kinds declared by plugins, attendance,
quorum, resolutions, minutes and the publication of results (DOMAIN 3.2, 3.3)."""
