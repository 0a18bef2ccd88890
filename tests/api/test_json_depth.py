"""JSON nested deeper than any request needs is refused with 400 invalid_json, unparsed."""

from __future__ import annotations

import json
import re

import pytest

from registry.json_depth import MAX_JSON_DEPTH, nesting_exceeds


def _nested(depth: int) -> bytes:
    """A valid JSON text of depth levels: arrays and objects alternating."""
    value: object = "đáy"
    for level in range(depth):
        value = [value] if level % 2 else {"tầng": value}
    return json.dumps(value, ensure_ascii=False).encode()


def _json_routes(app) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            url = re.sub(r"<int:\w+>", "1", rule.rule)
            url = re.sub(r"<(\w+:)?\w+>", "QLVH-2026-000001", url)
            routes += [(method, url) for method in rule.methods - {"HEAD", "OPTIONS"}]
    return sorted(routes)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_json_nested_a_thousand_levels_deep_is_400_invalid_json_on_every_api_route(
    app, client, depth
):
    body = b"[" * depth + b"]" * depth
    routes = _json_routes(app)
    assert len(routes) >= 20
    for method, url in routes:
        response = client.open(url, method=method, data=body, content_type="application/json")
        assert response.status_code == 400, (method, url, response.status_code)
        error = response.json["error"]
        assert error["code"] == "invalid_json", (method, url)
        assert "lồng nhau quá sâu" in error["message"]


def test_the_deepest_json_accepted_is_parsed_and_one_level_more_is_refused(client):
    at_limit = client.post(
        "/api/v1/auth/token", data=_nested(MAX_JSON_DEPTH), content_type="application/json"
    )
    assert at_limit.status_code == 422  # parsed, then refused by the schema: not a list
    deeper = client.post(
        "/api/v1/auth/token", data=_nested(MAX_JSON_DEPTH + 1), content_type="application/json"
    )
    assert deeper.status_code == 400
    assert deeper.json["error"]["code"] == "invalid_json"


@pytest.mark.parametrize(
    ("body", "too_deep"),
    [
        (b'{"title": "' + b"[" * 500 + b'"}', False),  # brackets inside a string
        (b'["\\"' + b"[" * 500 + b'"]', False),  # after an escaped quote, still a string
        (b'["\\\\", ' + b"[" * 40 + b"]" * 40 + b"]", True),  # an escaped backslash ends none
        (b"[" * 40 + b"]" * 39, True),  # unclosed
        (b"[" + b"[[]], " * 100 + b"[]]", False),  # wide, not deep
        (_nested(MAX_JSON_DEPTH), False),
        (_nested(MAX_JSON_DEPTH + 1), True),
    ],
)
def test_nesting_is_measured_outside_strings_only(body: bytes, too_deep: bool):
    assert nesting_exceeds(body) is too_deep
