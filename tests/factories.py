"""Factories that build rows through the registry's own operations, and a sign-in helper."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from registry.auth.models import User
from registry.auth.operations import create_user
from registry.campaigns.models import Campaign
from registry.db import utcnow
from registry.extensions import db
from registry.submissions import ingest, operations
from registry.units.models import Unit
from tests import images

PASSWORD = "mat-khau-thu-nghiem"
UNIT_A = "30307"  # Phường Long Xuyên
UNIT_B = "30292"  # Phường Bình Đức
DEPARTMENT = "SVHTT-QLVH"
# Display periods start a week from today, so that tests do not age.
SOON = utcnow().date() + timedelta(days=7)
# A point inside Phường Long Xuyên.
LAT, LON = 10.3866, 105.4352


def unit(code: str) -> Unit:
    return db.session.scalar(sa.select(Unit).where(Unit.code == code))


def campaign() -> Campaign:
    return db.session.scalar(sa.select(Campaign).where(Campaign.code == "KL288-2026"))


@pytest.fixture
def make_user(ctx):
    counter = {"n": 0}

    def make(
        role: str = "designer",
        unit_code: str = UNIT_A,
        username: str | None = None,
        password: str = PASSWORD,
    ) -> User:
        counter["n"] += 1
        user = create_user(
            None,
            username or f"{role}{counter['n']}",
            password,
            role,
            unit(unit_code),
            full_name=f"{role.title()} {counter['n']}",
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client):
    from tests.conftest import csrf_token

    def do(user: User, password: str = PASSWORD, *, expect_ok: bool = True):
        token = csrf_token(client, "/login")
        response = client.post(
            "/login", data={"username": user.username, "password": password, "csrf_token": token}
        )
        if expect_ok:
            assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do


@pytest.fixture
def token_for(client):
    def issue(user: User, password: str = PASSWORD) -> dict:
        response = client.post(
            "/api/v1/auth/token", json={"username": user.username, "password": password}
        )
        assert response.status_code == 200, response.json
        return {"Authorization": f"Bearer {response.json['token']}"}

    return issue


def upload(data: bytes, name: str = "mau.png") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


@pytest.fixture
def make_submission(ctx):
    def make(
        designer: User,
        *,
        title: str = "Pano tuyên truyền Kết luận 288",
        scope: str = "unit",
        fmt: str = "pano",
        width_cm: float = 300,
        height_cm: float = 200,
        artwork: bytes | None = None,
        placements: int = 1,
        slogan_count: int = 1,
        other_text: str = "",
        display_from: date = SOON,
    ):
        c = campaign()
        submission = operations.create_submission(
            designer,
            c,
            c.active_slogans[:slogan_count],
            title=title,
            format=fmt,
            scope=scope,
            width_cm=width_cm,
            height_cm=height_cm,
            other_text=other_text,
            description="",
        )
        db.session.flush()
        if artwork is not False:
            ingest.add_version(
                designer, submission, upload(artwork or images.png_bytes(1500, 1000))
            )
        for i in range(placements):
            operations.add_placement(
                designer,
                submission,
                designer.unit,
                address=f"Số {i + 1} Trần Hưng Đạo",
                lat=LAT + i * 0.01,
                lon=LON,
                site_type="main_road",
                quantity=1,
                display_from=display_from,
                display_to=display_from + timedelta(days=30),
            )
        db.session.commit()
        return submission

    return make


def answer_all(reviewer: User, submission, result: str = "pass") -> None:
    """Answer every checklist item of the open review; automatic fails are overridden with a
    comment, as a reviewer would."""
    from registry.reviews.operations import current_review, save_answers

    review = current_review(submission)
    save_answers(
        reviewer,
        review,
        [
            {
                "item": a.item.code,
                "result": result,
                "comment": "" if a.automatic_result in (None, result) else "Đã xem xét, chấp nhận.",
            }
            for a in review.answers
        ],
    )


def fail_one(
    reviewer: User, submission, code: str = "CT-11", comment: str = "Sai nội dung."
) -> None:
    from registry.reviews.operations import current_review, save_answers

    save_answers(
        reviewer, current_review(submission), [{"item": code, "result": "fail", "comment": comment}]
    )


@pytest.fixture
def advance(ctx):
    """Move a submission through the real workflow to the wanted state."""
    from registry.workflow import apply_transition

    def to(submission, state: str, designer: User, reviewer: User):
        path = {
            "draft": [],
            "submitted": ["submit"],
            "in_review": ["submit", "claim"],
            "approved": ["submit", "claim", "approve"],
            "changes_requested": ["submit", "claim", "request_changes"],
            "rejected": ["submit", "claim", "reject"],
            "withdrawn": ["withdraw"],
            "revoked": ["submit", "claim", "approve", "revoke"],
        }[state]
        for action in path:
            actor = designer if action in ("submit", "withdraw") else reviewer
            if action == "approve":
                answer_all(reviewer, submission)
            if action in ("request_changes", "reject"):
                fail_one(reviewer, submission)
            apply_transition(
                actor, submission, action, comment="Lý do thu hồi" if action == "revoke" else ""
            )
            db.session.commit()
        return submission

    return to
