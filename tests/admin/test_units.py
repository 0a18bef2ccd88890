"""Admin pages for units: search, add a Department unit, rename, deactivate and reactivate."""

import pytest
import sqlalchemy as sa

from registry.auth.models import User
from registry.extensions import db
from registry.units.models import Unit
from tests.admin.helpers import events, signed_in_client, text
from tests.factories import UNIT_A, unit


def _units_found(client, query: str) -> str:
    return text(client.get("/admin/units", query_string={"q": query}))


@pytest.mark.parametrize("query", ["Hoà Lạc", "Hòa Lạc", "hòa  lạc", "30430"])
def test_unit_search_treats_both_tone_mark_placements_alike(client, admin, query):
    html = _units_found(client, query)
    assert "Xã Hòa Lạc" in html and "30430" in html
    assert "Phường Long Xuyên" not in html


def test_unit_list_filters_by_kind_and_shows_codes(client, admin):
    html = text(client.get("/admin/units?kind=dac_khu"))
    assert "Đặc khu Thổ Châu" in html and "Đặc khu" in html and "Xã Ô Lâm" not in html
    assert "Không có đơn vị phù hợp." in _units_found(client, "100%_")


def test_admin_adds_a_department_unit(client, admin, post):
    response = post("/admin/units/new", {"code": "svhtt-ttvh", "name": "Trung tâm  Văn hóa tỉnh"})
    assert response.status_code == 303
    created = unit("SVHTT-TTVH")
    assert (created.name, created.kind, created.is_active) == (
        "Trung tâm Văn hóa tỉnh",
        "department",
        True,
    )
    [event] = events("unit.created")
    assert event.object_id == created.id and event.data["name"] == "Trung tâm Văn hóa tỉnh"
    assert "Trung tâm Văn hóa tỉnh" in _units_found(client, "trung tâm văn hoá")


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"code": "SVHTT-QLVH", "name": "Phòng mới"}, 409, "Mã đơn vị “SVHTT-QLVH” đã được dùng."),
        ({"code": "30430", "name": "Phòng mới"}, 400, "có dạng SVHTT-XXX"),
        ({"code": "SVHTT-", "name": "Phòng mới"}, 400, "có dạng SVHTT-XXX"),
        ({"code": "SVHTT-MOI", "name": "Phòng Quản lý Văn hoá"}, 409, "Đã có đơn vị"),
        ({"code": "SVHTT-MOI", "name": ""}, 400, "Vui lòng nhập tên đơn vị."),
    ],
    ids=["used-code", "commune-code", "empty-suffix", "same-name", "no-name"],
)
def test_adding_a_unit_with_a_bad_or_used_code_or_name_is_refused(
    client, admin, post, data, status, message
):
    before = db.session.scalar(sa.select(sa.func.count(Unit.id)))
    response = post("/admin/units/new", data)
    assert response.status_code == status
    assert message in text(response)
    assert db.session.scalar(sa.select(sa.func.count(Unit.id))) == before


def test_admin_renames_a_unit_and_the_log_keeps_both_names(client, admin, post):
    target = unit("SVHTT-TTBCXB")
    response = post(
        f"/admin/units/{target.id}/edit", {"name": "Phòng Thông tin - Báo chí - Xuất bản tỉnh"}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert target.name == "Phòng Thông tin - Báo chí - Xuất bản tỉnh"
    assert target.code == "SVHTT-TTBCXB"
    [event] = events("unit.renamed")
    assert event.data["changes"] == {
        "name": [
            "Phòng Thông tin - Báo chí - Xuất bản",
            "Phòng Thông tin - Báo chí - Xuất bản tỉnh",
        ]
    }
    assert "SVHTT-TTBCXB" in _units_found(client, "xuất bản tỉnh")


def test_renaming_a_unit_to_another_units_name_is_refused(client, admin, post):
    target = unit("SVHTT-TTBCXB")
    response = post(f"/admin/units/{target.id}/edit", {"name": "Xã Hoà Lạc"})
    assert response.status_code == 409 and "Đã có đơn vị “Xã Hòa Lạc” (mã 30430)." in text(response)


def test_a_deactivated_unit_is_not_offered_but_its_users_keep_it(
    app, client, admin, post, make_user
):
    designer = make_user("designer", UNIT_A)
    target = unit(UNIT_A)
    response = post(f"/admin/units/{target.id}/active", {"active": "0"})
    assert response.status_code == 303
    db.session.expire_all()
    assert not target.is_active
    assert f'value="{UNIT_A}"' not in text(client.get("/admin/users/new"))
    assert "Ngưng dùng" in _units_found(client, UNIT_A)
    # The designer keeps the unit and can still sign in and work.
    assert db.session.get(User, designer.id).unit.code == UNIT_A
    assert signed_in_client(app, designer).get("/submissions/").status_code == 200
    post(f"/admin/units/{target.id}/active", {"active": "1"})
    db.session.expire_all()
    assert target.is_active
    assert f'value="{UNIT_A}"' in text(client.get("/admin/users/new"))
    assert [e.data["changes"] for e in events("unit.deactivated") + events("unit.activated")] == [
        {"is_active": [True, False]},
        {"is_active": [False, True]},
    ]
