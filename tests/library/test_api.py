"""The library API: what each caller may list, see and download."""

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.clock import local_today
from registry.extensions import db
from registry.library.models import DownloadLog
from registry.workflow import apply_transition
from tests.library.test_downloads import fetch


@pytest.fixture
def assets(people, approve):
    return {
        "a": approve(people["designer_a"]),
        "b": approve(people["designer_b"]),
        "province": approve(people["designer_so"], scope="province"),
    }


def test_assets_need_a_token(client, assets):
    assert client.get("/api/v1/assets").status_code == 401
    assert client.get(f"/api/v1/assets/{assets['a'].code}").status_code == 401
    assert client.get(f"/api/v1/assets/{assets['a'].code}/download").status_code == 401


def test_locality_lists_its_units_assets_and_province_templates(client, token_for, people, assets):
    response = client.get("/api/v1/assets", headers=token_for(people["locality_a"]))
    assert response.status_code == 200
    assert {a["code"] for a in response.json} == {assets["a"].code, assets["province"].code}
    everything = client.get("/api/v1/assets", headers=token_for(people["reviewer"])).json
    assert len(everything) == 3


def test_asset_json_follows_the_models(client, token_for, people, assets):
    asset = assets["a"]
    body = client.get(f"/api/v1/assets/{asset.code}", headers=token_for(people["locality_a"])).json
    assert body["code"] == asset.code and body["status"] == "valid"
    assert body["sha256"] == asset.sha256 and body["size_bytes"] == asset.size_bytes
    assert (body["unit_code"], body["format"], body["scope"]) == ("30307", "pano", "unit")
    assert (body["width_cm"], body["height_cm"]) == (300, 200)
    assert body["campaign_id"] == asset.campaign_id and body["content_type"] == "image/png"
    assert body["valid_from"] == asset.valid_from.isoformat()
    assert body["valid_to"] == asset.valid_to.isoformat()
    assert body["revoked_at"] is None and body["approved_at"]


def test_another_units_asset_is_404(client, token_for, people, assets):
    headers = token_for(people["locality_a"])
    assert client.get(f"/api/v1/assets/{assets['b'].code}", headers=headers).status_code == 404
    download = client.get(f"/api/v1/assets/{assets['b'].code}/download", headers=headers)
    assert download.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(DownloadLog.id))) == 0


def test_status_filter(client, token_for, people, assets):
    assets["a"].valid_to = local_today() - timedelta(days=1)
    db.session.commit()
    headers = token_for(people["reviewer"])
    expired = client.get("/api/v1/assets?status=expired", headers=headers).json
    assert [a["code"] for a in expired] == [assets["a"].code]
    assert expired[0]["status"] == "expired"
    assert client.get("/api/v1/assets?status=bogus", headers=headers).status_code == 422


def test_download_redirects_and_is_logged(app, client, token_for, people, assets):
    asset = assets["province"]
    response = client.get(
        f"/api/v1/assets/{asset.code}/download", headers=token_for(people["locality_b"])
    )
    assert response.status_code == 302
    data = fetch(client, app, response.headers["Location"], f"{asset.code}.png")
    assert hashlib.sha256(data).hexdigest() == asset.sha256
    log = db.session.scalar(sa.select(DownloadLog))
    assert (log.via, log.user_id) == ("api", people["locality_b"].id)


def test_revoked_download_is_a_json_410(client, token_for, people, assets):
    apply_transition(people["admin"], assets["a"].submission, "revoke", comment="Hết dùng")
    db.session.commit()
    response = client.get(
        f"/api/v1/assets/{assets['a'].code}/download", headers=token_for(people["locality_a"])
    )
    assert response.status_code == 410
    assert response.json["error"]["code"] == "asset_revoked"
    assert "thu hồi" in response.json["error"]["message"]
    assert db.session.scalar(sa.select(sa.func.count(DownloadLog.id))) == 0


def test_openapi_documents_the_public_verification(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["paths"]["/api/v1/verify/{code}"]["get"]["security"] == []
    assert "/api/v1/assets/{code}/download" in spec["paths"]


def test_print_file_download_of_an_asset_without_one_is_404(client, token_for, people, assets):
    headers = token_for(people["locality_a"])
    url = f"/api/v1/assets/{assets['a'].code}/download"
    response = client.get(f"{url}?file=print", headers=headers)
    assert response.status_code == 404
    assert "không có tệp in" in response.json["error"]["message"]
    assert client.get(f"{url}?file=other", headers=headers).status_code == 422
