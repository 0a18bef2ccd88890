"""Search as people type: case and diacritics ignored over title, slogans, addresses, unit
names and approval codes, on SQLite and on PostgreSQL; unit pickers in Vietnamese order."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.search import submission_search_text
from registry.submissions import operations
from registry.submissions.models import Submission
from registry.text import search_fold, sort_key
from registry.units.models import Unit
from tests.factories import UNIT_A, UNIT_B

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


@pytest.fixture
def admin_signed_in(make_user, login):
    login(make_user("admin", "SVHTT-VP"))


def _titles(client, path: str, q: str) -> str:
    response = client.get(path, query_string={"q": q})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    "typed", ["ly thai to", "LÝ THÁI TỔ", "Ly Thai To", "thái tổ", "  ly   thai  to "]
)
def test_a_title_is_found_without_case_or_diacritics(
    client, signed_in_designer, make_submission, typed
):
    make_submission(signed_in_designer, title="Pano đường Lý Thái Tổ")
    make_submission(signed_in_designer, title="Băng rôn Trần Hưng Đạo", placements=0)
    html = _titles(client, "/submissions/", typed)
    assert "Pano đường Lý Thái Tổ" in html and "Băng rôn Trần Hưng Đạo" not in html


def test_a_unit_name_finds_that_units_submissions_only(client, make_user, login, make_submission):
    reviewer = make_user("reviewer", "SVHTT-QLVH")
    make_submission(make_user("designer", UNIT_A), title="Mẫu của Long Xuyên")
    make_submission(make_user("designer", UNIT_B), title="Mẫu của Bình Đức")
    login(reviewer)
    html = _titles(client, "/submissions/", "long xuyen")
    assert "Mẫu của Long Xuyên" in html and "Mẫu của Bình Đức" not in html
    html = _titles(client, "/submissions/", "phuong binh duc")
    assert "Mẫu của Bình Đức" in html and "Mẫu của Long Xuyên" not in html


def test_slogan_text_address_and_other_text_are_searched(
    client, signed_in_designer, make_submission
):
    submission = make_submission(
        signed_in_designer, title="Mẫu A", other_text="Chào mừng Đại hội Đoàn"
    )
    make_submission(signed_in_designer, title="Mẫu B", slogan_count=0, placements=0)
    slogan = search_fold(submission.slogans[0].text).split()[:4]
    for typed in (" ".join(slogan), "so 1 tran hung dao", "dai hoi doan"):
        html = _titles(client, "/submissions/", typed)
        assert "Mẫu A" in html and "Mẫu B" not in html, typed


def test_search_follows_edits_of_title_and_placements(client, signed_in_designer, make_submission):
    submission = make_submission(signed_in_designer, title="Tên cũ")
    operations.update_submission(signed_in_designer, submission, title="Pano Núi Sam")
    placement = submission.placements[0]
    operations.update_placement(
        signed_in_designer,
        placement,
        placement.unit,
        address="Đường Tôn Đức Thắng",
        lat=placement.lat,
        lon=placement.lon,
        site_type=placement.site_type,
        quantity=1,
        display_from=placement.display_from,
        display_to=placement.display_to,
    )
    db.session.commit()
    assert "Pano Núi Sam" in _titles(client, "/submissions/", "nui sam")
    assert "Pano Núi Sam" in _titles(client, "/submissions/", "ton duc thang")
    assert "Pano Núi Sam" not in _titles(client, "/submissions/", "tran hung dao")
    assert "Pano Núi Sam" not in _titles(client, "/submissions/", "ten cu")


def test_search_never_shows_another_units_submission(
    client, signed_in_designer, make_user, make_submission
):
    make_submission(make_user("designer", UNIT_B), title="Pano Lý Thái Tổ của Bình Đức")
    assert "Bình Đức" not in _titles(client, "/submissions/", "ly thai to")


def test_wildcards_typed_are_plain_characters(client, signed_in_designer, make_submission):
    make_submission(signed_in_designer, title="Giảm 50% rác thải")
    make_submission(signed_in_designer, title="Giảm 500 tấn", placements=0)
    html = _titles(client, "/submissions/", "50%")
    assert "Giảm 50% rác thải" in html and "Giảm 500 tấn" not in html
    assert "Giảm" not in _titles(client, "/submissions/", "_")


def test_the_library_finds_an_approved_artwork_by_code_and_title(
    client, make_user, login, make_submission, advance
):
    designer, reviewer = make_user("designer", UNIT_A), make_user("reviewer", "SVHTT-QLVH")
    submission = make_submission(designer, title="Phướn Lễ hội Bà Chúa Xứ")
    advance(submission, "approved", designer, reviewer)
    code = db.session.scalar(
        sa.select(ApprovedAsset.code).where(ApprovedAsset.submission_id == submission.id)
    )
    login(make_user("locality", UNIT_A))
    for typed in (code.lower(), "le hoi ba chua xu", "long xuyen"):
        assert code in _titles(client, "/library/", typed), typed
    assert code not in _titles(client, "/library/", "khong co mau nay")


def test_the_admins_unit_list_is_searched_without_diacritics(client, admin_signed_in):
    html = _titles(client, "/admin/units", "thoi son")
    assert "Phường Thới Sơn" in html and "Phường Long Xuyên" not in html


def test_unit_pickers_are_in_vietnamese_order_and_marked_searchable(client, admin_signed_in):
    html = client.get("/admin/users/new").get_data(as_text=True)
    select = html.split('name="unit"', 1)[1].split("</select>", 1)[0]
    assert "data-unit-picker" in html.split('name="unit"', 1)[0].rsplit("<select", 1)[1] + select
    names = re.findall(r">([^<>]+) \(\d+\)</option>", select)
    assert names.index("Phường Tân Châu") < names.index("Phường Thới Sơn")
    assert names == sorted(names, key=sort_key)


def test_vietnamese_order_puts_letters_with_marks_after_their_base_letter():
    names = ["Thới Sơn", "Tân Châu", "Đông Hòa", "Dương Tơ", "Ô Lâm", "Óc Eo", "An Phú"]
    assert sorted(names, key=sort_key) == [
        "An Phú",
        "Dương Tơ",
        "Đông Hòa",
        "Óc Eo",
        "Ô Lâm",
        "Tân Châu",
        "Thới Sơn",
    ]


def test_the_migration_backfills_the_folded_columns(app, ctx, make_user, make_submission):
    submission = make_submission(make_user("designer", UNIT_A), title="Pano Lý Thái Tổ")
    expected = submission.search_text
    assert expected == submission_search_text(submission) and "ly thai to" in expected
    db.session.execute(sa.update(Submission).values(search_text=""))
    db.session.execute(sa.update(Unit).values(search_name=""))
    path = next(MIGRATIONS.glob("*_fold_submissions_and_unit_names_for_*.py"))
    spec = importlib.util.spec_from_file_location("fold_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration._backfill(db.session.connection())
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).search_text == expected
    unit = db.session.scalar(sa.select(Unit).where(Unit.code == UNIT_A))
    assert unit.search_name == "phuong long xuyen"


@pytest.mark.parametrize("app", ["services"], indirect=True)  # SQLite scans the folded column
def test_postgresql_answers_the_search_from_the_trigram_index(app, ctx):
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(
        db.session.scalars(
            sa.text("EXPLAIN SELECT id FROM submissions WHERE search_text LIKE '%ly thai to%'")
        )
    )
    db.session.rollback()
    assert "ix_submissions_search_text_trgm" in plan
