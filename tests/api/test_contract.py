"""The OpenAPI document describes the answers the API really gives: the error envelope, every
status of each operation, and the code of each business rule behind a 422."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest

from registry.error_codes import ErrorCode
from tests.conftest import post_multipart
from tests.factories import LAT, LON, SOON, UNIT_A, campaign

REGISTRY = Path(__file__).resolve().parents[2] / "registry"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").json


@pytest.fixture
def designer_headers(make_user, token_for):
    return token_for(make_user("designer", UNIT_A))


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def _documented_codes(spec, path: str, method: str, status: int) -> list[str]:
    schema = spec["paths"][path][method]["responses"][str(status)]["content"]["application/json"]
    return schema["schema"]["allOf"][1]["properties"]["error"]["properties"]["code"]["enum"]


def test_every_error_response_of_every_operation_is_the_registry_error_envelope(spec):
    envelope = spec["components"]["schemas"]["Error"]
    assert envelope["required"] == ["error"]
    detail = spec["components"]["schemas"]["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message"}
    assert {"code", "message", "field", "errors"} <= set(detail["properties"])
    assert "ErrorSchema" not in spec["components"]["schemas"]  # flask-smorest's flat one
    for name, operation in _operations(spec):
        responses = operation["responses"]
        assert "default" not in responses, name  # each status is named, none is implied
        errors = {s: r for s, r in responses.items() if int(s) >= 400}
        assert errors, name
        for status, response in errors.items():
            schema = response["content"]["application/json"]["schema"]
            assert schema["allOf"][0] == {"$ref": "#/components/schemas/Error"}, (name, status)
            codes = schema["allOf"][1]["properties"]["error"]["properties"]["code"]["enum"]
            assert all(ErrorCode(code).status == int(status) for code in codes), (name, status)
            assert all(f"`{code}`" in response["description"] for code in codes), (name, status)


def test_operations_name_the_4xx_statuses_they_can_answer(spec):
    statuses = {
        name: {int(s) for s in op["responses"] if int(s) >= 400} for name, op in _operations(spec)
    }
    assert statuses["POST /api/v1/auth/token"] == {400, 401, 403, 422, 429}
    assert statuses["GET /api/v1/campaigns"] == {400, 401}
    assert statuses["GET /api/v1/submissions/{submission_id}"] == {400, 401, 404}
    assert statuses["POST /api/v1/submissions/{submission_id}/versions"] >= {
        400, 401, 403, 404, 409, 413, 422,
    }  # fmt: skip
    assert statuses["GET /api/v1/assets/{code}/download"] >= {401, 404, 410}
    assert statuses["GET /api/v1/verify/{code}"] == {400, 404, 429}
    verify = spec["paths"]["/api/v1/verify/{code}"]["get"]
    assert verify["security"] == []
    assert verify["responses"]["429"]["headers"]["Retry-After"]["required"] is True
    for name, operation in _operations(spec):
        if operation["security"]:
            assert 401 in statuses[name], name


def test_an_error_answer_has_the_documented_shape_and_code(client, spec, designer_headers):
    response = client.get("/api/v1/submissions/987654", headers=designer_headers)
    assert response.status_code == 404
    assert set(response.json) == {"error"}
    assert set(response.json["error"]) == {"code", "message"}
    documented = _documented_codes(spec, "/api/v1/submissions/{submission_id}", "get", 404)
    assert response.json["error"]["code"] in documented


def test_a_method_the_api_does_not_serve_is_405_with_allow(client, designer_headers):
    response = client.delete("/api/v1/campaigns", headers=designer_headers)
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]
    assert response.headers["Content-Type"] == "application/json"


def _new_submission(client, headers, **overrides):
    c = campaign()
    body = {
        "campaign_id": c.id,
        "title": "Pano hợp đồng API",
        "format": "pano",
        "width_cm": 300,
        "height_cm": 200,
        "slogan_ids": [c.active_slogans[0].id],
        **overrides,
    }
    return client.post("/api/v1/submissions", json=body, headers=headers)


def _placement(**overrides):
    return {
        "unit_code": UNIT_A,
        "address": "Cổng UBND phường",
        "lat": LAT,
        "lon": LON,
        "site_type": "administrative_center",
        "display_from": SOON.isoformat(),
        "display_to": SOON.isoformat(),
        **overrides,
    }


def test_each_business_rule_refuses_a_schema_valid_request_with_its_documented_code(
    client, spec, designer_headers
):
    refusals = {
        "unknown_campaign": _new_submission(client, designer_headers, campaign_id=999_999),
        "unknown_slogan": _new_submission(client, designer_headers, slogan_ids=[999_999]),
    }
    draft = _new_submission(client, designer_headers).json["id"]
    places = f"/api/v1/submissions/{draft}/placements"
    refusals["period_over"] = client.post(
        places, json=_placement(display_from="2020-01-01", display_to="2020-01-31"),
        headers=designer_headers,
    )  # fmt: skip
    refusals["period_outside_campaign"] = client.post(
        places, json=_placement(display_from="2020-01-01"), headers=designer_headers
    )
    refusals["period_reversed"] = client.post(
        places, json=_placement(display_from="2099-12-31"), headers=designer_headers
    )
    refusals["unknown_unit"] = client.post(
        places, json=_placement(unit_code="NO-SUCH-UNIT"), headers=designer_headers
    )
    refusals["outside_province"] = client.post(
        places, json=_placement(lat=21.03, lon=105.85), headers=designer_headers
    )
    refusals["empty"] = post_multipart(
        client,
        f"/api/v1/submissions/{draft}/versions",
        {"file": (io.BytesIO(b""), "rong.png")},
        headers=designer_headers,
    )
    for code, response in refusals.items():
        assert response.status_code == 422, (code, response.json)
        assert response.json["error"]["code"] == code
        assert response.json["error"]["field"]
    documented = {
        "unknown_campaign": ("/api/v1/submissions", "post"),
        "unknown_slogan": ("/api/v1/submissions", "post"),
        "period_over": ("/api/v1/submissions/{submission_id}/placements", "post"),
        "period_outside_campaign": ("/api/v1/placements/{placement_id}", "patch"),
        "period_reversed": ("/api/v1/submissions/{submission_id}/placements", "post"),
        "unknown_unit": ("/api/v1/submissions/{submission_id}/placements", "post"),
        "outside_province": ("/api/v1/placements/{placement_id}", "patch"),
        "empty": ("/api/v1/submissions/{submission_id}/versions", "post"),
    }
    for code, (path, method) in documented.items():
        assert code in _documented_codes(spec, path, method, 422), (code, path)


def test_schema_refusals_keep_their_code_and_list_the_fields(client, designer_headers):
    response = _new_submission(client, designer_headers, format="tranh", width_cm=-1)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid"
    assert {"format", "width_cm"} <= set(response.json["error"]["errors"]["json"])


def _code_arguments():
    """Every `code=` given to an error raised in registry/, with where it is."""
    for path in REGISTRY.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                for keyword in node.exc.keywords:
                    if keyword.arg == "code":
                        yield f"{path.relative_to(REGISTRY)}:{node.lineno}", keyword.value


def test_every_error_code_raised_is_a_member_of_the_one_list():
    found = list(_code_arguments())
    assert len(found) > 20
    for where, value in found:
        member = isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name)
        named = member and value.value.id == "ErrorCode" and value.attr in ErrorCode.__members__
        built = isinstance(value, ast.Call) and getattr(value.func, "id", "") == "ErrorCode"
        assert named or built, f"{where}: a code must be an ErrorCode member"


def test_error_codes_are_unique_and_carry_a_client_error_or_server_status():
    values = [code.value for code in ErrorCode]
    assert len(values) == len(set(values))
    assert all(400 <= code.status < 600 and code.meaning for code in ErrorCode)
    with pytest.raises(ValueError):
        ErrorCode("no_such_code")
