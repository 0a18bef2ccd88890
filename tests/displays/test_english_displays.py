"""The display pages, the map's data, the coverage report and the reminders speak the reader's
language: a locality officer whose setting is English reads them in English."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from registry.clock import local_today as today
from registry.displays.operations import record_on_site
from registry.extensions import db
from tests.displays.conftest import end_period, photo_upload, site_photo
from tests.displays.test_pages import _post
from tests.displays.test_reminders import _notices, _started
from tests.factories import SOON, campaign


@pytest.fixture
def english(people):
    """Unit A's locality officer, who reads English."""
    user = people["locality_a"]
    user.language = "en"
    db.session.commit()
    return user


def test_an_english_locality_reads_the_list_a_display_the_dashboard_and_the_map_in_english(
    client, login, english, approved_placement
):
    placement = approved_placement()
    login(english)
    listing = client.get("/displays/").get_data(as_text=True)
    assert f"Displays in {english.unit.name}" in listing
    assert 'data-label="Address"' in listing and "Approved, not installed" in listing
    assert "Điểm treo/dựng" not in listing and "Địa chỉ" not in listing

    page = client.get(f"/displays/{placement.id}").get_data(as_text=True)
    assert "Record the installation" in page and "Approved placement" in page
    assert "Nothing has been recorded on site yet." in page
    assert "Ghi nhận lắp đặt" not in page and "Vị trí đã duyệt" not in page

    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Visual propaganda monitoring" in dashboard and "Download the report (XLSX)" in dashboard
    assert "approved displays" in dashboard and "Theo dõi cổ động trực quan" not in dashboard

    map_page = client.get("/map").get_data(as_text=True)
    assert f"Map of displays in {english.unit.name}" in map_page
    assert "Loading the displays…" in map_page and "Đang tải các điểm" not in map_page
    # The map script's words come from the page, in the reader's language.
    assert '"no_points": "No displays match."' in map_page
    feature = client.get("/map/placements.geojson").json["features"][0]["properties"]
    assert feature["state_label"] == "Approved, not installed"
    assert feature["period_label"] == (
        f"{placement.display_from.day} {placement.display_from:%b %Y} – "
        f"{placement.display_to.day} {placement.display_to:%b %Y}"
    )


def test_a_vietnamese_locality_still_reads_vietnamese(client, login, people, approved_placement):
    placement = approved_placement()
    login(people["locality_a"])
    page = client.get(f"/displays/{placement.id}").get_data(as_text=True)
    assert "Ghi nhận lắp đặt" in page and "Record the installation" not in page
    feature = client.get("/map/placements.geojson").json["features"][0]["properties"]
    assert feature["state_label"] == "Đã duyệt, chưa lắp đặt"
    assert feature["period_label"] == (
        f"{placement.display_from:%d/%m/%Y} – {placement.display_to:%d/%m/%Y}"
    )


def test_recording_an_installation_with_bad_input_gives_an_english_form_error(
    client, login, english, approved_placement
):
    placement = approved_placement()
    login(english)
    response = _post(client, placement, "installation", [site_photo()], "install", lat=999, lon=1)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The location sent is not valid" in page and "Vị trí gửi kèm" not in page

    response = _post(client, placement, "installation", [], "install")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Please take or choose a site photo as evidence." in page

    response = _post(client, placement, "installation", [site_photo()], "install")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The installation has been recorded." in page  # the flash message
    assert "Installation" in page and "At the placement" in page  # the record and its GPS check


def test_the_xlsx_report_is_written_in_the_downloaders_language(
    client, login, english, approved_placement
):
    placement = approved_placement()
    record_on_site(english, placement, "install", [photo_upload()])
    record_on_site(english, placement, "inspect", [], condition="faded")
    db.session.commit()
    login(english)
    query = {
        "campaign_id": campaign().id,
        "from": SOON.isoformat(),
        "to": (SOON + timedelta(60)).isoformat(),
    }
    response = client.get("/reports/coverage.xlsx", query_string=query)
    assert response.status_code == 200
    name = f"campaign-report-{campaign().code}-{SOON:%Y%m%d}-{SOON + timedelta(60):%Y%m%d}.xlsx"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert book.sheetnames == ["By unit", "Displays"]
    units, listing = book.worksheets
    rows = list(units.iter_rows(values_only=True))
    assert rows[0][0].startswith("Visual propaganda results report: ")
    end = SOON + timedelta(60)
    assert rows[1][0] == f"From {SOON.day} {SOON:%b %Y} to {end.day} {end:%b %Y}"
    header = rows[2]
    assert header[:2] == ("Unit code", "Unit")
    assert "Approved – total" in header and "Installed – total" in header
    assert "Inspection: damaged/wrong – total" in header
    assert rows[-1][1] == "Total"
    display_rows = list(listing.iter_rows(values_only=True))
    assert display_rows[0][:4] == ("Unit code", "Unit", "Type", "Address")
    assert display_rows[1][9:11] == ("On display", "Faded")
    assert not any("Đơn vị" in str(h) for h in header + display_rows[0])


def test_a_report_request_refused_is_explained_in_english(client, login, english):
    login(english)
    query = {"campaign_id": campaign().id, "from": "2026-05-01", "to": "2026-04-01"}
    response = client.get("/reports/coverage.xlsx", query_string=query)
    assert response.status_code == 422
    assert "The end date must be after the start date." in response.get_data(as_text=True)


def test_the_reminder_is_written_in_each_recipients_language(
    runner, people, english, approved_placement, make_user
):
    overdue = approved_placement()
    record_on_site(english, overdue, "install", [photo_upload()])
    db.session.commit()
    end_period(overdue)
    _started(approved_placement(), days_ago=10)
    colleague = make_user("locality", english.unit.code)  # Vietnamese, the default
    assert runner.invoke(args=["registry", "remind"]).exit_code == 0
    (notice,) = _notices(english)
    assert notice.title == (
        f"Reminder for {today().day} {today():%b %Y}: "
        "1 display is past its display period but not taken down; "
        "1 approved display has no installation recorded 7 days after its start date."
    )
    (notice,) = _notices(colleague)
    assert notice.title.startswith(f"Nhắc việc ngày {today():%d/%m/%Y}: 1 điểm đã hết")
