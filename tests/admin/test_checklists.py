"""Admin pages for checklist versions: list, view, copy, edit, upload, assign to a campaign."""

import io
from importlib import resources

import pytest
import sqlalchemy as sa

from registry.campaigns.models import ChecklistItem, ChecklistVersion
from registry.extensions import db
from registry.reviews.operations import current_review
from registry.workflow import apply_transition
from tests.admin.helpers import events, text
from tests.conftest import csrf_token, post_multipart
from tests.factories import campaign

ITEM = {
    "text": "Khẩu hiệu đúng nguyên văn danh mục đã ban hành.",
    "gloss": "Slogan verbatim.",
    "check_kind": "auto",
    "check_note": "so khớp chuỗi",
    "legal_source": "Luật Quảng cáo 75/2025/QH15",
    "source_confidence": "M",
    "is_required": "y",
    "allows_na": "",
}


def _version(label: str) -> ChecklistVersion:
    db.session.expire_all()
    return db.session.scalar(sa.select(ChecklistVersion).where(ChecklistVersion.label == label))


def _item(version: ChecklistVersion, code: str) -> ChecklistItem:
    return next(i for i in version.items if i.code == code)


def _copy(post, label: str = "Bộ tiêu chí 2026 (Luật 75/2025)") -> ChecklistVersion:
    seed = campaign().checklist_version
    response = post("/admin/checklists/new", {"source_id": str(seed.id), "label": label})
    assert response.status_code == 303, text(response)[:2000]
    return _version(label)


def _upload(client, content: bytes, label: str = "Bản tải lên", flags_from: int = 0):
    fields = {
        "file": (io.BytesIO(content), "bo-tieu-chi.md"),
        "label": label,
        "note": "",
        "flags_from": str(flags_from),
        "csrf_token": csrf_token(client, "/admin/checklists/upload"),
    }
    return post_multipart(client, "/admin/checklists/upload", fields)


def test_versions_list_shows_item_counts_and_the_campaigns_using_them(client, admin):
    html = text(client.get("/admin/checklists"))
    assert (
        "Dự thảo bộ tiêu chí 2026" in html
        and '<td data-label="Số tiêu chí">39</td>' in html
        and "KL288-2026" in html
    )


def test_version_page_groups_items_with_their_legal_sources(client, admin):
    html = text(client.get(f"/admin/checklists/{campaign().checklist_version_id}"))
    for heading in (
        "CT — Đúng định hướng chính trị (12)",
        "TP — Thuần phong mỹ tục (7)",
        "MQ — Mỹ quan đô thị (9)",
        "PL — Quy định pháp luật (11)",
    ):
        assert heading in html
    assert "QĐ 99-QĐ/TW Điều 3" in html


def test_copying_a_version_makes_an_editable_copy_of_every_item(client, admin, post):
    seed = campaign().checklist_version
    copy = _copy(post)
    assert [(i.code, i.text, i.allows_na) for i in copy.items] == [
        (i.code, i.text, i.allows_na) for i in seed.items
    ]
    [event] = events("checklist.copied")
    assert event.data == {"label": copy.label, "source": seed.label, "items": 39}


@pytest.mark.parametrize(
    ("label", "status", "message"),
    [
        ("Dự thảo bộ tiêu chí 2026", 409, "Đã có phiên bản tên “Dự thảo bộ tiêu chí 2026”"),
        ("  ", 400, "Vui lòng nhập tên phiên bản."),
    ],
)
def test_a_new_version_needs_a_new_label(client, admin, post, label, status, message):
    seed = campaign().checklist_version
    response = post("/admin/checklists/new", {"source_id": str(seed.id), "label": label})
    assert response.status_code == status and message in text(response)
    assert db.session.scalar(sa.select(sa.func.count(ChecklistVersion.id))) == 1


def test_admin_edits_an_item_of_a_new_version_and_the_change_is_logged(client, admin, post):
    copy = _copy(post)
    item = _item(copy, "CT-01")
    before = item.text
    response = post(f"/admin/checklists/items/{item.id}/edit", ITEM)
    assert response.status_code == 303
    item = _item(_version(copy.label), "CT-01")
    assert (item.text, item.check_kind, item.is_required, item.allows_na) == (
        ITEM["text"],
        "auto",
        True,
        False,
    )
    [event] = events("checklist.item_updated")
    assert event.data["code"] == "CT-01" and event.data["changes"]["text"] == [before, ITEM["text"]]
    # The seed version it was copied from is untouched.
    assert _item(campaign().checklist_version, "CT-01").text == before


def test_admin_adds_an_item_at_the_end_of_its_group(client, admin, post):
    copy = _copy(post)
    response = post(
        f"/admin/checklists/{copy.id}/items/new",
        {**ITEM, "group_code": "CT", "text": "Không dùng tên đơn vị hành chính cấp huyện."},
    )
    assert response.status_code == 303
    items = _version(copy.label).items
    codes = [i.code for i in items]
    assert len(codes) == 40 and codes.index("CT-13") == codes.index("CT-12") + 1
    assert [i.position for i in items] == list(range(1, 41))
    [event] = events("checklist.item_added")
    assert event.data["code"] == "CT-13"


def test_a_version_a_review_uses_is_frozen(
    client, admin, post, designer, reviewer, make_submission, advance
):
    advance(make_submission(designer), "in_review", designer, reviewer)
    seed = campaign().checklist_version
    item = _item(seed, "CT-01")
    before = item.text
    page = text(client.get(f"/admin/checklists/{seed.id}"))
    assert "đã được dùng để thẩm định nên không sửa được" in page
    response = post(f"/admin/checklists/items/{item.id}/edit", ITEM)
    assert response.status_code == 409
    assert "mỗi lượt thẩm định giữ nguyên phiên bản bộ tiêu chí đã dùng" in text(response)
    response = post(f"/admin/checklists/{seed.id}/items/new", {**ITEM, "group_code": "PL"})
    assert response.status_code == 409
    db.session.expire_all()
    assert _item(seed, "CT-01").text == before and len(seed.items) == 39
    assert events("checklist.item_updated") == events("checklist.item_added") == []


def test_a_campaign_switched_to_a_new_version_uses_it_for_the_next_review_only(
    client, admin, post, designer, reviewer, make_submission, advance
):
    seed = campaign().checklist_version
    earlier = advance(make_submission(designer, title="Đã nhận"), "in_review", designer, reviewer)
    copy = _copy(post)
    response = post(
        f"/admin/campaigns/{campaign().id}/checklist", {"checklist_version_id": str(copy.id)}
    )
    assert response.status_code == 303
    [event] = events("campaign.checklist_changed")
    assert event.data["changes"] == {"checklist_version": [seed.label, copy.label]}
    later = advance(make_submission(designer, title="Nhận sau"), "in_review", designer, reviewer)
    assert current_review(later).checklist_version_id == copy.id
    assert {a.item.version_id for a in current_review(later).answers} == {copy.id}
    assert current_review(earlier).checklist_version_id == seed.id
    # Released and claimed again, the earlier review still keeps its version.
    for action in ("release", "claim"):
        apply_transition(reviewer, earlier, action)
        db.session.commit()
    assert current_review(earlier).checklist_version_id == seed.id
    # Now both versions are in use, so both are frozen.
    for version in (seed, copy):
        response = post(f"/admin/checklists/items/{_item(version, 'TP-01').id}/edit", ITEM)
        assert response.status_code == 409


def test_a_version_created_from_the_shipped_markdown_file(client, admin, post):
    markdown = resources.files("registry.data").joinpath("checklist.md").read_bytes()
    seed = campaign().checklist_version
    response = _upload(client, markdown, label="Bản tải lên 2026", flags_from=seed.id)
    assert response.status_code == 303, text(response)[:2000]
    version = _version("Bản tải lên 2026")
    assert [(i.code, i.text, i.legal_source, i.allows_na) for i in version.items] == [
        (i.code, i.text, i.legal_source, i.allows_na) for i in seed.items
    ]
    [event] = events("checklist.imported")
    assert event.data["items"] == 39 and event.data["filename"] == "bo-tieu-chi.md"


def test_an_uploaded_version_without_flags_allows_na_everywhere(client, admin, post):
    markdown = (
        "| Mã | Tiêu chí (VI) | English gloss | Kiểm tra | Căn cứ | Tin cậy |\n"
        "|---|---|---|---|---|---|\n"
        "| CT-01 | Khẩu hiệu đúng nguyên văn | Verbatim slogan | `AUTO` | Hướng dẫn | M |\n"
        "| PL-01 | Có giấy phép | Permit | `HUMAN` | Luật 75/2025/QH15 | H |\n"
    )
    response = _upload(client, markdown.encode())
    assert response.status_code == 303
    items = _version("Bản tải lên").items
    assert [(i.code, i.check_kind, i.is_required, i.allows_na) for i in items] == [
        ("CT-01", "auto", True, True),
        ("PL-01", "human", True, True),
    ]


ROW = "| %s | Tiêu chí | gloss | `HUMAN` | Căn cứ | L |\n"
NO_TABLE = "# Bộ tiêu chí\n\nChưa có bảng nào.\n"


@pytest.mark.parametrize(
    ("content", "status", "message"),
    [
        (NO_TABLE.encode(), 422, "Tệp không có tiêu chí nào"),
        ((ROW % "XY-01" + ROW % "CT-01").encode(), 422, "mã tiêu chí không hợp lệ: XY-01"),
        ((ROW % "CT-01" + ROW % "ct-2").encode(), 422, "mã tiêu chí không hợp lệ: ct-2"),
        ((ROW % "CT-01" + ROW % "CT-01").encode(), 422, "Tệp có mã tiêu chí bị lặp: CT-01."),
        (b"\x89PNG\r\n\x1a\n\xff\xfe", 422, "Tệp phải là văn bản Markdown mã hóa UTF-8."),
        (b"x" * ((1 << 20) + 1), 413, "Tệp bộ tiêu chí quá lớn"),
        (
            (ROW % "CT-01" + "| CT-02 | Tiêu\u202e chí | g | `HUMAN` | c | L |\n").encode(),
            422,
            "Tiêu chí CT-02 trong tệp chứa ký tự đảo chiều hiển thị (U+202E)",
        ),
        (
            (ROW % "CT-01" + "| CT-02 | Tiêu chí | g\x00 | `HUMAN` | c | L |\n").encode(),
            422,
            "Tiêu chí CT-02 trong tệp chứa ký tự điều khiển",
        ),
    ],
    ids=[
        "no-items",
        "unknown-group",
        "lower-case",
        "duplicate-code",
        "binary",
        "too-large",
        "bidi",
        "nul",
    ],
)
def test_an_unusable_markdown_file_is_refused(client, admin, post, content, status, message):
    response = _upload(client, content)
    assert response.status_code == status
    assert message in text(response)
    assert _version("Bản tải lên") is None and events("checklist.imported") == []


def test_an_upload_with_a_used_label_is_refused(client, admin, post):
    markdown = "| CT-01 | Đúng | x | `AUTO` | y | M |\n".encode()
    response = _upload(client, markdown, label="Dự thảo bộ tiêu chí 2026")
    assert response.status_code == 409 and "Đã có phiên bản tên" in text(response)
