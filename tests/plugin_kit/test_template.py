"""The plugin project template (templates/plugin, cookiecutter format)
generates a plugin whose own tests pass at once: rendered here as
cookiecutter renders it, installed into a temporary directory (never the
environment) and tested in a subprocess on SQLite and PostgreSQL through the
jiceng pytest plugin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from jinja2 import Environment, StrictUndefined

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "plugin"


def render(template: Path, target: Path, **answers: str) -> Path:
    """The project cookiecutter would generate from ``template`` with these answers."""
    environment = Environment(undefined=StrictUndefined, keep_trailing_newline=True)
    context: dict[str, str] = {}
    for key, default in json.loads((template / "cookiecutter.json").read_text(encoding="utf-8")).items():
        value = answers.get(key, default)
        context[key] = environment.from_string(value).render(cookiecutter=context)
    (project_template,) = [path for path in template.iterdir() if path.is_dir() and "{{" in path.name]
    project = target / environment.from_string(project_template.name).render(cookiecutter=context)
    for source in sorted(project_template.rglob("*")):
        if "__pycache__" in source.parts or source.suffix == ".pyc":
            continue
        relative = environment.from_string(str(source.relative_to(project_template))).render(cookiecutter=context)
        destination = project / relative
        if source.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        text = environment.from_string(source.read_text(encoding="utf-8")).render(cookiecutter=context)
        destination.write_text(text, encoding="utf-8")
    return project


def test_the_template_generates_a_plugin_whose_tests_pass(tmp_path: Path) -> None:
    project = render(TEMPLATE, tmp_path, plugin_name="volunteer_hours", title="志愿服务时长")
    assert project.name == "jiceng-volunteer-hours"
    assert (project / "jiceng_volunteer_hours" / "migrations" / "versions" / "volunteer_hours_0001_entry.py").is_file()
    assert "{{" not in "".join(p.read_text(encoding="utf-8") for p in project.rglob("*.py"))

    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "--quiet", "--target", str(site), str(project)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr

    environment = {k: v for k, v in os.environ.items() if not k.startswith(("JICENG_", "PYTEST_"))}
    environment["PYTHONPATH"] = os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])])
    environment["CI"] = os.environ.get("CI", "")
    for name in ("JICENG_TEST_POSTGRES_URL",):
        if name in os.environ:
            environment[name] = os.environ[name]
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(project / "tests")],
        capture_output=True, text=True, check=False, cwd=project, env=environment,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    # Three tests, each on both databases (none skipped).
    assert "6 passed" in tests.stdout, tests.stdout[-2000:]
