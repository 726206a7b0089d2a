"""Spreadsheets in office layouts: ``layout`` writes every ``.xlsx`` the
platform hands out; ``imports`` reads the registers offices keep."""
