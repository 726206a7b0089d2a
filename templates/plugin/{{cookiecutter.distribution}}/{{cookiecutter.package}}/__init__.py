"""{{ cookiecutter.title }}: a Jiceng plugin."""
