"""The state machine: every state × action × role, the guards, and the audit trail."""

import threading

import pytest
import sqlalchemy as sa

from registry.audit import AuditEvent
from registry.exceptions import Conflict, NotAllowed, UserFacingError
from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.reviews.models import Review
from registry.storage.service import discard_unclaimed_objects
from registry.submissions.models import STATUSES, Submission
from registry.workflow import TRANSITIONS, apply_transition
from tests.factories import (
    DEPARTMENT,
    UNIT_A,
    UNIT_B,
    answer_all,
    fail_one,
    use_two_step_signoff,
)


@pytest.fixture
def people(make_user):
    return {
        "designer": make_user("designer", UNIT_A),
        "designer_b": make_user("designer", UNIT_B),
        "locality": make_user("locality", UNIT_A),
        "reviewer": make_user("reviewer", DEPARTMENT),
        "reviewer2": make_user("reviewer", DEPARTMENT),
        "admin": make_user("admin", "SVHTT-VP"),
        "head": make_user("head", DEPARTMENT),
        "head2": make_user("head", DEPARTMENT),
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
# With a two-step sign-off the reviewer recommends and a head of division signs or returns.
ALLOWED_TWO_STEP = {
    **{
        key: roles
        for key, roles in ALLOWED.items()
        if key not in (("in_review", "approve"), ("in_review", "reject"))
    },
    ("in_review", "recommend_approval"): {"reviewer"},
    ("in_review", "recommend_rejection"): {"reviewer"},
    ("awaiting_signoff", "sign"): {"head", "head2"},
    ("awaiting_signoff", "return"): {"head", "head2"},
}
ROLES = ["designer", "designer_b", "locality", "reviewer", "reviewer2", "admin", "head", "head2"]
STATES = [s for s in STATUSES if s != "revoked"] + ["revoked"]
MATRIX = [
    pytest.param(steps, state, id=f"{steps}-step-{state}")
    for steps in (1, 2)
    for state in STATES
    if (steps, state) != (1, "awaiting_signoff")  # a one-step campaign never gets there
]


def _prepare_decision(action, submission, reviewer):
    if action in ("approve", "recommend_approval"):
        answer_all(reviewer, submission)
    elif action in ("request_changes", "reject", "recommend_rejection"):
        fail_one(reviewer, submission)


@pytest.mark.parametrize("steps, state", MATRIX)
def test_transition_matrix(people, make_submission, advance, steps, state):
    """From this state, every action by every role: allowed exactly where ALLOWED says."""
    if steps == 2:
        use_two_step_signoff()
    allowed = ALLOWED_TWO_STEP if steps == 2 else ALLOWED
    submission = make_submission(people["designer"])
    advance(submission, state, people["designer"], people["reviewer"], people["head"])
    for action in TRANSITIONS:
        for role in ROLES:
            expected = role in allowed.get((state, action), set())
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
            discard_unclaimed_objects()  # as a failed request's teardown does
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
    db.session.commit()  # the upload answers; its preview follows (at once in tests)
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
    db.session.commit()  # the upload answers; its preview follows (at once in tests)
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


def _at_once(app, submission_id: int, action: str, user_ids: tuple[int, int]) -> list[str]:
    """Two users apply one action to one submission at the same moment, each in a thread of its
    own (as two gunicorn workers): what each got, "won" or the error's type, sorted."""
    from registry.auth.models import User

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(user_id: int) -> None:
        with app.app_context():
            user = db.session.get(User, user_id)
            target = db.session.get(Submission, submission_id)
            barrier.wait()
            try:
                apply_transition(user, target, action)
                db.session.commit()
                outcomes.append("won")
            except Exception as error:  # noqa: BLE001 - the loser's error is the point
                db.session.rollback()
                outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=act, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(outcomes)


@pytest.mark.parametrize("app", ["services"], indirect=True)  # row locks: PostgreSQL
def test_two_reviewers_claiming_at_once_exactly_one_wins(app, people, make_submission, advance):
    submission = make_submission(people["designer"])
    advance(submission, "submitted", people["designer"], people["reviewer"])
    ids = (submission.id, people["reviewer"].id, people["reviewer2"].id)
    assert _at_once(app, ids[0], "claim", ids[1:]) == ["StaleDataError", "won"]
    db.session.expire_all()
    winner = db.session.get(Submission, ids[0])
    assert winner.status == "in_review" and winner.assignee_id in ids[1:]


def _events(submission) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(
                AuditEvent.submission_id == submission.id, AuditEvent.action.like("submission.%")
            )
            .order_by(AuditEvent.id)
        )
    )


def test_two_step_approval_is_recommended_by_the_reviewer_and_signed_by_the_head(
    people, make_submission, advance
):
    use_two_step_signoff()
    submission = make_submission(people["designer"])
    advance(submission, "in_review", people["designer"], people["reviewer"])
    answer_all(people["reviewer"], submission)
    apply_transition(
        people["reviewer"], submission, "recommend_approval", comment="Đạt mọi tiêu chí."
    )
    db.session.commit()
    assert submission.status == "awaiting_signoff"
    assert db.session.scalar(sa.select(ApprovedAsset)) is None  # nothing issued before signing
    apply_transition(people["head"], submission, "sign")
    db.session.commit()
    assert submission.status == "approved"
    asset = db.session.scalar(sa.select(ApprovedAsset))
    assert asset.approved_by_id == people["head"].id
    review = db.session.get(Review, asset.review_id)
    assert review.reviewer_id == people["reviewer"].id and review.signer_id == people["head"].id
    assert review.decision == "approve" and review.comment == "Đạt mọi tiêu chí."
    assert _events(submission) == [
        "submission.created",
        "submission.submit",
        "submission.claim",
        "submission.recommend_approval",
        "submission.sign",
    ]


def test_a_signed_recommendation_to_reject_rejects_without_issuing_anything(
    people, make_submission, advance
):
    use_two_step_signoff()
    submission = make_submission(people["designer"])
    advance(submission, "rejected", people["designer"], people["reviewer"], people["head"])
    assert submission.status == "rejected"
    assert db.session.scalar(sa.select(ApprovedAsset)) is None


def test_the_head_returns_with_a_comment_and_the_reviewer_may_answer_again(
    people, make_submission, advance
):
    from registry.reviews.operations import current_review

    use_two_step_signoff()
    submission = make_submission(people["designer"])
    advance(submission, "awaiting_signoff", people["designer"], people["reviewer"])
    with pytest.raises(Conflict, match="Đã đề xuất|chờ lãnh đạo phòng ký"):
        fail_one(people["reviewer"], submission)
    with pytest.raises(Conflict, match="ghi ý kiến"):
        apply_transition(people["head"], submission, "return", comment=" ")
    apply_transition(people["head"], submission, "return", comment="Xem lại vị trí đặt.")
    db.session.commit()
    assert submission.status == "in_review"
    assert submission.assignee_id == people["reviewer"].id
    assert current_review(submission).recommendation is None
    fail_one(people["reviewer"], submission)  # answers are open again
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "submission.return"))
    assert event is not None


def test_a_head_cannot_sign_what_they_reviewed(people, make_submission, advance):
    use_two_step_signoff()
    submission = make_submission(people["designer"])
    advance(submission, "awaiting_signoff", people["designer"], people["reviewer"])
    people["reviewer"].role = "head"  # promoted while the submission waited
    with pytest.raises(NotAllowed, match="đã thẩm định hồ sơ này"):
        apply_transition(people["reviewer"], submission, "sign")
    apply_transition(people["head"], submission, "sign")
    assert submission.status == "approved"


def test_each_sign_off_mode_refuses_the_other_modes_actions(people, make_submission, advance):
    submission = make_submission(people["designer"])
    advance(submission, "in_review", people["designer"], people["reviewer"])
    answer_all(people["reviewer"], submission)
    with pytest.raises(Conflict, match="một bước") as refused:
        apply_transition(people["reviewer"], submission, "recommend_approval")
    assert refused.value.code == "signoff_mode"
    use_two_step_signoff()
    db.session.refresh(submission)
    with pytest.raises(Conflict, match="hai bước"):
        apply_transition(people["reviewer"], submission, "approve")


def test_a_recommendation_needs_the_checklist_to_support_it(people, make_submission, advance):
    use_two_step_signoff()
    submission = make_submission(people["designer"])
    advance(submission, "in_review", people["designer"], people["reviewer"])
    with pytest.raises(Conflict, match="Chưa thể duyệt"):
        apply_transition(people["reviewer"], submission, "recommend_approval")
    with pytest.raises(Conflict, match="Không đạt” kèm nhận xét"):
        apply_transition(people["reviewer"], submission, "recommend_rejection")


@pytest.mark.parametrize("app", ["services"], indirect=True)  # row locks: PostgreSQL
def test_two_heads_signing_at_once_exactly_one_wins(app, people, make_submission, advance):
    use_two_step_signoff()
    submission = make_submission(people["designer"])
    advance(submission, "awaiting_signoff", people["designer"], people["reviewer"])
    ids = (submission.id, people["head"].id, people["head2"].id)
    assert _at_once(app, ids[0], "sign", ids[1:]) == ["StaleDataError", "won"]
    db.session.expire_all()
    signed = db.session.get(Submission, ids[0])
    assert signed.status == "approved"
    assert db.session.scalar(sa.select(sa.func.count(ApprovedAsset.id))) == 1
