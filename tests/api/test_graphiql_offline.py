"""GraphiQL works without internet access: the page names no other host, and
every script and stylesheet it loads is served by the app itself from files
shipped inside the package, with its license beside it."""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from core.api.ide import ASSET_DIRECTORY, ASSET_PATH, IMMUTABLE, graphiql_csp
from core.app import create_app
from tests.conftest import make_settings

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css"}
ROOT = Path(__file__).resolve().parents[2]


class References(HTMLParser):
    """Every address the page makes the browser fetch: script src, link href, any src."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and (name == "src" or (tag == "link" and name == "href")):
                self.found.append((tag, value))


def references(html: str) -> list[tuple[str, str]]:
    parser = References()
    parser.feed(html)
    return parser.found


@pytest.fixture(scope="module")
def development(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    directory = tmp_path_factory.mktemp("graphiql")
    with TestClient(create_app(make_settings(f"sqlite:///{directory / 'jiceng.sqlite3'}"))) as client:
        yield client


@pytest.fixture(scope="module")
def page(development: TestClient) -> str:
    response = development.get("/graphql", headers={"accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    return response.text


def test_the_page_names_no_other_host(page: str) -> None:
    found = references(page)
    assert {tag for tag, _ in found} == {"script", "link"}
    for _tag, address in found:
        # Same origin: a path on this server, never a scheme or a //host.
        assert address.startswith(f"{ASSET_PATH}/") and not address.startswith("//"), address
    assert "http://" not in page and "https://" not in page and "unpkg" not in page


def test_every_asset_the_page_loads_is_served_from_the_package(development: TestClient, page: str) -> None:
    for _tag, address in references(page):
        response = development.get(address)
        assert response.status_code == 200, address
        suffix = Path(address).suffix
        assert response.headers["content-type"].split(";")[0] == CONTENT_TYPES[suffix], address
        # A versioned path never changes: browsers keep the file instead of asking again.
        assert response.headers["cache-control"] == IMMUTABLE
        assert response.headers["x-content-type-options"] == "nosniff"
        shipped = ASSET_DIRECTORY / address.removeprefix(f"{ASSET_PATH}/")
        assert response.content == shipped.read_bytes() and response.content
        # Each package's license ships and is served beside its files.
        assert development.get(address.rsplit("/", 1)[0] + "/LICENSE").status_code == 200
        # A browser checking its copy hears that it is still good, and may keep it as long.
        again = development.get(address, headers={"if-none-match": response.headers["etag"]})
        assert again.status_code == 304 and again.headers["cache-control"] == IMMUTABLE


def test_the_react_and_graphiql_builds_are_the_minified_browser_builds(page: str) -> None:
    addresses = [address for _tag, address in references(page)]
    assert any(a.endswith("/react.production.min.js") for a in addresses)
    assert any(a.endswith("/react-dom.production.min.js") for a in addresses)
    assert any(a.endswith("/graphiql.min.js") for a in addresses)
    assert any(a.endswith("/graphiql.min.css") for a in addresses)
    assert not list(ASSET_DIRECTORY.rglob("*.map"))


def test_the_content_policy_allows_this_origin_only(development: TestClient) -> None:
    policy = development.get("/graphql", headers={"accept": BROWSER_ACCEPT}).headers["content-security-policy"]
    assert policy == graphiql_csp()
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    sources = [source for values in directives.values() for source in values]
    # Only keywords, hashes and data: (fonts inside the stylesheet): no host at all.
    assert all(source.startswith("'") or source == "data:" for source in sources), sources
    assert directives["script-src"][0] == "'self'"
    assert all(source.startswith("'sha256-") for source in directives["script-src"][1:])


def test_unknown_assets_and_folders_are_not_found(development: TestClient) -> None:
    assert development.get(f"{ASSET_PATH}/react-18.3.1/nope.js").status_code == 404
    assert development.get(f"{ASSET_PATH}/react-18.3.1/").status_code == 404
    assert development.get(f"{ASSET_PATH}/../ide.py").status_code == 404


def test_no_assets_in_production(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'jiceng.sqlite3'}", production=True, rate_limit_requests=0)
    with TestClient(create_app(settings)) as client:
        assert client.get(f"{ASSET_PATH}/react-18.3.1/react.production.min.js").status_code == 404


def test_the_wheel_includes_every_asset_and_license() -> None:
    """The package data globs of pyproject.toml match every shipped file, so a
    wheel install serves the same page as a checkout."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["core.api"]
    package = ASSET_DIRECTORY.parents[1]
    shipped = [path.relative_to(package).as_posix() for path in ASSET_DIRECTORY.rglob("*") if path.is_file()]
    assert shipped
    for name in shipped:
        assert any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns), name
    for folder in (path for path in ASSET_DIRECTORY.iterdir() if path.is_dir()):
        assert (folder / "LICENSE").is_file(), folder
