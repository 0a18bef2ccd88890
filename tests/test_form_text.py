"""Every free-text field of every form gets the text rule (registry.text): found by walking the
forms the app defines, so a new form or field cannot miss it."""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata

import pytest
from flask_wtf import FlaskForm
from flask_wtf.file import FileField as UploadField
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FileField,
    FloatField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.csrf.core import CSRFTokenField

import registry
from registry import create_app
from registry.forms import RegistryForm, is_free_text
from registry.reviews.forms import ChecklistAnswersForm

# Fields that hold no typed text: a choice, a number, a date, a flag, a file, a token.
NOT_TEXT = (
    SelectField,
    SelectMultipleField,
    DateField,
    DecimalField,
    IntegerField,
    FloatField,
    BooleanField,
    FileField,
    UploadField,
    HiddenField,
    PasswordField,
    CSRFTokenField,
)

for module in pkgutil.walk_packages(registry.__path__, "registry."):
    importlib.import_module(module.name)

APP = create_app(
    {
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "form-text",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "REGISTRY_STORAGE": "local",
        "REGISTRY_LOCAL_STORAGE_PATH": "/nonexistent",
    }
)


def _subclasses(cls) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def app_forms() -> list[type[RegistryForm]]:
    """Every form class of the app, and the checklist form as a review builds it."""
    forms = [
        f
        for f in _subclasses(RegistryForm)
        if f.__module__.startswith("registry.") and f.__qualname__.count("<locals>") == 0
    ]
    return [*forms, ChecklistAnswersForm.for_items(["CT-01", "MQ-07"])]


def _fields(form_class) -> list[tuple[str, object]]:
    with APP.test_request_context():
        form = form_class(formdata=None)
        return [(name, form[name]) for name in form._fields]


FIELDS = [
    (form_class, name, field) for form_class in app_forms() for name, field in _fields(form_class)
]
TEXT_FIELDS = [(f, name, field) for f, name, field in FIELDS if is_free_text(field)]
IDS = [f"{f.__name__}.{name}" for f, name, _ in TEXT_FIELDS]


def test_the_walk_finds_the_forms_people_type_into():
    names = {f"{f.__name__}.{name}" for f, name, _ in TEXT_FIELDS}
    assert {
        "SubmissionForm.title",
        "PlacementForm.address",
        "TransitionForm.comment",
        "RevokeForm.reason",
        "AnnotationForm.body",
        "Answers.comment-CT-01",
        "CampaignEditForm.title",
        "UserCreateForm.full_name",
    } <= names


def test_every_form_of_the_app_derives_from_the_registry_form():
    outside = [
        f"{f.__module__}.{f.__qualname__}"
        for f in _subclasses(FlaskForm)
        if f.__module__.startswith("registry.") and not issubclass(f, RegistryForm)
    ]
    assert not outside, outside


def test_every_field_is_known_as_typed_text_or_as_something_else():
    unknown = [
        f"{f.__name__}.{name}: {type(field).__name__}"
        for f, name, field in FIELDS
        if not isinstance(field, (StringField, *NOT_TEXT))
    ]
    assert not unknown, "decide whether these hold typed text (registry.forms.is_free_text)"


def _submit(form_class, name: str, value: str):
    with APP.test_request_context(method="POST"):
        form = form_class(formdata=MultiDict({name: value}))
        field = form[name]
        field.validate(form)
        return field.data, field.errors, field.label.text


@pytest.mark.parametrize("form_class, name, field", TEXT_FIELDS, ids=IDS)
@pytest.mark.parametrize(
    "bad, words",
    [("\x00", "ký tự điều khiển"), ("\u202e", "đảo chiều"), ("\u2067", "đảo chiều")],
)
def test_every_text_field_refuses_control_and_bidi_characters_naming_itself(
    form_class, name, field, bad, words
):
    _, errors, label = _submit(form_class, name, f"Tên{bad}mẫu")
    assert errors and errors[0].startswith(f"“{label}” chứa"), errors
    assert words in errors[0] and f"U+{ord(bad):04X}" in errors[0]


@pytest.mark.parametrize("form_class, name, field", TEXT_FIELDS, ids=IDS)
def test_every_text_field_is_stored_composed_and_trimmed(form_class, name, field):
    decomposed = unicodedata.normalize("NFD", "Phường Long Xuyên")
    data, _, _ = _submit(form_class, name, f" \t{decomposed}  ")
    assert data == "Phường Long Xuyên"
