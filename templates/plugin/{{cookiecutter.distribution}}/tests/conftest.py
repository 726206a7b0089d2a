"""The jiceng pytest plugin (installed with Jiceng) gives the fixtures; this
plugin is enabled in every test deployment."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def jiceng_plugins() -> tuple[str, ...]:
    return ("{{ cookiecutter.plugin_name }}",)
