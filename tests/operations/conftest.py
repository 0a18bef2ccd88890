"""Whole registry instances of their own (database and store), for backup and restore."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from minio import Minio
from minio.deleteobjects import DeleteObject

from registry import create_app
from registry.auth.models import User
from registry.auth.operations import create_user
from registry.clock import local_today
from registry.displays.operations import record_on_site
from registry.extensions import db
from registry.refdata import load_reference_data
from registry.reviews.operations import add_annotation
from registry.submissions import ingest, operations
from registry.workflow import apply_transition
from tests import images
from tests.conftest import SECRET, _minio_client
from tests.factories import (
    DEPARTMENT,
    LAT,
    LON,
    PASSWORD,
    UNIT_A,
    answer_all,
    campaign,
    fail_one,
    unit,
    upload,
)
from tests.services import DATABASE_KEY, MINIO_KEYS, require_services


def _empty_and_remove(client: Minio, bucket: str) -> None:
    """Delete every version in bucket (past governance retention), then the bucket."""
    if not client.bucket_exists(bucket):
        return
    versions = client.list_objects(bucket, recursive=True, include_version=True)
    doomed = [DeleteObject(o.object_name or "", o.version_id) for o in versions]
    assert not list(client.remove_objects(bucket, doomed, bypass_governance_mode=True))
    client.remove_bucket(bucket)


@pytest.fixture(params=["embedded", "services"])
def stack(request) -> str:
    """Which stack the instances run on: SQLite + files, or PostgreSQL + MinIO."""
    if request.param == "services":
        require_services(DATABASE_KEY, *MINIO_KEYS)
    return request.param


@pytest.fixture
def make_instance(stack, tmp_path) -> Iterator[Callable[..., Flask]]:
    """Build registry apps each on a new, empty database and store; remove them afterwards."""
    made: list[tuple[Flask, str | None]] = []
    settings = require_services(DATABASE_KEY, *MINIO_KEYS) if stack == "services" else {}
    admin = (
        sa.create_engine(settings[DATABASE_KEY], isolation_level="AUTOCOMMIT") if settings else None
    )

    def make(**overrides) -> Flask:
        tag = secrets.token_hex(4)
        database = None
        if stack == "embedded":
            config = {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / f'{tag}.sqlite3'}",
                "REGISTRY_STORAGE": "local",
                "REGISTRY_LOCAL_STORAGE_PATH": str(tmp_path / f"{tag}-storage"),
            }
        else:
            database = f"ops_{tag}"
            with admin.connect() as connection:
                connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
            url = sa.engine.make_url(settings[DATABASE_KEY]).set(database=database)
            config = {
                "SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
                "REGISTRY_STORAGE": "minio",
                "REGISTRY_MINIO_ENDPOINT": settings["REGISTRY_TEST_MINIO_ENDPOINT"],
                "REGISTRY_MINIO_ACCESS_KEY": settings["REGISTRY_TEST_MINIO_ACCESS_KEY"],
                "REGISTRY_MINIO_SECRET_KEY": settings["REGISTRY_TEST_MINIO_SECRET_KEY"],
                "REGISTRY_UPLOADS_BUCKET": f"ops-{tag}-uploads",
                "REGISTRY_APPROVED_BUCKET": f"ops-{tag}-approved",
            }
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": SECRET,
                "REGISTRY_PASSWORD_HASH": "scrypt:2048:8:1",
                **config,
                **overrides,
            }
        )
        made.append((app, database))
        return app

    yield make
    for app, database in made:
        if "registry_huey" in app.extensions:  # the queue keeps its own connection
            app.extensions["registry_huey"].storage.close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
            endpoint = settings.get("REGISTRY_TEST_MINIO_ENDPOINT")
            if database and app.config["REGISTRY_MINIO_ENDPOINT"] == endpoint:
                for key in ("REGISTRY_UPLOADS_BUCKET", "REGISTRY_APPROVED_BUCKET"):
                    _empty_and_remove(_minio_client(app), app.config[key])
        if database:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE "{database}" WITH (FORCE)'))
    if admin is not None:
        admin.dispose()


def initialise(app: Flask) -> None:
    """What `registry init` does: migrate, load the reference data, create the buckets."""
    with app.app_context():
        upgrade()
        load_reference_data()
        db.session.commit()
        app.extensions["registry_store"].ensure_buckets()


def _user(role: str, unit_code: str, name: str) -> User:
    user = create_user(None, name, PASSWORD, role, unit(unit_code), full_name=name.title())
    db.session.flush()
    return user


def _submission(designer: User, title: str, artwork: bytes, print_file: bytes | None = None):
    c = campaign()
    submission = operations.create_submission(
        designer,
        c,
        c.active_slogans[:1],
        title=title,
        format="pano",
        scope="unit",
        width_cm=300,
        height_cm=200,
        other_text="",
        description="",
    )
    db.session.flush()
    ingest.add_version(
        designer,
        submission,
        upload(artwork),
        upload(print_file, "ban-in.pdf") if print_file else None,
    )
    start = local_today()
    operations.add_placement(
        designer,
        submission,
        designer.unit,
        address="Số 1 Trần Hưng Đạo",
        lat=LAT,
        lon=LON,
        site_type="main_road",
        quantity=1,
        display_from=start,
        display_to=start + timedelta(days=30),
    )
    db.session.commit()
    return submission


def populate(app: Flask, *, on_site: bool = True) -> None:
    """A day's worth of records: an approved asset with its print file (under retention),
    installed on site with a photo (unless on_site is False), a returned submission with
    pinned comments and a second version, a draft."""
    with app.app_context():
        designer = _user("designer", UNIT_A, "thietke")
        reviewer = _user("reviewer", DEPARTMENT, "thamdinh")
        locality = _user("locality", UNIT_A, "diaphuong")
        db.session.commit()

        approved = _submission(
            designer, "Pano Kết luận 288", images.png_bytes(1500, 1000), images.pdf_bytes()
        )
        for action in ("submit", "claim"):
            apply_transition(designer if action == "submit" else reviewer, approved, action)
            db.session.commit()
        answer_all(reviewer, approved)
        apply_transition(reviewer, approved, "approve", comment="Đạt yêu cầu.")
        db.session.commit()
        if on_site:
            photo = upload(images.jpeg_bytes(320, 240), "hien-truong.jpg")
            placement = approved.placements[0]
            record_on_site(locality, placement, "install", [photo], lat=LAT, lon=LON)
            db.session.commit()

        returned = _submission(designer, "Băng rôn chào mừng", images.png_bytes(1200, 800))
        for action in ("submit", "claim"):
            apply_transition(designer if action == "submit" else reviewer, returned, action)
            db.session.commit()
        fail_one(reviewer, returned)
        add_annotation(reviewer, returned.versions[0], 0.25, 0.75, "Sửa lại khẩu hiệu ở đây.")
        add_annotation(reviewer, returned.versions[0], 0.5, 0.1, "Chữ quá nhỏ.")
        apply_transition(reviewer, returned, "request_changes", comment="Cần sửa.")
        db.session.commit()
        ingest.add_version(designer, returned, upload(images.png_bytes(1260, 840)))
        db.session.commit()

        _submission(designer, "Phướn bản nháp", images.png_bytes(900, 600))
