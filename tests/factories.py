"""Factories that build rows through the registry's own operations, and a sign-in helper.

Each factory is a plain function (usable wherever an app context is open, e.g. by a world
built once per stack) and a fixture over a fresh database (`ctx`). The people fixtures have one
meaning everywhere: `designer` is a designer of unit A, `reviewer` a reviewer of the Department,
neither signed in; `signed_in_designer` is the designer, signed in on `client`.
"""

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
from registry.reviews.operations import current_review, save_answers
from registry.submissions import ingest, operations
from registry.submissions.models import Submission
from registry.units.models import Unit
from registry.workflow import apply_transition
from tests import images
from tests.conftest import csrf_token

PASSWORD = "mat-khau-thu-nghiem"
UNIT_A = "30307"  # Phường Long Xuyên
UNIT_B = "30292"  # Phường Bình Đức
DEPARTMENT = "SVHTT-QLVH"
# Display periods start a week from today, so that tests do not age.
SOON = utcnow().date() + timedelta(days=7)
# A point inside Phường Long Xuyên.
LAT, LON = 10.3866, 105.4352
# The artwork a submission gets unless a test says otherwise: 1500 × 1000 px.
ARTWORK = images.png_bytes(1500, 1000)


def unit(code: str) -> Unit:
    return db.session.scalar(sa.select(Unit).where(Unit.code == code))


def campaign() -> Campaign:
    return db.session.scalar(sa.select(Campaign).where(Campaign.code == "KL288-2026"))


def upload(data: bytes, name: str = "mau.png") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def new_user(role: str, unit_code: str, username: str, password: str = PASSWORD) -> User:
    """An account of that role in that unit, committed."""
    user = create_user(None, username, password, role, unit(unit_code), full_name=username)
    db.session.commit()
    return user


def new_submission(
    designer: User,
    *,
    title: str = "Pano tuyên truyền Kết luận 288",
    scope: str = "unit",
    fmt: str = "pano",
    width_cm: float = 300,
    height_cm: float = 200,
    artwork: bytes | None = ARTWORK,
    placements: int = 1,
    slogan_count: int = 1,
    other_text: str = "",
    display_from: date = SOON,
) -> Submission:
    """A draft of the designer's unit with a first version of `artwork` (none when None) and
    `placements` placements in the unit, committed."""
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
    if artwork is not None:
        ingest.add_version(designer, submission, upload(artwork))
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


def answer_all(reviewer: User, submission, result: str = "pass") -> None:
    """Answer every checklist item of the open review; automatic fails are overridden with a
    comment, as a reviewer would."""
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
    save_answers(
        reviewer, current_review(submission), [{"item": code, "result": "fail", "comment": comment}]
    )


PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "in_review": ["submit", "claim"],
    "awaiting_signoff": ["submit", "claim", "recommend_approval"],
    "approved": ["submit", "claim", "approve"],
    "changes_requested": ["submit", "claim", "request_changes"],
    "rejected": ["submit", "claim", "reject"],
    "withdrawn": ["withdraw"],
    "revoked": ["submit", "claim", "approve", "revoke"],
}


# In a two-step campaign the reviewer recommends and a head of division signs.
TWO_STEP = {"approve": ["recommend_approval", "sign"], "reject": ["recommend_rejection", "sign"]}


def advance_to(submission, state: str, designer: User, reviewer: User, head: User | None = None):
    """Move a submission through the real workflow to the wanted state, committing each step;
    in a two-step campaign `head` (made here unless given) signs."""
    path = PATHS[state]
    if submission.campaign.signoff_steps == 2:
        path = [step for action in path for step in TWO_STEP.get(action, [action])]
    for action in path:
        actor = designer if action in ("submit", "withdraw") else reviewer
        if action == "sign":
            actor = head or a_head(f"lanhdao.{submission.id}")
        if action in ("approve", "recommend_approval"):
            answer_all(reviewer, submission)
        if action in ("request_changes", "reject", "recommend_rejection"):
            fail_one(reviewer, submission)
        apply_transition(
            actor, submission, action, comment="Lý do thu hồi" if action == "revoke" else ""
        )
        db.session.commit()
    return submission


def a_head(username: str) -> User:
    """The head of division of that user name, made on first use."""
    existing = db.session.scalar(sa.select(User).where(User.username == username))
    return existing or new_user("head", DEPARTMENT, username)


def use_two_step_signoff() -> Campaign:
    """Switch the reference campaign to sign-off by a head of division."""
    c = campaign()
    c.signoff_steps = 2
    db.session.commit()
    return c


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
        return new_user(role, unit_code, username or f"{role}{counter['n']}", password)

    return make


@pytest.fixture
def designer(make_user) -> User:
    """A designer of unit A (Phường Long Xuyên), not signed in."""
    return make_user("designer", UNIT_A)


@pytest.fixture
def reviewer(make_user) -> User:
    """A reviewer of the Department's Culture Management division, not signed in."""
    return make_user("reviewer", DEPARTMENT)


@pytest.fixture
def login(client):
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
def signed_in_designer(designer, login) -> User:
    """The designer, signed in on `client`."""
    login(designer)
    return designer


@pytest.fixture
def token_for(client):
    def issue(user: User, password: str = PASSWORD) -> dict:
        response = client.post(
            "/api/v1/auth/token", json={"username": user.username, "password": password}
        )
        assert response.status_code == 200, response.json
        return {"Authorization": f"Bearer {response.json['token']}"}

    return issue


@pytest.fixture
def make_submission(ctx):
    return new_submission


@pytest.fixture
def advance(ctx):
    return advance_to
