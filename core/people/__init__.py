"""The people registry: residents, households and places, entered once and shared."""
