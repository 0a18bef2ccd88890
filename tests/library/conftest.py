"""Approved assets made through the real workflow, and raw access to the stores behind the app."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from minio.deleteobjects import DeleteObject

from registry.clock import local_today
from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.storage import LocalStore
from registry.submissions import ingest
from registry.workflow import apply_transition
from tests import images
from tests.conftest import _minio_client
from tests.factories import DEPARTMENT, UNIT_A, UNIT_B, answer_all, upload

DEPARTMENT_DESIGNERS = "SVHTT-TTBCXB"  # a Department unit that makes province templates


@pytest.fixture
def people(make_user):
    people = {
        "designer_a": make_user("designer", UNIT_A),
        "designer_b": make_user("designer", UNIT_B),
        "designer_so": make_user("designer", DEPARTMENT_DESIGNERS),
        "locality_a": make_user("locality", UNIT_A),
        "locality_b": make_user("locality", UNIT_B),
        "reviewer": make_user("reviewer", DEPARTMENT),
        "admin": make_user("admin", "SVHTT-VP"),
    }
    # Full names apart from user names, as people have: the approver's name is public (the
    # approval document prints it), their user name is not.
    for n, user in enumerate(people.values(), start=1):
        user.full_name = f"Nguyễn Văn Người Dùng Số {n}"
    db.session.commit()
    return people


@pytest.fixture
def approve(people, make_submission):
    """Take a new submission through submit, claim, a passing checklist and approve.

    Its display period starts today, so the asset is valid; pass display_from for another.
    """

    def make(
        designer=None,
        *,
        title: str = "Pano tuyên truyền Kết luận 288",
        scope: str = "unit",
        print_file: bytes | None = None,
        artwork: bytes | None = None,
        **fields,
    ) -> ApprovedAsset:
        designer = designer or people["designer_a"]
        reviewer = people["reviewer"]
        placements = 0 if scope == "province" else fields.pop("placements", 1)
        fields.setdefault("display_from", local_today())
        submission = make_submission(
            designer, title=title, scope=scope, placements=placements, artwork=None, **fields
        )
        ingest.add_version(
            designer,
            submission,
            upload(artwork or images.png_bytes(1500, 1000)),
            upload(print_file, "ban-in.pdf") if print_file else None,
        )
        db.session.commit()
        submit_and_claim(designer, reviewer, submission)
        answer_all(reviewer, submission)
        apply_transition(reviewer, submission, "approve", comment="Đạt yêu cầu.")
        db.session.commit()
        return db.session.scalar(
            sa.select(ApprovedAsset).where(ApprovedAsset.submission_id == submission.id)
        )

    return make


def submit_and_claim(designer, reviewer, submission) -> None:
    apply_transition(designer, submission, "submit")
    db.session.commit()
    apply_transition(reviewer, submission, "claim")
    db.session.commit()


def bucket(app, area: str) -> str:
    return app.config[
        "REGISTRY_UPLOADS_BUCKET" if area == "uploads" else "REGISTRY_APPROVED_BUCKET"
    ]


def local_path(app, area: str, key: str) -> Path:
    return Path(app.config["REGISTRY_LOCAL_STORAGE_PATH"]) / bucket(app, area) / key


def is_local(app) -> bool:
    return isinstance(app.extensions["registry_store"], LocalStore)


def raw_delete(app, area: str, key: str) -> None:
    """Remove an object behind the app's back, past any retention (as a careless admin might)."""
    if is_local(app):
        local_path(app, area, key).unlink()
        return
    client = _minio_client(app)
    versions = client.list_objects(bucket(app, area), prefix=key, include_version=True)
    doomed = [DeleteObject(o.object_name, o.version_id) for o in versions if o.object_name == key]
    errors = list(client.remove_objects(bucket(app, area), doomed, bypass_governance_mode=True))
    assert not errors, errors


def raw_overwrite(app, area: str, key: str, data: bytes) -> None:
    """Replace an object's bytes behind the app's back, keeping its recorded metadata."""
    if is_local(app):
        local_path(app, area, key).write_bytes(data)
        return
    client = _minio_client(app)
    info = client.stat_object(bucket(app, area), key)
    metadata = {
        k.removeprefix("x-amz-meta-"): v
        for k, v in info.metadata.items()
        if k.lower().startswith("x-amz-meta-")
    }
    client.put_object(bucket(app, area), key, io.BytesIO(data), len(data), metadata=metadata)
