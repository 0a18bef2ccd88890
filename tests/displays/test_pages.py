"""The display pages: recording on site from a phone's form, the list, the map and its data."""

from __future__ import annotations

import io

import sqlalchemy as sa

from registry.displays.models import Display, DisplayPhoto
from registry.extensions import db
from tests import images
from tests.conftest import csrf_token, post_multipart, stored_keys
from tests.displays.conftest import FAR_LAT, site_photo
from tests.factories import LAT, LON


def _post(client, placement, what, photos, prefix, **fields):
    """POST a site form as a phone would: several files may share the photo field."""
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart

    url = f"/displays/{placement.id}"
    body = MultiDict({f"{prefix}-{k}": str(v) for k, v in fields.items()})
    body["csrf_token"] = csrf_token(client, url)
    for i, data in enumerate(photos):
        body.add(f"{prefix}-photo", FileStorage(io.BytesIO(data), f"a{i}.jpg"))
    boundary, data = encode_multipart(body)
    return client.post(
        f"{url}/{what}", data=data, content_type=f"multipart/form-data; boundary={boundary}"
    )


def test_locality_records_an_installation_from_the_page(client, login, people, approved_placement):
    placement = approved_placement()
    login(people["locality_a"])
    page = client.get(f"/displays/{placement.id}").get_data(as_text=True)
    assert 'capture="environment"' in page and "Ghi nhận lắp đặt" in page
    response = _post(client, placement, "installation", [site_photo()], "install", note="Xong")
    assert response.status_code == 303
    page = client.get(f"/displays/{placement.id}").get_data(as_text=True)
    assert "Đã ghi nhận lắp đặt." in page and "Đúng vị trí" in page
    assert "trong thời gian treo/dựng" in page
    photo = db.session.scalar(sa.select(DisplayPhoto))
    assert client.get(f"/displays/photos/{photo.id}/thumb").mimetype == "image/webp"
    original = client.get(f"/displays/photos/{photo.id}/original")
    assert original.headers["Content-Disposition"].startswith("attachment")


def test_the_browser_location_is_sent_with_the_form(client, login, people, approved_placement):
    placement = approved_placement()
    login(people["locality_a"])
    response = _post(
        client, placement, "installation", [site_photo(None, None)], "install", lat=FAR_LAT, lon=LON
    )
    assert response.status_code == 303
    page = client.get(f"/displays/{placement.id}").get_data(as_text=True)
    assert "Xa vị trí" in page and "vị trí trình duyệt gửi kèm" in page


def test_a_refused_record_shows_the_reason_with_a_4xx(client, login, people, approved_placement):
    placement = approved_placement()
    login(people["locality_a"])
    response = _post(client, placement, "removal", [site_photo()], "remove")
    assert response.status_code == 409
    assert "Chưa ghi nhận lắp đặt" in response.get_data(as_text=True)
    response = _post(client, placement, "installation", [], "install")
    assert response.status_code == 422
    assert "chụp hoặc chọn ảnh" in response.get_data(as_text=True)


def test_another_units_locality_cannot_see_or_record(client, login, people, approved_placement):
    placement = approved_placement()
    login(people["locality_b"])
    assert client.get(f"/displays/{placement.id}").status_code == 404
    url = f"/displays/{placement.id}/installation"
    token = csrf_token(client, "/account")
    response = post_multipart(
        client, url, {"csrf_token": token, "install-photo": (io.BytesIO(site_photo()), "a.jpg")}
    )
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Display.id))) == 0


def test_a_failure_half_way_leaves_no_photo_behind(app, client, login, people, approved_placement):
    placement = approved_placement()
    login(people["locality_a"])
    _post(client, placement, "installation", [site_photo()], "install")
    before = stored_keys(app, "uploads")
    response = _post(
        client,
        placement,
        "inspections",
        [site_photo(), images.truncated(images.jpeg_bytes(400, 300))],
        "inspect",
        condition="torn",
    )
    assert response.status_code == 422
    assert stored_keys(app, "uploads") == before
    assert db.session.scalar(sa.select(sa.func.count(DisplayPhoto.id))) == 1


def test_the_list_filters_by_state_and_scopes_by_unit(client, login, people, approved_placement):
    first, second = (
        approved_placement(),
        approved_placement(fmt="bang_ron", width_cm=500, height_cm=80),
    )
    login(people["locality_a"])
    _post(client, first, "installation", [site_photo()], "install")
    page = client.get("/displays/?state=installed").get_data(as_text=True)
    assert f'/displays/{first.id}"' in page and f'/displays/{second.id}"' not in page
    page = client.get("/displays/?format=bang_ron").get_data(as_text=True)
    assert f'/displays/{second.id}"' in page and f'/displays/{first.id}"' not in page
    client.delete_cookie("session")
    login(people["locality_b"])
    page = client.get("/displays/").get_data(as_text=True)
    assert f'/displays/{first.id}"' not in page and "Chưa có điểm" in page


def test_the_map_data_is_scoped_and_filtered(client, login, people, approved_placement):
    placement = approved_placement()
    approved_placement("submitted")  # not a display yet
    login(people["reviewer"])
    data = client.get("/map/placements.geojson").get_json()
    assert [f["id"] for f in data["features"]] == [placement.id]
    feature = data["features"][0]
    assert feature["geometry"]["coordinates"] == [LON, LAT]
    assert feature["properties"]["state"] == "approved"
    assert feature["properties"]["asset_url"].startswith("/library/QLVH-")
    assert client.get("/map/placements.geojson?state=installed").get_json()["features"] == []
    client.delete_cookie("session")
    login(people["locality_b"])
    assert client.get("/map/placements.geojson").get_json()["features"] == []


def test_the_map_page_lets_in_only_the_configured_tile_server(app, client, login, people):
    login(people["locality_a"])
    response = client.get("/map")
    assert "vendor/leaflet/leaflet.js" in response.get_data(as_text=True)
    assert "tile" not in response.headers["Content-Security-Policy"]
    app.config["REGISTRY_MAP_TILES"] = "https://{s}.tile.example.vn/{z}/{x}/{y}.png"
    try:
        response = client.get("/map")
    finally:
        app.config["REGISTRY_MAP_TILES"] = ""
    assert (
        "img-src 'self' data: blob: https://*.tile.example.vn;"
        in response.headers["Content-Security-Policy"]
    )
    assert 'data-tiles="https://{s}.tile.example.vn/{z}/{x}/{y}.png"' in response.get_data(
        as_text=True
    )
