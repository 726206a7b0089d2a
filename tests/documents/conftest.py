"""Documents are tested on both databases and on both storage backends: a
directory, and a real S3-protocol server (moto) started on 127.0.0.1."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from core.app import Deployment, build_deployment
from core.org import service as org_service
from tests.conftest import empty_tables, make_settings

STORAGES = ("local", "s3")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_settings(endpoint: str) -> dict[str, Any]:
    """Settings of a fresh bucket on the test server."""
    import boto3

    bucket = f"jiceng-{uuid.uuid4().hex[:12]}"
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials).create_bucket(Bucket=bucket)
    return {
        "documents_storage": "s3",
        "documents_s3_bucket": bucket,
        "documents_s3_endpoint_url": endpoint,
        "documents_s3_region": "us-east-1",
        "documents_s3_prefix": "jiceng",
        "documents_s3_access_key_id": "testing",
        "documents_s3_secret_access_key": "testing",
    }


@pytest.fixture(params=STORAGES)
def storage_settings(request: pytest.FixtureRequest, tmp_path: Any) -> dict[str, Any]:
    if request.param == "local":
        return {"documents_storage": "local", "documents_path": str(tmp_path / "documents")}
    return s3_settings(request.getfixturevalue("s3_endpoint"))


@pytest.fixture
def deployment(core_database_url: str, storage_settings: dict[str, Any]) -> Iterator[Deployment]:
    deployment = build_deployment(make_settings(core_database_url, **storage_settings))
    yield deployment
    empty_tables(deployment)
    deployment.dispose()


# A street with a community, and a community of another street.
@dataclass
class Tree:
    street: int
    community: int
    other_street_community: int


@pytest.fixture
def tree(deployment: Deployment) -> Tree:
    with deployment.session_factory() as session, session.begin():

        def add(name: str, level: str, parent: int | None) -> int:
            return org_service.create_unit(session, deployment.settings, name=name, level=level, parent_id=parent).id

        city = add("青岛市", "city", None)
        district = add("市南区", "district", city)
        street = add("八大峡街道", "street", district)
        community = add("团岛社区", "community", street)
        other_street = add("云南路街道", "street", district)
        other = add("云南路社区", "community", other_street)
    return Tree(street=street, community=community, other_street_community=other)
