"""Configuration says what it reads: every setting the code reads has a default and a README
row, and values given as text are read once, by the type of their default."""

from __future__ import annotations

import pathlib
import re
from datetime import timedelta

import pytest

from registry import create_app
from registry.config import DEFAULTS, PATH_KEYS

ROOT = pathlib.Path(__file__).resolve().parents[1]
READS = re.compile(r"""config(?:\[|\.get\()\s*["'](REGISTRY_[A-Z0-9_]+)["']""")


def _read_by_the_code() -> set[str]:
    return {
        key for path in (ROOT / "registry").rglob("*.py") for key in READS.findall(path.read_text())
    }


def _settings() -> set[str]:
    return {key for key in [*DEFAULTS, *PATH_KEYS] if key.startswith("REGISTRY_")}


def test_every_setting_the_code_reads_has_a_default():
    assert _read_by_the_code() - _settings() == set()


def test_every_setting_is_in_the_readme_configuration_table():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    assert {key for key in _settings() if f"`{key}`" not in table} == set()


def _app(monkeypatch, tmp_path, **environment):
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    return create_app(
        {"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3"}
    )


def test_text_values_are_read_by_the_type_of_their_default(monkeypatch, tmp_path):
    app = _app(
        monkeypatch,
        tmp_path,
        REGISTRY_SECURE_COOKIES="false",
        REGISTRY_MINIO_SECURE="Yes",
        REGISTRY_ASPECT_TOLERANCE="0.05",
        REGISTRY_PAGE_SIZE="40",
    )
    assert app.config["REGISTRY_SECURE_COOKIES"] is False
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["REGISTRY_MINIO_SECURE"] is True
    assert app.config["REGISTRY_ASPECT_TOLERANCE"] == 0.05
    assert app.config["REGISTRY_PAGE_SIZE"] == 40


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("REGISTRY_SECURE_COOKIES", "maybe", "REGISTRY_SECURE_COOKIES must be true or false"),
        ("REGISTRY_PAGE_SIZE", "many", "REGISTRY_PAGE_SIZE must be a number"),
        ("REGISTRY_STORAGE", "s3", "REGISTRY_STORAGE must be 'local' or 'minio'"),
    ],
)
def test_an_unclear_setting_stops_the_start_naming_it(monkeypatch, tmp_path, key, value, message):
    with pytest.raises(ValueError, match=message):
        _app(monkeypatch, tmp_path, **{key: value})


def test_the_public_minio_endpoint_is_settable_from_the_environment(monkeypatch, tmp_path):
    app = _app(
        monkeypatch,
        tmp_path,
        REGISTRY_STORAGE="minio",
        REGISTRY_MINIO_ENDPOINT="minio:9000",
        REGISTRY_MINIO_ACCESS_KEY="a",
        REGISTRY_MINIO_SECRET_KEY="b",
        REGISTRY_MINIO_PUBLIC_ENDPOINT="https://files.example.org",
    )
    store = app.extensions["registry_store"]
    url = store.presigned_url("approved", "x.png", expires=timedelta(minutes=1))
    assert url.startswith("https://files.example.org/registry-approved/x.png?")
