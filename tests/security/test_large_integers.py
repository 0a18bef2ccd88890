"""Integers beyond what the database holds: ids are 404, numbers and filters 422, on every
route the URL map and the OpenAPI document list, never a 500.

Ids are INTEGER columns: PostgreSQL overflows past 2^31 − 1, SQLite past 2^63 − 1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from wtforms import IntegerField

from registry.integers import BIGINT_MAX, INT_MAX, DbIntegerField, IdConverter
from tests.factories import UNIT_A

OVER_INT = 2**31  # one past PostgreSQL's INTEGER
HUGE = 2**63  # one past BIGINT (SQLite's INTEGER)
HUGER = 10**20  # "99999999999999999999"-sized
CODE = "QLVH-2026-000001"


@pytest.fixture
def admin_token(make_user, token_for):
    return token_for(make_user("admin", "SVHTT-VP"))


@pytest.fixture
def admin(make_user, login):
    """An admin signed in on the pages (admins see every unit and every admin page)."""
    user = make_user("admin", "SVHTT-VP")
    login(user)
    return user


def _url(rule, number: int | str) -> str:
    """The rule's URL with every int parameter set to number and any other to a code."""
    url = re.sub(r"<int:\w+>", str(number), rule.rule)
    url = re.sub(r"<any\(([\w, ]+)\):\w+>", lambda m: m.group(1).split(",")[0].strip(), url)
    return re.sub(r"<(\w+:)?\w+>", CODE, url)


def _int_rules(app):
    return [r for r in app.url_map.iter_rules() if "<int:" in r.rule]


def test_every_int_url_parameter_is_bounded_to_the_range_of_an_id_column(app):
    rules = _int_rules(app)
    assert len(rules) >= 30
    for rule in rules:
        for name, converter in rule._converters.items():
            if "<int:" + name + ">" in rule.rule:
                assert isinstance(converter, IdConverter), rule.rule
                assert converter.max == INT_MAX, rule.rule


@pytest.mark.parametrize(
    "number", [OVER_INT, HUGE, HUGER, "9" * 5000], ids=["2^31", "2^63", "10^20", "5000-digits"]
)
def test_an_id_too_large_for_the_database_is_404_on_every_route(
    app, client, admin, admin_token, number
):
    for rule in _int_rules(app):
        url = _url(rule, number)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            headers = admin_token if url.startswith("/api/") else {}
            response = client.open(url, method=method, headers=headers, json={})
            assert response.status_code == 404, (method, rule.rule, response.status_code)


def test_the_largest_id_the_database_holds_is_an_ordinary_404(app, client, admin, admin_token):
    # 2^31 − 1 passes the converter: the query must still run on PostgreSQL's INTEGER ids.
    for rule in _int_rules(app):
        if "GET" in rule.methods:
            url = _url(rule, INT_MAX)
            headers = admin_token if url.startswith("/api/") else {}
            response = client.get(url, headers=headers)
            assert response.status_code == 404, (rule.rule, response.status_code)


def _integer_schema(schema: dict, spec: dict) -> bool:
    if "$ref" in schema:
        schema = _resolve(schema["$ref"], spec)
    return schema.get("type") == "integer"


def _resolve(ref: str, spec: dict) -> dict:
    node = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _api_operations(client):
    spec = client.get("/api/v1/openapi.json").json
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                parameters = item.get("parameters", []) + operation.get("parameters", [])
                yield spec, path, method, {**operation, "parameters": parameters}


def _body_schema(operation: dict, spec: dict) -> dict:
    """The JSON request body's schema of an operation ({} when it takes none)."""
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not body:
        return {}
    schema = body["schema"]
    return _resolve(schema["$ref"], spec) if "$ref" in schema else schema


def test_the_openapi_document_bounds_every_integer_parameter_and_field(client):
    unbounded = []
    for spec, path, method, operation in _api_operations(client):
        for param in operation.get("parameters", []):
            if _integer_schema(param["schema"], spec) and param["schema"].get("maximum") is None:
                unbounded.append(f"{method} {path} {param['name']}")
        schema = _body_schema(operation, spec)
        schema = schema.get("items", schema)
        schema = _resolve(schema["$ref"], spec) if "$ref" in schema else schema
        for field, prop in schema.get("properties", {}).items():
            item = prop.get("items", prop)
            if _integer_schema(item, spec) and not 0 < item.get("maximum", BIGINT_MAX + 1) <= (
                BIGINT_MAX
            ):
                unbounded.append(f"{method} {path} {field}")
    assert not unbounded


@pytest.mark.parametrize("number", [HUGE, HUGER])
def test_a_huge_integer_in_an_api_query_or_body_is_422_naming_the_field(
    client, admin_token, number
):
    checked, ids = 0, 0
    for spec, path, method, operation in _api_operations(client):
        url = re.sub(r"\{\w+\}", lambda m: "1" if "id" in m.group(0) else CODE, path)
        for param in operation.get("parameters", []):
            if param["in"] == "path" and _integer_schema(param["schema"], spec):
                response = client.open(
                    path.replace("{" + param["name"] + "}", str(number)).replace("{", "x"),
                    method=method,
                    headers=admin_token,
                )
                assert response.status_code == 404, (method, path, response.status_code)
                ids += 1
            if param["in"] == "query" and _integer_schema(param["schema"], spec):
                response = client.open(
                    f"{url}?{param['name']}={number}", method=method, headers=admin_token
                )
                assert response.status_code == 422, (method, path, param["name"])
                assert param["name"] in response.get_data(as_text=True)
                checked += 1
        schema = _body_schema(operation, spec)
        for field, prop in schema.get("properties", {}).items():
            item = prop.get("items", prop)
            if not _integer_schema(item, spec):
                continue
            value = [number] if prop.get("type") == "array" else number
            response = client.open(url, method=method, headers=admin_token, json={field: value})
            assert response.status_code in (404, 422), (method, path, field)
            if response.status_code == 422:
                assert field in response.get_data(as_text=True), (method, path, field)
                checked += 1
    assert checked >= 8 and ids >= 10


def test_the_examples_of_the_issue_answer_404_and_422(client, admin_token, make_user, token_for):
    designer = token_for(make_user("designer", UNIT_A))
    for path in ("/api/v1/submissions/9223372036854775808", "/api/v1/placements/" + str(HUGE)):
        assert client.patch(path, headers=designer, json={}).status_code == 404
    page = client.get("/api/v1/submissions?page=99999999999999999999", headers=designer)
    assert page.status_code == 422
    assert page.json["error"]["code"] == "invalid"
    created = client.post(
        "/api/v1/submissions",
        headers=designer,
        json={
            "campaign_id": HUGE,
            "title": "Pano",
            "format": "pano",
            "width_cm": 300,
            "height_cm": 200,
            "slogan_ids": [1, HUGE],
        },
    )
    assert created.status_code == 422
    assert "campaign_id" in created.get_data(as_text=True)
    assert "slogan_ids" in created.get_data(as_text=True)


PAGE_ARGUMENTS = {
    "/library/": ["page", "campaign_id"],
    "/submissions/": ["page", "campaign_id"],
    "/reviews/": ["page", "campaign_id", "waiting_days"],
    "/displays/": ["page", "campaign_id"],
    "/admin/audit": ["page"],
    "/admin/users": ["page"],
    "/admin/units": ["page"],
    "/admin/campaigns": ["page"],
}


@pytest.mark.parametrize("number", [HUGE, HUGER])
def test_a_huge_page_number_or_filter_on_a_page_gets_a_vietnamese_message(client, admin, number):
    for path, names in PAGE_ARGUMENTS.items():
        for name in names:
            response = client.get(f"{path}?{name}={number}")
            html = response.get_data(as_text=True)
            assert response.status_code == 422, (path, name, response.status_code)
            assert f"Tham số “{name}”" in html and "phải là số nguyên" in html, (path, name)


@pytest.mark.parametrize("value", ["--5", "-", "1e3", "2.5", "٣", "abc", "9" * 5000])
def test_a_malformed_page_number_gets_a_vietnamese_message(client, admin, value):
    response = client.get("/submissions/", query_string={"page": value})
    assert response.status_code == 422
    assert "Tham số “page”" in response.get_data(as_text=True)


def test_the_largest_filter_value_is_an_empty_list_and_its_page_number_a_message(client, admin):
    for path, names in PAGE_ARGUMENTS.items():
        # Its offset (page − 1) × page size would overflow BIGINT.
        assert client.get(f"{path}?page={BIGINT_MAX}").status_code == 422, path
        if "campaign_id" in names:
            assert client.get(f"{path}?campaign_id={INT_MAX}").status_code == 200, path
            assert client.get(f"{path}?campaign_id={OVER_INT}").status_code == 422, path


def test_pages_read_integer_arguments_only_through_int_arg():
    # request.args.get(..., type=int) accepts any size and silently drops garbage.
    sources = Path(__file__).resolve().parents[2] / "registry"
    offenders = [
        str(path)
        for path in sources.rglob("*.py")
        if re.search(r"\btype=int\b", path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_every_integer_field_of_every_form_is_bounded(app):
    import registry.admin.views  # noqa: F401  (every form module is imported by the views)
    from registry.forms import RegistryForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    with app.test_request_context():
        forms = list(subclasses(RegistryForm))
        assert len(forms) >= 10
        for form_class in forms:
            for field in form_class(meta={"csrf": False}):
                if isinstance(field, IntegerField):
                    assert isinstance(field, DbIntegerField), (form_class.__name__, field.name)


def test_a_form_integer_beyond_an_id_column_is_refused_with_a_message(app):
    from registry.submissions.forms import PlacementForm

    with app.test_request_context(method="POST", data={"quantity": str(HUGE)}):
        form = PlacementForm(meta={"csrf": False})
        form.validate()
        assert "Phải là số nguyên từ -2.147.483.648 đến 2.147.483.647." in form.quantity.errors
