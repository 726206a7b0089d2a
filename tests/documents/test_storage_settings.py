"""The ``[documents]`` settings choose the storage."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.documents.storage import LocalStorage, storage_for
from core.settings import SettingsError, load_settings


def test_documents_table_and_environment(tmp_path: Path) -> None:
    config = tmp_path / "jiceng.toml"
    config.write_text('[documents]\nstorage = "local"\npath = "/srv/jiceng/files"\nmax_request_bytes = 5000000\n')
    settings = load_settings(config, environ={})
    assert (settings.documents_storage, settings.documents_path, settings.documents_max_request_bytes) == (
        "local",
        "/srv/jiceng/files",
        5_000_000,
    )
    storage = storage_for(settings)
    assert isinstance(storage, LocalStorage) and storage.root == Path("/srv/jiceng/files")
    overridden = load_settings(
        config, environ={"JICENG_DOCUMENTS_STORAGE": "s3", "JICENG_DOCUMENTS_S3_BUCKET": "files"}
    )
    assert (overridden.documents_storage, overridden.documents_s3_bucket) == ("s3", "files")


def test_unusable_storage_settings_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError):
        load_settings(tmp_path / "none.toml", environ={"JICENG_DOCUMENTS_STORAGE": "ftp"})
    with pytest.raises(SettingsError):
        storage_for(load_settings(tmp_path / "none.toml", environ={"JICENG_DOCUMENTS_STORAGE": "s3"}))
