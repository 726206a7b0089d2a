"""Jiceng core: the organization tree, the plugin host and the GraphQL API."""

__version__ = "0.1.0"
