"""Every choice field of every form gives its labels one way, a table (value -> lazy label) passed
as `choices` that RegistryForm renders when the form binds: each form shows its options in the
reader's language, the same form class in Vietnamese then in English, and validates alike."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from werkzeug.datastructures import MultiDict
from wtforms.fields import SelectFieldBase

from registry.notifications.forms import preferences_form
from registry.notifications.models import KINDS
from tests.test_form_text import APP, app_forms


def _forms():
    """The app's forms, with the preferences form as built for a user offered every kind."""
    with APP.test_request_context():
        preferences = type(preferences_form(tuple(KINDS)))
    forms = [f for f in app_forms() if f.__name__ != preferences.__name__]
    return [*forms, preferences]


def _choice_fields():
    """(form factory, field name, the declared choices) of every choice field of the app."""
    found = []
    for factory in _forms():
        with APP.test_request_context():
            form = factory(formdata=None)
            for name, unbound in form._unbound_fields:
                if issubclass(unbound.field_class, SelectFieldBase):
                    found.append((factory, name, unbound.kwargs.get("choices")))
    return found


CHOICE_FIELDS = _choice_fields()
LAZY = [
    (factory, name, choices)
    for factory, name, choices in CHOICE_FIELDS
    if isinstance(choices, dict) and any(isinstance(v, LazyString) for v in choices.values())
]


def _id(entry) -> str:
    factory, name, _ = entry
    return f"{factory.__name__}.{name}"


def test_the_walk_finds_the_choice_fields_with_lazy_labels():
    names = {_id(entry) for entry in LAZY}
    assert {
        "SubmissionForm.format",
        "SubmissionForm.scope",
        "PlacementForm.site_type",
        "Answers.result-CT-01",
        "KindsPreferencesForm.kind_decision",
        "InspectionForm.condition",
        "CampaignEditForm.signoff_steps",
        "ChecklistItemNewForm.group_code",
        "CalendarDayForm.kind",
        "UserCreateForm.role",
    } <= names


def test_every_choice_field_declares_a_table_or_leaves_its_choices_to_the_view():
    other = [
        f"{_id(entry)}: {type(entry[2]).__name__}"
        for entry in CHOICE_FIELDS
        if not isinstance(entry[2], dict) and entry[2] not in ([], None)
    ]
    assert not other, "pass the table of labels itself as choices (registry.forms.RegistryForm)"


def _options(factory, name: str, language: str) -> dict:
    with APP.test_request_context(), force_locale(language):
        form = factory(formdata=None)
        return {str(option.data): option.label.text for option in form[name]}


@pytest.mark.parametrize("entry", LAZY, ids=[_id(e) for e in LAZY])
def test_every_lazy_choice_is_shown_in_vietnamese_then_in_english(entry):
    factory, name, table = entry
    vietnamese = _options(factory, name, "vi")
    english = _options(factory, name, "en")
    assert vietnamese == {str(value): str(label) for value, label in table.items()}
    with APP.test_request_context(), force_locale("en"):
        assert english == {str(value): str(label) for value, label in table.items()}
    assert vietnamese != english


@pytest.mark.parametrize("entry", LAZY, ids=[_id(e) for e in LAZY])
@pytest.mark.parametrize(
    ("language", "refusal"), [("vi", "Lựa chọn không hợp lệ."), ("en", "Invalid choice.")]
)
def test_every_lazy_choice_field_takes_its_values_and_refuses_others_in_each_language(
    entry, language, refusal
):
    factory, name, table = entry
    value = str(next(v for v in table if v != ""))
    with APP.test_request_context(method="POST"), force_locale(language):
        form = factory(formdata=MultiDict({name: value}))
        assert form[name].validate(form), form[name].errors
        form = factory(formdata=MultiDict({name: "no-such-choice"}))
        field = form[name]
        if not field.validate_choice:  # the checklist's results: the workflow checks them
            return
        assert not field.validate(form)
        assert field.errors == [refusal]
