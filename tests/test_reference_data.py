"""The shipped reference data: units, checklist, the seed campaign; loading is idempotent."""

import sqlalchemy as sa

from registry.campaigns.models import Campaign, ChecklistItem, Slogan
from registry.extensions import db
from registry.refdata import load_reference_data
from registry.text import name_search_key
from registry.units.models import Unit


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_102_units_of_an_giang_and_the_department_units_are_loaded(ctx):
    kinds = {
        k: n
        for k, n in db.session.execute(sa.select(Unit.kind, sa.func.count()).group_by(Unit.kind))
    }
    assert kinds == {"xa": 85, "phuong": 14, "dac_khu": 3, "department": 4}
    names = set(db.session.scalars(sa.select(Unit.name)))
    assert {"Xã Ô Lâm", "Xã Óc Eo", "Đặc khu Thổ Châu", "Phòng Quản lý Văn hóa"} <= names


def test_the_checklist_has_four_groups_with_legal_sources(ctx):
    groups = {
        g: n
        for g, n in db.session.execute(
            sa.select(ChecklistItem.group_code, sa.func.count()).group_by(ChecklistItem.group_code)
        )
    }
    assert groups == {"CT": 12, "TP": 7, "MQ": 9, "PL": 11}
    item = db.session.scalar(sa.select(ChecklistItem).where(ChecklistItem.code == "PL-02"))
    assert "Luật Quảng cáo 2012 Điều 27 k3" in item.legal_source
    assert item.check_kind == "auto" and "**" not in item.text


def test_the_seed_campaign_has_its_sample_slogans(ctx):
    campaign = db.session.scalar(sa.select(Campaign))
    assert "Kết luận số 288-KL/TW" in campaign.title
    assert campaign.ends_on is None and campaign.starts_on.isoformat() == "2026-01-01"
    assert [s.text for s in campaign.slogans][0] == "Đảng Cộng sản Việt Nam quang vinh muôn năm!"
    assert all(s.is_sample for s in campaign.slogans)


def test_loading_twice_changes_nothing(ctx):
    before = [_count(m) for m in (Unit, ChecklistItem, Campaign, Slogan)]
    report = load_reference_data()
    db.session.commit()
    assert [_count(m) for m in (Unit, ChecklistItem, Campaign, Slogan)] == before
    assert (
        report.units_added,
        report.checklist_items_added,
        report.campaigns_added,
        report.slogans_added,
    ) == (0, 0, 0, 0)


def test_both_tone_mark_placements_match_the_same_unit(ctx):
    assert name_search_key("Xã Hoà Lạc") == name_search_key("Xã Hòa Lạc")
    unit = db.session.scalar(
        sa.select(Unit).where(Unit.name_folded == name_search_key("xã hoà lạc"))
    )
    assert unit is not None and unit.code == "30430"
