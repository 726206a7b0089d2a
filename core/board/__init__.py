"""The public board (公开栏): notices every community and village shows to
residents without signing in; plugins publish through ``core.board.service``."""
