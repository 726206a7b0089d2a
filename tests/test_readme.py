"""The README runs as written: every ```graphql block and every ```sh block
that calls curl, in order, against ``jiceng serve --demo`` started here on a
free port (SQLite, the demo's own database).

Conventions the README's examples follow (so that they cannot drift):

- a GraphQL example that needs a signed-in user says so in its first line,
  ``# as <role>`` (the demo account of that role, password ``jiceng-demo-2026``);
  without it the example runs anonymously;
- a variable ``$name`` takes the first ``id`` found under the field named
  ``name`` (or beginning with it: ``$resident`` → ``residents``) in the newest
  earlier result that has one — the example before it obtains it;
- every example must answer without ``errors`` and with empty ``userErrors``;
- shell examples run with bash (``set -euo pipefail``) in one directory, each
  seeing the variables the earlier ones set; ``http://127.0.0.1:8000`` is the
  server. Shell blocks without curl (installing, serving, testing) are not run.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from core.demo.people import DEMO_PASSWORD
from graphql import OperationDefinitionNode, parse

README = Path(__file__).resolve().parents[1] / "README.md"
README_SERVER = "http://127.0.0.1:8000"
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[ \t]*$")
ROLE = re.compile(r"^\s*#\s*as\s+([a-z_]+)\b")
START_SECONDS = 300


@dataclass(frozen=True)
class Block:
    lang: str
    text: str
    line: int


def readme_blocks(path: Path = README) -> list[Block]:
    """The fenced blocks of the README, in order, dedented by their fence."""
    blocks: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opened = FENCE.match(lines[index])
        if not opened:
            index += 1
            continue
        indent, lang, start = opened["indent"], opened["lang"], index + 1
        index += 1
        body: list[str] = []
        while index < len(lines) and lines[index].strip() != "```":
            line = lines[index]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            index += 1
        index += 1
        blocks.append(Block(lang, "\n".join(body) + "\n", start))
    return blocks


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``jiceng serve --demo`` on a free port, in an empty directory."""
    workdir = tmp_path_factory.mktemp("readme")
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("JICENG_")}
    environment["JICENG_DOCUMENTS_PATH"] = str(workdir / "documents")
    command = [
        sys.executable, "-m", "core.cli", "serve", "--demo", "--port", str(port),
        "--database-url", f"sqlite:///{workdir / 'demo.sqlite3'}",
    ]  # fmt: skip
    log = (workdir / "server.log").open("w", encoding="utf-8")
    server = subprocess.Popen(command, cwd=workdir, env=environment, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while _get(base + "/readyz") != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("jiceng serve --demo did not start:\n" + (workdir / "server.log").read_text()[-3000:])
            time.sleep(0.5)
        yield base, workdir
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _post(base: str, query: str, variables: dict[str, Any], token: str | None) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables}).encode("utf-8")
    request = urllib.request.Request(base + "/graphql", data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read().decode("utf-8"))


def _first_id(value: Any) -> str | None:
    children: Iterable[Any]
    if isinstance(value, dict):
        if isinstance(value.get("id"), str):
            return str(value["id"])
        children = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return None
    for child in children:
        found = _first_id(child)
        if found:
            return found
    return None


def _find(value: Any, name: str) -> str | None:
    """The first id under a field called ``name`` (or beginning with it)."""
    if isinstance(value, dict):
        for key, child in value.items():
            if key == name or key.startswith(name):
                found = _first_id(child)
                if found:
                    return found
        for child in value.values():
            found = _find(child, name)
            if found:
                return found
    elif isinstance(value, list):
        for child in value:
            found = _find(child, name)
            if found:
                return found
    return None


def _user_errors(data: Any) -> list[Any]:
    if isinstance(data, dict):
        found = list(data.get("userErrors") or [])
        for key, child in data.items():
            if key != "userErrors":
                found += _user_errors(child)
        return found
    if isinstance(data, list):
        return [error for child in data for error in _user_errors(child)]
    return []


def test_the_readme_runs_verbatim(demo_server: tuple[str, Path]) -> None:
    base, workdir = demo_server
    results: list[dict[str, Any]] = []
    tokens: dict[str, str] = {}
    shell_environment = {k: v for k, v in os.environ.items() if not k.startswith("JICENG_")}
    ran = {"graphql": 0, "sh": 0}
    for block in readme_blocks():
        where = f"README.md line {block.line}"
        if block.lang == "graphql":
            role = ROLE.match(block.text)
            token = None
            if role:
                code = role.group(1)
                if code not in tokens:
                    login = _post(
                        base,
                        "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }",
                        {"u": code, "p": DEMO_PASSWORD},
                        None,
                    )
                    assert login["data"]["login"]["token"], (where, login)
                    tokens[code] = login["data"]["login"]["token"]
                token = tokens[code]
            operation = next(d for d in parse(block.text).definitions if isinstance(d, OperationDefinitionNode))
            variables: dict[str, Any] = {}
            for definition in operation.variable_definitions or ():
                name = definition.variable.name.value
                value = next((found for result in reversed(results) if (found := _find(result, name))), None)
                assert value is not None, f"{where}: no earlier example gives ${name}"
                variables[name] = value
            answer = _post(base, block.text, variables, token)
            assert "errors" not in answer, (where, answer.get("errors"))
            assert _user_errors(answer["data"]) == [], (where, answer["data"])
            results.append(answer["data"])
            ran["graphql"] += 1
        elif block.lang in ("sh", "bash", "shell") and "curl " in block.text:
            script = block.text.replace(README_SERVER, base)
            dump = workdir / "environment"
            done = subprocess.run(
                ["bash", "-c", f"set -euo pipefail -o allexport\n{script}\nenv -0 > {dump}"],
                cwd=workdir, env=shell_environment, capture_output=True, text=True, timeout=120, check=False,
            )  # fmt: skip
            assert done.returncode == 0, (where, done.stdout[-2000:], done.stderr[-2000:])
            # A GraphQL answer with errors, or a download refusal ({"code": …, "message": …}), is a failure.
            assert '"errors"' not in done.stdout and '"message"' not in done.stdout, (where, done.stdout[-2000:])
            shell_environment = dict(
                item.split("=", 1) for item in dump.read_text(encoding="utf-8").split("\0") if "=" in item
            )
            ran["sh"] += 1
    assert ran["graphql"] >= 4 and ran["sh"] >= 2, ran
