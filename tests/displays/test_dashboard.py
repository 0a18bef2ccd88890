"""The dashboard and the coverage report: figures that match the database, links to the lists
behind them, unit scoping, and statement counts that do not grow with the data."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from registry.displays.operations import record_on_site
from registry.extensions import db
from registry.units.models import Unit
from tests.displays.conftest import end_period, photo_upload
from tests.factories import SOON, UNIT_A, UNIT_B, campaign
from tests.statements import counting_statements


@pytest.fixture
def scene(people, approved_placement):
    """Unit A: one pano installed, one pano overdue and torn, one băng rôn approved only;
    unit B: one pano removed."""
    loc_a, loc_b = people["locality_a"], people["locality_b"]
    installed = approved_placement()
    record_on_site(loc_a, installed, "install", [photo_upload()])
    overdue = approved_placement()
    record_on_site(loc_a, overdue, "install", [photo_upload()])
    record_on_site(people["reviewer"], overdue, "inspect", [], condition="torn")
    db.session.commit()
    end_period(overdue)
    waiting = approved_placement(fmt="bang_ron", width_cm=500, height_cm=80)
    removed = approved_placement(designer=people["designer_b"])
    record_on_site(loc_b, removed, "install", [photo_upload()])
    record_on_site(loc_b, removed, "remove", [photo_upload()])
    db.session.commit()
    return {"installed": installed, "overdue": overdue, "waiting": waiting, "removed": removed}


def _figure(page: str, label: str) -> str:
    match = re.search(
        r'<a class="figure[^"]*" href="([^"]+)"><strong>([^<]+)</strong><span>' + re.escape(label),
        page,
    )
    assert match, label
    return match.group(2), match.group(1).replace("&amp;", "&")


def test_the_dashboard_counts_what_the_database_holds(client, login, people, scene):
    login(people["reviewer"])
    page = client.get("/dashboard").get_data(as_text=True)
    units = db.session.scalar(
        sa.select(sa.func.count(Unit.id)).where(Unit.kind != "department", Unit.is_active)
    )
    assert _figure(page, "xã, phường, đặc khu có mẫu được duyệt")[0] == f"2/{units}"
    assert _figure(page, "có điểm đã lắp đặt")[0] == f"2/{units}"
    assert _figure(page, "điểm treo/dựng đã duyệt")[0] == "4"
    assert _figure(page, "đang treo/dựng")[0] == "1"
    assert _figure(page, "chưa lắp đặt")[0] == "1"
    value, link = _figure(page, "quá hạn chưa tháo dỡ")
    assert value == "1"
    listed = client.get(link).get_data(as_text=True)
    assert f'/displays/{scene["overdue"].id}"' in listed
    assert f'/displays/{scene["installed"].id}"' not in listed
    value, link = _figure(page, "hư hỏng, sai nội dung")
    assert value == "1" and f'/displays/{scene["overdue"].id}"' in client.get(link).get_data(
        as_text=True
    )
    assert "<svg" in page and "Pano – Đang treo/dựng: 1" in page
    assert "Phường Long Xuyên" not in page.split('id="coverage"')[1].split("Chưa có mẫu")[0]


def test_a_locality_sees_only_its_units_figures(client, login, people, scene):
    login(people["locality_b"])
    page = client.get("/dashboard").get_data(as_text=True)
    assert _figure(page, "xã, phường, đặc khu có mẫu được duyệt")[0] == "1/1"
    assert _figure(page, "điểm treo/dựng đã duyệt")[0] == "1"
    assert _figure(page, "đã tháo dỡ")[0] == "1"


def test_designers_have_no_dashboard(client, login, people):
    login(people["designer_a"])
    assert client.get("/dashboard").status_code == 403


@pytest.mark.parametrize(
    ("language", "days", "median", "p90"),
    [
        ("vi", (1, 2.5, 3, 10), "2,5 ngày", "10 ngày"),
        ("en", (1, 2.5, 3, 10), "2.5 days", "10 days"),
        ("en", (1, 1, 1, 1), "1 day", "1 day"),
    ],
)
def test_review_turnaround_is_the_median_and_90th_percentile_in_the_readers_numbers(
    client, login, people, scene, language, days, median, p90
):
    from registry.submissions.models import Submission

    subs = db.session.scalars(sa.select(Submission).order_by(Submission.id)).all()
    for i, s in enumerate(subs):  # these days from submission to decision
        s.decided_at = s.submitted_at + timedelta(days=days[i])
    people["reviewer"].language = language
    db.session.commit()
    login(people["reviewer"])
    page = client.get("/dashboard").get_data(as_text=True)
    median_label, p90_label = (
        ("Trung vị", "90% hồ sơ trong")
        if language == "vi"
        else (
            "Median",
            "90% of submissions within",
        )
    )
    assert f"{median_label}</dt><dd>{median}</dd>" in page
    assert f"{p90_label}</dt><dd>{p90}</dd>" in page


def test_dashboard_statements_do_not_grow_with_the_data(
    client, login, people, approved_placement, scene
):
    login(people["reviewer"])
    client.get("/dashboard")
    with counting_statements() as few:
        client.get("/dashboard")
    for _ in range(4):
        p = approved_placement(designer=people["designer_b"])
        record_on_site(people["locality_b"], p, "install", [photo_upload()])
    db.session.commit()
    with counting_statements() as more:
        client.get("/dashboard")
    assert len(more) == len(few) <= 12


def _report(client, **args):
    c = campaign()
    query = {
        "campaign_id": c.id,
        "from": SOON.isoformat(),
        "to": (SOON + timedelta(60)).isoformat(),
    }
    return client.get("/reports/coverage.xlsx", query_string={**query, **args})


def test_the_xlsx_report_matches_the_database(client, login, people, scene):
    login(people["reviewer"])
    response = _report(client, **{"from": "2025-01-01", "to": "2030-12-31"})
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    name = f"bao-cao-co-dong-{campaign().code}-20250101-20301231.xlsx"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    units, listing = book.worksheets
    rows = list(units.iter_rows(values_only=True))
    header = rows[2]
    by_code = {r[0]: dict(zip(header, r, strict=True)) for r in rows[3:-1]}
    totals = dict(zip(header, rows[-1], strict=True))
    a, b = by_code[UNIT_A], by_code[UNIT_B]
    assert a["Được duyệt – Pano"] == 2 and a["Được duyệt – Băng rôn"] == 1
    assert a["Đã lắp đặt – tổng"] == 2 and a["Quá hạn chưa tháo – Pano"] == 1
    assert a["Kiểm tra: hư hỏng/sai – Pano"] == 1
    assert b["Đã tháo dỡ – Pano"] == 1 and b["Quá hạn chưa tháo – tổng"] == 0
    assert totals["Đơn vị"] == "Tổng cộng" and totals["Được duyệt – tổng"] == 4
    assert totals["Đã lắp đặt – tổng"] == 3
    for column in header[2:]:
        assert totals[column] == sum(r[column] for r in by_code.values()), column
    displays = list(listing.iter_rows(values_only=True))[1:]
    assert len(displays) == 4
    assert {r[9] for r in displays} == {
        "Đang treo/dựng",
        "Quá hạn chưa tháo dỡ",
        "Đã duyệt, chưa lắp đặt",
        "Đã tháo dỡ",
    }
    assert all(r[11].startswith("QLVH-") for r in displays)


def test_the_report_counts_only_the_chosen_range(client, login, people, scene):
    login(people["reviewer"])
    far = SOON + timedelta(days=400)
    response = _report(client, **{"from": far.isoformat(), "to": (far + timedelta(1)).isoformat()})
    rows = list(load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows(values_only=True))
    totals = dict(zip(rows[2], rows[-1], strict=True))
    for measure in ("Được duyệt", "Đã lắp đặt", "Đã tháo dỡ", "Kiểm tra: hư hỏng/sai"):
        assert totals[f"{measure} – tổng"] == 0, measure
    assert totals["Quá hạn chưa tháo – tổng"] == 1  # still standing: overdue then as now


def test_a_locality_reports_only_its_unit(client, login, people, scene):
    login(people["locality_a"])
    response = _report(client)
    rows = list(load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[3:-1]] == [UNIT_A]


@pytest.mark.parametrize(
    "args",
    [
        {"from": "2026-13-01"},
        {"to": "2000-01-01"},
        {"campaign_id": 0},
        {"campaign_id": 2**31},
        {"from": "0001-01-01", "to": "0001-01-02"},
        {"from": "9999-12-30", "to": "9999-12-31"},
    ],
)
def test_a_bad_report_request_is_a_clear_4xx(client, login, people, args):
    login(people["reviewer"])
    response = _report(client, **args)
    assert response.status_code == 422
    assert "Vui lòng" in response.get_data(as_text=True) or "phải" in response.get_data(
        as_text=True
    )
