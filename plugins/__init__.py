"""Built-in domain plugins. Each registers through the ``jiceng.plugins``
entry-point group in pyproject.toml, exactly like a third-party plugin."""
