"""The life of a display: each state change, its guards, who may record it, and the audit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry.audit import AuditEvent
from registry.clock import local_today as today
from registry.displays import lifecycle
from registry.displays.models import Display
from registry.displays.operations import record_on_site
from registry.exceptions import Conflict, InvalidInput, NotAllowed
from registry.extensions import db
from registry.submissions.models import Placement
from tests.conftest import stored_keys
from tests.displays.conftest import end_period, photo_upload


def _install(user, placement, **kwargs):
    record = record_on_site(user, placement, "install", [photo_upload()], **kwargs)
    db.session.commit()
    return record


def _state(placement) -> str:
    return lifecycle.state_of(placement, lifecycle.display_of(placement), today())


def _sql_state(placement) -> str:
    return db.session.scalar(
        sa.select(lifecycle.state_expression(today()))
        .select_from(Placement)
        .outerjoin(Display, Display.placement_id == Placement.id)
        .where(Placement.id == placement.id)
    )


def test_an_approved_placement_is_a_display_waiting_for_installation(approved_placement):
    placement = approved_placement()
    assert _state(placement) == "approved" == _sql_state(placement)


def test_locality_of_the_unit_records_the_installation_with_a_photo(
    app, people, approved_placement
):
    placement = approved_placement()
    record = _install(people["locality_a"], placement, note="Đã dựng xong")
    assert _state(placement) == "installed" == _sql_state(placement)
    assert record.kind == "installation" and record.note == "Đã dựng xong"
    photo = record.photos[0]
    assert photo.gps_check == "pass" and photo.distance_m < 5
    assert {photo.storage_key, photo.preview_key, photo.thumb_key} <= stored_keys(app, "uploads")
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "display.install"))
    assert event.actor_id == people["locality_a"].id
    assert event.data["source"] == "approved" and event.data["target"] == "installed"
    assert event.unit_id == placement.unit_id


def test_the_department_records_for_any_unit(people, approved_placement):
    placement = approved_placement()
    _install(people["reviewer"], placement)
    assert _state(placement) == "installed"


@pytest.mark.parametrize("state", ["draft", "submitted", "in_review", "rejected", "revoked"])
def test_no_installation_before_approval(app, people, approved_placement, state):
    placement = approved_placement(state)
    before = stored_keys(app, "uploads")
    with pytest.raises(Conflict):
        record_on_site(people["locality_a"], placement, "install", [photo_upload()])
    assert stored_keys(app, "uploads") == before  # refused before any photo was stored


@pytest.mark.parametrize("who", ["locality_b", "designer_a", "designer_b"])
def test_only_the_units_locality_or_the_department_records(people, approved_placement, who):
    placement = approved_placement()
    with pytest.raises(NotAllowed):
        record_on_site(people[who], placement, "install", [photo_upload()])
    assert _state(placement) == "approved"


def test_an_installation_needs_a_photo(people, approved_placement):
    with pytest.raises(InvalidInput, match="ảnh"):
        record_on_site(people["locality_a"], approved_placement(), "install", [])


def test_no_removal_before_installation(people, approved_placement):
    placement = approved_placement()
    with pytest.raises(Conflict, match="Chưa ghi nhận lắp đặt"):
        record_on_site(people["locality_a"], placement, "remove", [photo_upload()])


def test_removal_after_installation_is_final(people, approved_placement):
    placement = approved_placement()
    _install(people["locality_a"], placement)
    record_on_site(people["locality_a"], placement, "remove", [photo_upload()])
    db.session.commit()
    assert _state(placement) == "removed" == _sql_state(placement)
    for action in ("install", "remove"):
        with pytest.raises(Conflict):
            record_on_site(people["locality_a"], placement, action, [photo_upload()])


def test_installation_cannot_be_recorded_twice(people, approved_placement):
    placement = approved_placement()
    _install(people["locality_a"], placement)
    with pytest.raises(Conflict, match="đã được ghi nhận lắp đặt"):
        record_on_site(people["reviewer"], placement, "install", [photo_upload()])


def test_an_installed_display_past_its_period_is_overdue_until_removed(people, approved_placement):
    placement = approved_placement()
    _install(people["locality_a"], placement)
    end_period(placement)
    assert _state(placement) == "overdue" == _sql_state(placement)
    record_on_site(people["locality_a"], placement, "remove", [photo_upload()])
    db.session.commit()
    assert _state(placement) == "removed"


def test_an_approved_display_never_installed_is_not_overdue(approved_placement):
    placement = approved_placement()
    end_period(placement)
    assert _state(placement) == "approved" == _sql_state(placement)


def test_a_revoked_approval_can_still_be_taken_down(people, approved_placement, advance):
    placement = approved_placement()
    _install(people["locality_a"], placement)
    from registry.workflow import apply_transition

    apply_transition(people["reviewer"], placement.submission, "revoke", comment="Sai nội dung")
    db.session.commit()
    assert lifecycle.available_actions(
        people["locality_a"], placement, lifecycle.display_of(placement), today()
    ) == ["remove", "inspect"]
    record_on_site(people["locality_a"], placement, "remove", [photo_upload()])
    db.session.commit()
    assert _state(placement) == "removed"


def test_inspection_records_the_condition_until_a_later_good_one(people, approved_placement):
    placement = approved_placement()
    _install(people["locality_a"], placement)
    record_on_site(people["reviewer"], placement, "inspect", [], condition="torn", note="Rách góc")
    db.session.commit()
    display = lifecycle.display_of(placement)
    assert display.condition == "torn" and display.is_in_bad_condition
    assert _state(placement) == "installed"  # an inspection changes no state
    record_on_site(people["locality_a"], placement, "inspect", [photo_upload()], condition="good")
    db.session.commit()
    assert not lifecycle.display_of(placement).is_in_bad_condition


def test_inspection_needs_an_installed_display_and_a_known_condition(people, approved_placement):
    placement = approved_placement()
    with pytest.raises(Conflict):
        record_on_site(people["reviewer"], placement, "inspect", [], condition="good")
    _install(people["locality_a"], placement)
    with pytest.raises(InvalidInput):
        record_on_site(people["reviewer"], placement, "inspect", [], condition="dirty")


def test_a_removed_display_in_bad_condition_no_longer_counts_as_bad(people, approved_placement):
    placement = approved_placement()
    _install(people["locality_a"], placement)
    record_on_site(people["reviewer"], placement, "inspect", [], condition="faded")
    record_on_site(people["locality_a"], placement, "remove", [photo_upload()])
    db.session.commit()
    assert not lifecycle.display_of(placement).is_in_bad_condition


def test_only_the_lifecycle_assigns_a_display_state():
    from pathlib import Path

    import registry

    root = Path(registry.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "lifecycle.py"
        and ("display.state =" in path.read_text() or ".state = " in path.read_text())
    ]
    assert offenders == []


def test_two_installations_at_once_leave_one_and_refuse_the_other(people, approved_placement):
    placement = approved_placement()
    _install(people["locality_a"], placement)
    # The second request read "approved" before the first committed: its insert meets the
    # unique placement, and the user is told instead of a 500.
    from unittest import mock

    with (
        mock.patch.object(lifecycle, "display_of", return_value=None),
        pytest.raises(Conflict, match="đã được ghi nhận lắp đặt"),
    ):
        record_on_site(people["reviewer"], placement, "install", [photo_upload()])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Display.id))) == 1
