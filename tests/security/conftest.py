"""The two-street world is shared by the matrix and the node tests."""

from tests.security.test_cross_street_matrix import matrix

__all__ = ["matrix"]
