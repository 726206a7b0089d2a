"""The board's tree and staff fixtures, shared by its test modules."""

from tests.board.test_board import staff, tree  # noqa: F401 - fixtures
