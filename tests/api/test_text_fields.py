"""Every string the API reads goes through the text rule: found from the app's own operations,
so a new operation or field cannot skip it."""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path

import pytest
from marshmallow import Schema, fields, validate

import registry
from registry import create_app
from registry.api.fields import Secret, Text
from registry.text import TextRefused

BIDI = "\u202e"


def bare_app():
    """The app as built, without a database: only its routes and schemas are read."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "text-fields",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "REGISTRY_STORAGE": "local",
            "REGISTRY_LOCAL_STORAGE_PATH": "/nonexistent",
        }
    )


APP = bare_app()


def input_schemas(app) -> list[tuple[str, Schema]]:
    """(endpoint, schema) of every argument every API operation reads."""
    found = []
    for endpoint, view in sorted(app.view_functions.items()):
        for parameter in getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", []):
            schema = parameter["schema"]
            found.append((endpoint, schema() if isinstance(schema, type) else schema))
    return found


def string_fields(schema: Schema, path: tuple = ()):
    """(path, field) of every string field a schema loads, nested schemas and lists included."""
    for name, field in schema.load_fields.items():
        yield from _strings(field, (*path, field.data_key or name))


def _strings(field, path):
    if isinstance(field, fields.Nested):
        yield from string_fields(field.schema, path)
    elif isinstance(field, fields.List):
        yield from _strings(field.inner, path)
    elif isinstance(field, fields.Dict):
        yield from _strings(field.value_field or fields.Raw(), path)
    elif isinstance(field, fields.String | fields.Raw) and not _is_upload(field):
        yield path, field


def _is_upload(field) -> bool:
    from flask_smorest.fields import Upload

    return isinstance(field, Upload)


def _load_one(schema: Schema, name: str, value):
    """Load one field alone (other required fields may be missing)."""
    fresh = type(schema)(partial=True)
    return fresh.load({name: value})


def test_the_api_reads_arguments_of_every_kind_we_expect():
    endpoints = {endpoint for endpoint, _ in input_schemas(APP)}
    # A guard on the finder itself: if it found nothing, the tests below would prove nothing.
    assert {"api_auth.token", "api_submissions.create_submission", "api_reviews.put_answers"} <= (
        endpoints
    )


def test_every_string_an_api_operation_reads_is_a_text_or_secret_field():
    untreated = [
        f"{endpoint}: {'.'.join(path)} is {type(field).__name__}"
        for endpoint, schema in input_schemas(APP)
        for path, field in string_fields(schema)
        if not isinstance(field, Text | Secret)
    ]
    assert not untreated, "use registry.api.fields.Text (or Secret for passwords):\n" + "\n".join(
        untreated
    )


def _text_fields():
    seen = {}
    for _, schema in input_schemas(APP):
        for name, field in schema.load_fields.items():
            if isinstance(field, Text | Secret):
                seen[(type(schema).__name__, name)] = (schema, field)
    return seen


TEXT_FIELDS = _text_fields()


@pytest.mark.parametrize("key", list(TEXT_FIELDS), ids=[".".join(k) for k in TEXT_FIELDS])
def test_every_api_text_field_refuses_a_lone_surrogate_naming_the_field(key):
    schema, field = TEXT_FIELDS[key]
    with pytest.raises(TextRefused) as caught:
        _load_one(schema, key[1], "Pano\ud800")
    assert caught.value.field == key[1] and caught.value.status == 422
    assert f"“{field.label}” ({key[1]})" in caught.value.message
    assert "U+D800" in caught.value.message


@pytest.mark.parametrize(
    "key",
    [k for k, (_, f) in TEXT_FIELDS.items() if isinstance(f, Text)],
    ids=[".".join(k) for k, (_, f) in TEXT_FIELDS.items() if isinstance(f, Text)],
)
def test_every_api_text_field_refuses_controls_and_bidi_and_stores_nfc_trimmed(key):
    schema, field = TEXT_FIELDS[key]
    for bad in ("\x00", BIDI, "\x1b"):
        with pytest.raises(TextRefused) as caught:
            _load_one(schema, key[1], f"Pano{bad}")
        assert caught.value.field == key[1] and f"U+{ord(bad):04X}" in caught.value.message
    choices = [v.choices for v in field.validators if isinstance(v, validate.OneOf)]
    typed = (
        f"  {next(iter(choices[0]))} "
        if choices
        else unicodedata.normalize("NFD", " Tuyên truyền ")
    )
    assert _load_one(schema, key[1], typed)[key[1]] == unicodedata.normalize("NFC", typed.strip())


def test_no_api_module_reads_a_json_body_past_its_schema():
    readers = []
    for path in sorted((Path(registry.__file__).parent / "api").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "request"
                and node.attr in {"json", "get_json", "data", "get_data"}
            ):
                readers.append(f"{path.name}:{node.lineno} request.{node.attr}")
    assert not readers, readers
