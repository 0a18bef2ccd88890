"""The interface speaks Vietnamese (the source) and English: every visible string of every template
and every Vietnamese string of the code goes through a translation function, the English
catalogue translates all of them and ships compiled, numbers and dates follow the language, and
each user's choice of language is kept."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale

from registry import create_app
from registry.audit import AuditEvent
from registry.extensions import db
from registry.i18n import day, moment, number, parse_decimal
from tests.conftest import csrf_token
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "registry"
CATALOGUE = PACKAGE / "translations" / "en" / "LC_MESSAGES"
TEMPLATES = sorted(PACKAGE.glob("**/templates/**/*.html"))

# Letters of Vietnamese beyond ASCII: a string holding one is Vietnamese text.
VIETNAMESE = re.compile(
    "[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE
)
# Visible words that are the same in every language: units, formats, version marks.
SAME_IN_EVERY_LANGUAGE = {"cm", "m", "px", "ppi", "MB", "GB", "KB", "MP", "v", "QR", "PDF", "CSV"}
TRANSLATING = {"_", "gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext", "_l"}
# Attributes a person reads or hears (a screen reader says aria-label and title).
SPOKEN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description"}
MARK = "\x00"

APP = create_app(
    {
        "TESTING": True,
        "SECRET_KEY": "translations",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "REGISTRY_STORAGE": "local",
        "REGISTRY_LOCAL_STORAGE_PATH": "/nonexistent",
    }
)


def _outside_translation(source: str) -> tuple[str, list[str]]:
    """The template's literal markup (each tag replaced by a mark), and the Vietnamese string
    literals of its expressions that are not an argument of a translation function."""
    markup: list[str] = []
    literals: list[str] = []
    in_trans = False
    depth_of_call: list[int] = []  # parenthesis depths at which a translation call opened
    depth = 0
    previous: tuple[str, str] = ("", "")
    after_block_begin = False
    for _line, kind, value in APP.jinja_env.lex(source):
        if kind == "whitespace":
            continue
        if kind == "block_begin":
            after_block_begin = True
            markup.append(MARK)
            continue
        if after_block_begin and kind == "name":
            if value == "trans":
                in_trans = True
            elif value == "endtrans":
                in_trans = False
        after_block_begin = False
        if kind == "data":
            markup.append(MARK if in_trans else value)
        elif kind == "variable_begin":
            markup.append(MARK)
        elif kind == "operator" and value == "(":
            depth += 1
            if previous == ("name", previous[1]) and previous[1] in TRANSLATING:
                depth_of_call.append(depth)
        elif kind == "operator" and value == ")":
            if depth_of_call and depth_of_call[-1] == depth:
                depth_of_call.pop()
            depth -= 1
        elif kind == "string" and VIETNAMESE.search(value) and not depth_of_call:
            literals.append(value)
        previous = (kind, value)
    return "".join(markup), literals


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skipping += 1
        for name, value in attrs:
            if name in SPOKEN_ATTRIBUTES and value:
                self.texts.append(value)
            if name == "value" and value and dict(attrs).get("type") in ("submit", "button"):
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.texts.append(data)


def _untranslated(path: Path) -> list[str]:
    markup, literals = _outside_translation(path.read_text(encoding="utf-8"))
    parser = _VisibleText()
    parser.feed(markup)
    found = []
    for text in parser.texts:
        for piece in text.split(MARK):
            words = re.findall(r"[^\W\d_]+", piece)
            if any(word not in SAME_IN_EVERY_LANGUAGE for word in words):
                found.append(piece.strip())
    return found + literals


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_template_shows_no_text_outside_the_translation_functions(path):
    assert _untranslated(path) == []


def test_the_template_check_finds_text_outside_the_translation_functions(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<h1>{{ _('Hồ sơ mẫu') }}</h1><p title=\"Gợi ý\">Tải lên {{ n }} tệp</p>"
        "{{ field(form.x, help='Ví dụ 10') }}{% trans %}Đã lưu{% endtrans %} 600 cm",
        encoding="utf-8",
    )
    assert _untranslated(page) == ["Gợi ý", "Tải lên", "tệp", "'Ví dụ 10'"]


# Python files whose Vietnamese is not interface text: the approval document keeps its legal
# Vietnamese whatever the reader's language (ND 30/2020), operator commands print for the
# operator's terminal, and reference data (spelling, the units, the demo) is content, not
# interface.
NOT_INTERFACE = {
    "documents/render.py",
    "documents/commands.py",
    "cli.py",
    "backup/commands.py",
    "backup/database.py",
    "backup/objects.py",
    "backup/manifest.py",
    "storage/consistency.py",
    "demo.py",
    "refdata.py",
    "textcheck/spelling.py",
    "textcheck/vietnamese.py",
    "i18n.py",  # each language's name is written in that language
}
# A line of code may hold Vietnamese that is not interface text (a word list the OCR matches, a
# sample of the approval document) when it says so and why: `# not interface: <reason>`.
NOT_INTERFACE_MARK = "# not interface:"


def _vietnamese_literals_outside_translation(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    exempt = {n for n, line in enumerate(source.splitlines(), 1) if NOT_INTERFACE_MARK in line}
    tree = ast.parse(source)
    inside: set[int] = set()
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in TRANSLATING:
                for sub in ast.walk(node):
                    inside.add(id(sub))
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            docstrings.add(id(body[0].value))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and VIETNAMESE.search(node.value)
            and id(node) not in inside
            and id(node) not in docstrings
            and not exempt & set(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        ):
            found.append(f"{node.lineno}: {node.value[:60]}")
    return found


PYTHON = sorted(
    p for p in PACKAGE.rglob("*.py") if str(p.relative_to(PACKAGE)) not in NOT_INTERFACE
)


@pytest.mark.parametrize("path", PYTHON, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_code_writes_vietnamese_only_inside_the_translation_functions(path):
    assert _vietnamese_literals_outside_translation(path) == []


def _catalogue():
    with (CATALOGUE / "messages.po").open("rb") as file:
        return read_po(file, locale="en")


def _extracted() -> set[str]:
    method_map = [("registry/**.py", "python"), ("registry/**/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=keywords
    ):
        found.update(message if isinstance(message, tuple) else (message,))
    return found


def test_the_english_catalogue_translates_every_string_of_the_interface():
    catalogue = _catalogue()
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalogue
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    plural_forms = {m.id[1] for m in catalogue if isinstance(m.id, tuple)}
    missing = sorted(_extracted() - translated - plural_forms)
    assert missing == [], "run scripts/i18n, then write the English of these strings"


def _hashable(value):
    """A plural entry's forms: read_mo gives lists, read_po tuples."""
    return tuple(value) if isinstance(value, list) else value


def test_the_compiled_catalogue_that_ships_is_the_current_one():
    with (CATALOGUE / "messages.mo").open("rb") as file:
        compiled = {
            (m.context, _hashable(m.id)): _hashable(m.string) for m in read_mo(file) if m.id
        }
    written = {
        (m.context, m.id): m.string for m in _catalogue() if m.id and m.string and not m.fuzzy
    }
    assert compiled == written, "run scripts/i18n compile"


def test_numbers_and_dates_are_written_the_way_each_language_writes_them():
    from datetime import UTC, date, datetime

    with APP.test_request_context():
        with force_locale("vi"):
            assert f"{number(600.5)} × {number(200)} cm" == "600,5 × 200 cm"
            assert number(1200) == "1.200"
            assert day(date(2026, 1, 5)) == "05/01/2026"
            assert moment(datetime(2026, 1, 5, 1, 30, tzinfo=UTC)) == "05/01/2026 08:30"
        with force_locale("en"):
            assert f"{number(600.5)} × {number(200)} cm" == "600.5 × 200 cm"
            assert number(1200) == "1,200"
            assert day(date(2026, 1, 5)) == "5 Jan 2026"
            assert moment(datetime(2026, 1, 5, 1, 30, tzinfo=UTC)) == "5 Jan 2026, 08:30"


@pytest.mark.parametrize(
    ("typed", "value"),
    [("600,5", Decimal("600.5")), ("600.5", Decimal("600.5")), (" 1 200 ", Decimal("1200"))],
)
def test_a_decimal_may_be_typed_with_a_comma_or_a_point(typed, value):
    assert parse_decimal(typed) == value


@pytest.mark.parametrize("typed", ["6,00,5", "abc", "1,2.3", "NaN", "Infinity", ""])
def test_a_decimal_that_is_not_one_number_is_refused(typed):
    with pytest.raises(ValueError):
        parse_decimal(typed)


def _choose(browser, language: str, next_page: str = "/login", form_page: str = "/login"):
    return browser.post(
        "/language",
        data={
            "language": language,
            "next": next_page,
            "csrf_token": csrf_token(browser, form_page),
        },
    )


def test_a_visitor_chooses_english_on_the_sign_in_page(app, client):
    assert 'lang="vi"' in client.get("/login").get_data(as_text=True)
    response = _choose(client, "en")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page and "Department of Culture and Sports" in page


def test_a_users_language_is_kept_with_the_account_and_recorded(app, client, designer, login):
    login(designer)
    response = _choose(client, "en", "/account", form_page="/account")
    assert response.status_code == 303 and response.headers["Location"] == "/account"
    db.session.refresh(designer)
    assert designer.language == "en"
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "user.language_changed")
    ).one()
    assert event.data == {"before": "vi", "after": "en"}
    elsewhere = app.test_client()  # a new browser, a new session: the account's language holds
    elsewhere.post(
        "/login",
        data={
            "username": designer.username,
            "password": PASSWORD,
            "csrf_token": csrf_token(elsewhere),
        },
    )
    assert 'lang="en"' in elsewhere.get("/account").get_data(as_text=True)


def test_an_unknown_language_is_refused_with_a_message(app, client):
    response = _choose(client, "fr")
    assert response.status_code == 422
    assert "Lựa chọn không hợp lệ" in response.get_data(as_text=True)
    assert 'lang="vi"' in client.get("/login").get_data(as_text=True)


def test_choosing_a_language_needs_the_forms_csrf_token(app):
    browser = app.test_client()
    response = browser.post("/language", data={"language": "en", "next": "/login"})
    assert response.status_code == 400
    assert 'lang="vi"' in browser.get("/login").get_data(as_text=True)


def test_an_api_client_without_a_token_may_ask_for_english(app, client):
    english = client.get("/api/v1/submissions", headers={"Accept-Language": "en"})
    vietnamese = client.get("/api/v1/submissions")
    assert english.status_code == vietnamese.status_code == 401
    assert english.json["error"]["message"] != vietnamese.json["error"]["message"]
