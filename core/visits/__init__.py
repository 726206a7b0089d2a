"""Visits (走访): scheduled work with people of a target group, declared by plugins."""
