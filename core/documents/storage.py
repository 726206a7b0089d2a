"""Where document files are kept: one small interface, two backends.

``local`` (the default) is a directory on this machine, nothing to
install. ``s3`` is any S3-compatible object store (MinIO, Alibaba OSS,
Tencent COS, AWS) through boto3, installed with the ``[s3]`` extra. Keys
are opaque and never reused; the database row says which record a file
belongs to.
"""

from __future__ import annotations

import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from core.settings import Settings, SettingsError

LOCAL = "local"
S3 = "s3"
STORAGE_KINDS = (LOCAL, S3)
_KEY = re.compile(r"^[a-z0-9][a-z0-9/_-]{0,199}$")


class StoredFileMissing(LookupError):
    """The storage has no file under the key."""


class Storage(Protocol):
    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...


def _checked(key: str) -> str:
    # Keys are made by the service; anything else (a "..") never reaches a path.
    if not _KEY.match(key) or ".." in key:
        raise ValueError(f"invalid storage key {key!r}")
    return key


class LocalStorage:
    """Files under one directory; written to a temporary name and renamed,
    so a reader never sees half a file."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise StoredFileMissing(key) from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


class S3Storage:
    """Objects in one bucket (under ``prefix``) of an S3-compatible store."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def _name(self, key: str) -> str:
        return self.prefix + _checked(key)

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data)

    def get(self, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except self.client.exceptions.NoSuchKey:
            raise StoredFileMissing(key) from None
        return response["Body"].read()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True


@lru_cache(maxsize=8)
def _s3(
    endpoint_url: str | None,
    region: str | None,
    access_key: str | None,
    secret_key: str | None,
    bucket: str,
    prefix: str,
) -> S3Storage:
    try:
        import boto3
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise SettingsError("documents.storage = \"s3\" needs boto3: pip install 'jiceng[s3]'") from exc
    client = boto3.client(
        "s3",
        endpoint_url=endpoint_url or None,
        region_name=region or None,
        aws_access_key_id=access_key or None,
        aws_secret_access_key=secret_key or None,
    )
    return S3Storage(client, bucket, prefix)


def storage_for(settings: Settings) -> Storage:
    """The storage the deployment's settings choose."""
    if settings.documents_storage == LOCAL:
        return LocalStorage(settings.documents_path)
    if not settings.documents_s3_bucket:
        raise SettingsError('documents.storage = "s3" needs documents.s3_bucket')
    return _s3(
        settings.documents_s3_endpoint_url,
        settings.documents_s3_region,
        settings.documents_s3_access_key_id,
        settings.documents_s3_secret_access_key,
        settings.documents_s3_bucket,
        settings.documents_s3_prefix,
    )
