"""The displays' API: recording on site by multipart, the GeoJSON and the coverage report."""

from __future__ import annotations

import io
from datetime import timedelta

from tests.conftest import post_multipart
from tests.displays.conftest import FAR_LAT, site_photo
from tests.factories import LAT, LON, SOON, UNIT_A, UNIT_B, campaign


def _send(client, headers, placement, what, data=None, **fields):
    body = {k: str(v) for k, v in fields.items()}
    if data is not False:
        body["photo"] = (io.BytesIO(data or site_photo()), "hien-truong.jpg")
    return post_multipart(
        client, f"/api/v1/placements/{placement.id}/{what}", body, headers=headers
    )


def test_installation_answers_state_and_gps_evidence(client, token_for, people, approved_placement):
    placement = approved_placement()
    headers = token_for(people["locality_a"])
    response = _send(client, headers, placement, "installation", note="Đã dựng")
    assert response.status_code == 201, response.json
    body = response.json
    assert body["state"] == "installed" and body["gps_check"] == "pass"
    assert body["distance_m"] < 5 and body["gps_source"] == "exif"
    assert body["taken_at"].startswith((SOON + timedelta(days=1)).isoformat())
    assert body["in_period"] is True


def test_a_photo_far_away_fails_and_a_missing_gps_says_so(
    client, token_for, people, approved_placement
):
    headers = token_for(people["locality_a"])
    far = _send(client, headers, approved_placement(), "installation", site_photo(FAR_LAT, LON))
    assert far.json["gps_check"] == "fail" and far.json["distance_m"] > 1900
    none = _send(client, headers, approved_placement(), "installation", site_photo(None, None))
    assert none.json["gps_check"] == "missing" and none.json["distance_m"] is None
    device = _send(
        client,
        headers,
        approved_placement(),
        "installation",
        site_photo(None, None),
        lat=LAT,
        lon=LON,
    )
    assert device.json["gps_check"] == "pass" and device.json["gps_source"] == "device"


def test_guards_answer_json_errors(client, token_for, people, approved_placement):
    placement = approved_placement()
    headers = token_for(people["locality_a"])
    response = _send(client, headers, placement, "removal")
    assert response.status_code == 409
    assert "Chưa ghi nhận lắp đặt" in response.json["error"]["message"]
    response = _send(client, headers, approved_placement("submitted"), "installation")
    assert response.status_code == 409 and response.json["error"]["code"] == "not_approved"
    response = _send(client, headers, placement, "installation", data=False)
    assert response.status_code == 422
    response = _send(client, token_for(people["locality_b"]), placement, "installation")
    assert response.status_code == 404
    response = _send(client, token_for(people["designer_a"]), placement, "installation")
    assert response.status_code == 403


def test_a_form_field_the_operation_does_not_know_is_refused_and_nothing_is_recorded(
    client, token_for, people, approved_placement
):
    placement = approved_placement()
    headers = token_for(people["locality_a"])
    response = _send(client, headers, placement, "installation", note="x", condtion="good")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid"
    assert "condtion" in str(response.json["error"])
    assert _send(client, headers, placement, "removal").status_code == 409  # still not installed


def test_removal_and_inspection_follow_installation(client, token_for, people, approved_placement):
    placement = approved_placement()
    headers = token_for(people["locality_a"])
    _send(client, headers, placement, "installation")
    response = _send(
        client,
        token_for(people["reviewer"]),
        placement,
        "inspections",
        data=False,
        condition="wrong_content",
        note="Không đúng mẫu duyệt",
    )
    assert response.status_code == 201
    assert response.json["condition"] == "wrong_content" and response.json["gps_check"] is None
    response = _send(client, headers, placement, "removal")
    assert response.status_code == 201 and response.json["state"] == "removed"
    bad = _send(client, headers, placement, "inspections", condition="dirty")
    assert bad.status_code == 422


def test_geojson_is_scoped_like_the_rest(client, token_for, people, approved_placement):
    mine = approved_placement()
    theirs = approved_placement(designer=people["designer_b"])
    ids = lambda who, q="": [  # noqa: E731
        f["id"]
        for f in client.get(f"/api/v1/placements.geojson{q}", headers=token_for(people[who])).json[
            "features"
        ]
    ]
    assert ids("locality_a") == [mine.id]
    assert ids("locality_b") == [theirs.id]
    assert sorted(ids("reviewer")) == sorted([mine.id, theirs.id])
    assert ids("reviewer", f"?unit_code={UNIT_B}") == [theirs.id]
    assert ids("reviewer", "?state=installed") == []
    response = client.get("/api/v1/placements.geojson", headers=token_for(people["reviewer"]))
    assert response.mimetype == "application/geo+json"
    assert response.json["features"][0]["properties"]["url"].startswith("http")


def test_coverage_rows_match_the_records(client, token_for, people, approved_placement):
    _send(client, token_for(people["locality_a"]), approved_placement(), "installation")
    approved_placement(fmt="phuon", width_cm=80, height_cm=300)
    query = {
        "campaign_id": campaign().id,
        "from": (SOON - timedelta(days=7)).isoformat(),  # today: the installation is recorded now
        "to": (SOON + timedelta(days=30)).isoformat(),
    }
    response = client.get(
        "/api/v1/reports/coverage", query_string=query, headers=token_for(people["reviewer"])
    )
    assert response.status_code == 200, response.json
    row = next(r for r in response.json["rows"] if r["unit_code"] == UNIT_A)
    assert row["approved"] == {"pano": 1, "phuon": 1, "bang_ron": 0, "total": 2}
    assert row["installed"]["total"] == 1
    assert response.json["totals"]["approved"]["total"] == 2
    mine = client.get(
        "/api/v1/reports/coverage", query_string=query, headers=token_for(people["locality_b"])
    )
    assert [r["unit_code"] for r in mine.json["rows"]] == [UNIT_B]
    refused = client.get(
        "/api/v1/reports/coverage", query_string=query, headers=token_for(people["designer_a"])
    )
    assert refused.status_code == 403


def test_the_openapi_document_describes_the_display_operations(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("installation", "removal", "inspections"):
        body = paths[f"/api/v1/placements/{{placement_id}}/{path}"]["post"]["requestBody"]
        assert "multipart/form-data" in body["content"]
    assert "get" in paths["/api/v1/placements.geojson"]
    assert "get" in paths["/api/v1/reports/coverage"]
