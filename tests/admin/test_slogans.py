"""Admin pages for a campaign's slogans: add, correct, deactivate, mark the list as official."""

import unicodedata

from registry.campaigns.models import Slogan
from registry.extensions import db
from tests.admin.helpers import events, signed_in_client, text
from tests.factories import campaign


def _slogan(text_: str) -> Slogan | None:
    db.session.expire_all()
    return next((s for s in campaign().slogans if s.text == text_), None)


def test_campaign_page_lists_the_sample_slogans(client, admin):
    html = text(client.get(f"/admin/campaigns/{campaign().id}"))
    assert "Đảng Cộng sản Việt Nam quang vinh muôn năm!" in html
    assert "Danh mục còn khẩu hiệu mẫu" in html


def test_admin_adds_a_slogan_in_nfc_with_single_spaces(client, admin, post):
    decomposed = unicodedata.normalize(
        "NFD", "Nhiệt liệt  chào mừng\tchính quyền địa phương 2 cấp!"
    )
    response = post(
        f"/admin/campaigns/{campaign().id}/slogans", {"text": f"  {decomposed} ", "note": ""}
    )
    assert response.status_code == 303
    wanted = "Nhiệt liệt chào mừng chính quyền địa phương 2 cấp!"
    slogan = _slogan(wanted)
    assert slogan is not None and slogan.is_active and not slogan.is_sample
    assert slogan.position == 5  # after the four sample slogans
    [event] = events("slogan.added")
    assert event.object_id == slogan.id and event.data["text"] == wanted


def test_a_duplicate_slogan_in_the_same_campaign_is_refused(client, admin, post):
    before = len(campaign().slogans)
    response = post(
        f"/admin/campaigns/{campaign().id}/slogans",
        {"text": "Đảng  Cộng sản Việt Nam quang vinh muôn năm!"},
    )
    assert response.status_code == 409
    assert "đã có trong danh mục của đợt này" in text(response)
    db.session.expire_all()
    assert len(campaign().slogans) == before and events("slogan.added") == []


def test_an_empty_slogan_is_refused(client, admin, post):
    response = post(f"/admin/campaigns/{campaign().id}/slogans", {"text": " "})
    assert response.status_code == 400
    assert "Vui lòng nhập nội dung khẩu hiệu." in text(response)


def test_admin_corrects_a_slogan_no_submission_uses(client, admin, post):
    slogan = campaign().slogans[3]
    old = slogan.text
    response = post(
        f"/admin/slogans/{slogan.id}/edit",
        {"text": "Đoàn kết - Dân chủ - Kỷ cương - Đột phá - Phát triển!", "note": "Sửa"},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Slogan, slogan.id).text.endswith("Phát triển!")
    [event] = events("slogan.updated")
    assert event.data["changes"]["text"] == [old, old + "!"]


def test_a_slogan_that_a_submission_uses_keeps_its_text(
    client, admin, post, make_submission, designer
):
    make_submission(designer)  # declares the first slogan
    slogan = campaign().slogans[0]
    response = post(
        f"/admin/slogans/{slogan.id}/edit", {"text": "Đảng Cộng sản Việt Nam quang vinh!"}
    )
    assert response.status_code == 409
    html = text(response)
    assert "đã được dùng trong 1 hồ sơ" in html and "Hãy ngưng dùng khẩu hiệu này" in html
    db.session.expire_all()
    assert db.session.get(Slogan, slogan.id).text == "Đảng Cộng sản Việt Nam quang vinh muôn năm!"
    assert events("slogan.updated") == []
    # Its note may still be corrected.
    response = post(
        f"/admin/slogans/{slogan.id}/edit",
        {"text": slogan.text, "note": "Khẩu hiệu chung"},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Slogan, slogan.id).note == "Khẩu hiệu chung"


def test_renaming_a_slogan_to_another_slogans_text_is_refused(client, admin, post):
    first, second = campaign().slogans[:2]
    response = post(f"/admin/slogans/{second.id}/edit", {"text": first.text})
    assert response.status_code == 409


def test_a_deactivated_slogan_is_no_longer_offered_to_designers(app, client, admin, post, designer):
    slogan = campaign().slogans[1]
    response = post(f"/admin/slogans/{slogan.id}/active", {"active": "0"})
    assert response.status_code == 303
    db.session.expire_all()
    assert slogan not in campaign().active_slogans
    form = text(signed_in_client(app, designer).get("/submissions/new"))
    assert "Nước Cộng hòa xã hội chủ nghĩa Việt Nam muôn năm!" not in form
    assert "Đảng Cộng sản Việt Nam quang vinh muôn năm!" in form
    post(f"/admin/slogans/{slogan.id}/active", {"active": "1"})
    db.session.expire_all()
    assert slogan in campaign().active_slogans
    assert [
        e.data["changes"] for e in events("slogan.deactivated") + events("slogan.activated")
    ] == [
        {"is_active": [True, False]},
        {"is_active": [False, True]},
    ]


def test_marking_the_list_official_clears_the_sample_flag(client, admin, post):
    ids = [s.id for s in campaign().slogans]
    response = post(f"/admin/campaigns/{campaign().id}/slogans/official", follow_redirects=True)
    assert "Đã ghi nhận danh mục khẩu hiệu chính thức (4 khẩu hiệu mẫu)." in text(response)
    db.session.expire_all()
    assert not any(s.is_sample for s in campaign().slogans)
    [event] = events("campaign.slogans_official")
    assert event.data["slogan_ids"] == ids
    assert event.data["changes"] == {"is_sample": [True, False]}
    assert "Danh mục còn khẩu hiệu mẫu" not in text(client.get(f"/admin/campaigns/{campaign().id}"))
