"""The state machine: every state × action × role, the guards, and the audit trail."""

import threading

import pytest
import sqlalchemy as sa

from registry.audit import AuditEvent
from registry.exceptions import Conflict, NotAllowed, UserFacingError
from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.submissions.models import STATUSES, Submission
from registry.workflow import TRANSITIONS, apply_transition
from tests.factories import DEPARTMENT, UNIT_A, UNIT_B, fail_one


@pytest.fixture
def people(make_user):
    return {
        "designer": make_user("designer", UNIT_A),
        "designer_b": make_user("designer", UNIT_B),
        "locality": make_user("locality", UNIT_A),
        "reviewer": make_user("reviewer", DEPARTMENT),
        "reviewer2": make_user("reviewer", DEPARTMENT),
        "admin": make_user("admin", "SVHTT-VP"),
    }


# Who may take each action from each state (the reviewer is the one who claimed it).
ALLOWED = {
    ("draft", "submit"): {"designer"},
    ("draft", "withdraw"): {"designer"},
    ("changes_requested", "withdraw"): {"designer"},
    ("submitted", "claim"): {"reviewer", "reviewer2"},
    ("in_review", "release"): {"reviewer"},
    ("in_review", "approve"): {"reviewer"},
    ("in_review", "request_changes"): {"reviewer"},
    ("in_review", "reject"): {"reviewer"},
    ("approved", "revoke"): {"reviewer", "reviewer2", "admin"},
}
ROLES = ["designer", "designer_b", "locality", "reviewer", "reviewer2", "admin"]
STATES = [s for s in STATUSES if s != "revoked"] + ["revoked"]


def _prepare_decision(action, submission, reviewer):
    from tests.factories import answer_all

    if action == "approve":
        answer_all(reviewer, submission)
    elif action in ("request_changes", "reject"):
        fail_one(reviewer, submission)


@pytest.mark.parametrize("state", STATES)
def test_transition_matrix(people, make_submission, advance, state):
    """From this state, every action by every role: allowed exactly where ALLOWED says."""
    submission = make_submission(people["designer"])
    advance(submission, state, people["designer"], people["reviewer"])
    for action in TRANSITIONS:
        for role in ROLES:
            expected = role in ALLOWED.get((state, action), set())
            savepoint = db.session.begin_nested()
            if expected:
                _prepare_decision(action, submission, people["reviewer"])
            try:
                apply_transition(people[role], submission, action, comment="Lý do: thử nghiệm")
            except UserFacingError as error:
                assert not expected, f"{role} {action} from {state} refused: {error.message}"
                assert isinstance(error, Conflict | NotAllowed)
                assert error.message  # a sentence for the user
            else:
                assert expected, f"{role} could {action} from {state}"
                assert submission.status == TRANSITIONS[action].target
            savepoint.rollback()
            db.session.expire_all()
            assert db.session.get(Submission, submission.id).status == state


def test_every_transition_writes_an_audit_event_in_the_same_transaction(
    people, make_submission, advance
):
    submission = make_submission(people["designer"])
    advance(submission, "revoked", people["designer"], people["reviewer"])
    actions = list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(
                AuditEvent.submission_id == submission.id, AuditEvent.action.like("submission.%")
            )
            .order_by(AuditEvent.id)
        )
    )
    assert actions == [
        "submission.created",
        "submission.submit",
        "submission.claim",
        "submission.approve",
        "submission.revoke",
    ]


def test_reviewer_cannot_decide_own_upload(people, make_submission, advance):
    from registry.submissions import ingest
    from tests import images
    from tests.factories import upload

    submission = make_submission(people["designer"])
    advance(submission, "changes_requested", people["designer"], people["reviewer"])
    # The reviewer had uploaded a corrected version on the unit's behalf.
    people["reviewer"].role = "designer"
    people["reviewer"].unit_id = submission.unit_id
    ingest.add_version(people["reviewer"], submission, upload(images.png_bytes(1500, 1001)))
    people["reviewer"].role = "reviewer"
    apply_transition(people["designer"], submission, "submit", comment="Bản do Sở sửa.")
    with pytest.raises(NotAllowed, match="không được thẩm định"):
        apply_transition(people["reviewer"], submission, "claim")


def test_approve_needs_every_required_item_passed(people, make_submission, advance):
    submission = make_submission(people["designer"])
    advance(submission, "in_review", people["designer"], people["reviewer"])
    with pytest.raises(Conflict, match="Chưa thể duyệt: các tiêu chí sau") as refused:
        apply_transition(people["reviewer"], submission, "approve")
    assert "CT-02" in refused.value.message


@pytest.mark.parametrize("action", ["request_changes", "reject"])
def test_refusals_need_a_failed_item_with_a_comment(people, make_submission, advance, action):
    submission = make_submission(people["designer"])
    advance(submission, "in_review", people["designer"], people["reviewer"])
    fail_one(people["reviewer"], submission, comment="")
    with pytest.raises(Conflict, match="Không đạt” kèm nhận xét"):
        apply_transition(people["reviewer"], submission, action)


def test_revocation_needs_a_reason(people, make_submission, advance):
    submission = make_submission(people["designer"])
    advance(submission, "approved", people["designer"], people["reviewer"])
    with pytest.raises(Conflict, match="lý do thu hồi"):
        apply_transition(people["admin"], submission, "revoke", comment="  ")
    apply_transition(people["admin"], submission, "revoke", comment="Sai quốc kỳ")
    asset = db.session.scalar(sa.select(ApprovedAsset))
    assert asset.revoked_at is not None and asset.revoke_reason == "Sai quốc kỳ"


def test_resubmission_needs_a_new_version(people, make_submission, advance):
    submission = make_submission(people["designer"])
    advance(submission, "changes_requested", people["designer"], people["reviewer"])
    with pytest.raises(Conflict, match="Cần tải lên phiên bản mới"):
        apply_transition(people["designer"], submission, "submit")


@pytest.mark.parametrize("app", ["services"], indirect=True)  # row locks: PostgreSQL
def test_resubmission_says_what_changed_and_keeps_it_with_its_version(
    people, make_submission, advance
):
    from registry.submissions import ingest
    from tests import images
    from tests.factories import upload

    submission = make_submission(people["designer"])
    advance(submission, "changes_requested", people["designer"], people["reviewer"])
    ingest.add_version(people["designer"], submission, upload(images.png_bytes(1500, 1001)))
    with pytest.raises(Conflict, match="những gì đã thay đổi") as refused:
        apply_transition(people["designer"], submission, "submit", comment="  ")
    assert refused.value.code == "note_required" and submission.status == "changes_requested"
    apply_transition(people["designer"], submission, "submit", comment=" Sửa quốc kỳ. ")
    assert submission.status == "submitted"
    assert [v.change_note for v in submission.versions] == [None, "Sửa quốc kỳ."]


def test_a_first_submission_needs_no_note(people, make_submission):
    submission = make_submission(people["designer"])
    apply_transition(people["designer"], submission, "submit")
    assert submission.status == "submitted" and submission.latest_version.change_note is None


@pytest.mark.parametrize("app", ["services"], indirect=True)  # row locks: PostgreSQL
def test_two_reviewers_claiming_at_once_exactly_one_wins(app, people, make_submission, advance):
    submission = make_submission(people["designer"])
    advance(submission, "submitted", people["designer"], people["reviewer"])
    ids = (submission.id, people["reviewer"].id, people["reviewer2"].id)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def claim(reviewer_id: int, name: str) -> None:
        from registry.auth.models import User

        with app.app_context():
            user = db.session.get(User, reviewer_id)
            target = db.session.get(Submission, ids[0])
            barrier.wait()
            try:
                apply_transition(user, target, "claim")
                db.session.commit()
                outcomes[name] = "won"
            except Exception as error:  # noqa: BLE001 - the loser's error is the point
                db.session.rollback()
                outcomes[name] = type(error).__name__

    threads = [
        threading.Thread(target=claim, args=(ids[1], "first")),
        threading.Thread(target=claim, args=(ids[2], "second")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes.values()) == ["StaleDataError", "won"]
    db.session.expire_all()
    winner = db.session.get(Submission, ids[0])
    assert winner.status == "in_review" and winner.assignee_id in ids[1:]
