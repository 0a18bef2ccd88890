"""The interface's languages (Flask-Babel): Vietnamese, the source and default, and English.

Every user-facing string is written in Vietnamese inside a translation function (`_()` in
templates and code, `lazy_gettext` for texts defined at import time); the English catalogue is
`registry/translations/en/LC_MESSAGES/messages.po`, compiled to `messages.mo` beside it
(`scripts/i18n` extracts, updates and compiles). A signed-in user's language is their own setting;
before signing in it is the one chosen on the sign-in page (kept in the session).

Numbers and dates follow the language: "600,5 × 200 cm" and "01/12/2026" in Vietnamese,
"600.5 × 200 cm" and "1 Dec 2026" in English. Official documents (the approval PDF) stay in
Vietnamese whatever the reader's language: they are administrative documents (ND 30/2020).
"""

from __future__ import annotations

import functools
import re
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from babel import Locale
from babel.numbers import NumberPattern, format_decimal, parse_pattern
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel, force_locale, get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

# The languages the interface speaks, each named in itself (a user finds their own).
LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"
SESSION_KEY = "language"

babel = Babel()


def select_language() -> str:
    """The language of this request: the user's setting, else the session's choice (for the API,
    else Accept-Language), else vi.

    The user counts once this request has loaded them (every signed-in page and API call does,
    before it writes a word); nothing here loads them, so that a page which needs no user
    (/readyz while the database is away) never touches the database to choose its words. Signing
    in copies the user's language into the session for anything said before that.
    """
    if not has_request_context():
        return DEFAULT_LANGUAGE
    user = g.get("_login_user")  # Flask-Login's user of this request, if it was loaded
    chosen = getattr(user, "language", None) if user and user.is_authenticated else None
    chosen = chosen or session.get(SESSION_KEY)
    if not chosen and request.path.startswith("/api/"):
        # A client without a token (or a language) may ask for one; pages stay Vietnamese first.
        chosen = request.accept_languages.best_match(LANGUAGES)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    """The language being rendered ("vi" or "en")."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


@contextmanager
def language_of(user):
    """Render for `user` (an e-mail, a digest) in their language, not the request's."""
    with force_locale(getattr(user, "language", None) or DEFAULT_LANGUAGE):
        yield


def _translations():
    """The catalogue of the language being rendered, looked up once per language and request.

    Flask-Babel's own lookup walks the request's globals three times for every string; a list
    page translates some hundreds. The catalogue is kept beside Flask-Babel's locale on its
    per-request namespace and used while that locale object is the current one, so
    `force_locale` (an e-mail in its reader's language) and `refresh()` still switch it.
    """
    babel_ctx = getattr(g, "_flask_babel", None) if g else None
    locale = getattr(babel_ctx, "babel_locale", None)
    if locale is None:
        return get_translations()  # the locale is not chosen yet: Flask-Babel chooses it
    held = getattr(babel_ctx, "registry_translations", None)
    if held is None or held[0] is not locale:
        held = babel_ctx.registry_translations = (locale, get_translations())
    return held[1]


# Jinja's own new-style wrappers take the whole template context, which Jinja copies for every
# call made inside a loop (a list page's rows: thousands of copies a page); these take only the
# evaluation context (autoescaping), and do what jinja2.ext's wrappers do with it.
def _finish(eval_ctx: EvalContext, text: str, variables: dict) -> str:
    # The catalogue is ours, as in Jinja's wrappers; Markup's % escapes the values put in it.
    text = Markup(text) if eval_ctx.autoescape else text  # noqa: S704
    if not variables and "%" not in text:
        return text  # what % would give back, without its cost (most strings of a page)
    return text % variables


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str, /, **variables) -> str:
    return _finish(eval_ctx, _translations().ugettext(string), variables)


@pass_eval_context
def _template_ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables
) -> str:
    variables.setdefault("num", num)
    return _finish(eval_ctx, _translations().ungettext(singular, plural, num), variables)


@pass_eval_context
def _template_pgettext(eval_ctx: EvalContext, context: str, string: str, /, **variables) -> str:
    variables.setdefault("context", context)
    return _finish(eval_ctx, _translations().upgettext(context, string), variables)


@pass_eval_context
def _template_npgettext(
    eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int, /, **variables
) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    text = _translations().unpgettext(context, singular, plural, num)
    return _finish(eval_ctx, text, variables)


def number(value, places: int = 1) -> str:
    """A measure in the reader's language: "600,5" / "600.5", "1.200" / "1,200", "80" (no ",0")."""
    if value is None:
        return ""
    return format_decimal(value, format=_number_pattern(places), locale=_locale())


@functools.cache
def _number_pattern(places: int) -> NumberPattern:
    """The measure's CLDR pattern, parsed once (Babel parses a pattern string at every call)."""
    return parse_pattern("#,##0" + ("." + "#" * places if places > 0 else ""))


def _locale() -> Locale:
    """The locale being rendered, as Babel's object (a language code is parsed at every call)."""
    return get_locale() or _default_locale()


@functools.cache
def _default_locale() -> Locale:
    return Locale.parse(DEFAULT_LANGUAGE)


# How a day and a moment are written, per language (CLDR patterns).
DAY_PATTERNS = {"vi": "dd/MM/y", "en": "d MMM y"}
MOMENT_PATTERNS = {"vi": "dd/MM/y HH:mm", "en": "d MMM y, HH:mm"}
SECONDS_PATTERNS = {"vi": "dd/MM/y HH:mm:ss", "en": "d MMM y, HH:mm:ss"}


def day(value: date | datetime | None) -> str:
    """A calendar day in the reader's language ("01/12/2026", "1 Dec 2026"); "" for none."""
    from babel.dates import format_date

    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    locale = _locale()
    return format_date(value, DAY_PATTERNS.get(locale.language, DAY_PATTERNS["vi"]), locale=locale)


def moment(value: datetime | None, seconds: bool = False) -> str:
    """A stored UTC time in the registry's time zone and the reader's language; "" for none."""
    from babel.dates import format_datetime

    from registry.clock import local_zone

    if value is None:
        return ""
    locale = _locale()
    patterns = SECONDS_PATTERNS if seconds else MOMENT_PATTERNS
    local = value.astimezone(local_zone())
    return format_datetime(local, patterns.get(locale.language, patterns["vi"]), locale=locale)


class AmbiguousDecimal(ValueError):
    """A measure typed with what may be a thousands separator ("1,200", "1.200"): twelve hundred
    in one language, 1.2 in the other. `thousands` and `decimal` are its two readings, or None
    for digit groups that are no number at all without them ("1.200.000", "1.200,5")."""

    def __init__(self, text: str, thousands: Decimal | None = None, decimal: Decimal | None = None):
        super().__init__(text)
        self.thousands = thousands
        self.decimal = decimal


# One thousands group: 1 to 3 digits (not starting with 0), a separator, exactly three digits.
_ONE_GROUP = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")
# Digits in thousands groups and maybe a decimal part, as grouped numbers are written:
# "1.200.000", "1.200,5", "1,200.5" (one lone group is _ONE_GROUP's).
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?:[.,]\d{3})+(?:[.,]\d+)?")


def parse_decimal(text: str, *, measure: bool = False) -> Decimal:
    """A typed number, with a decimal comma or point: "600,5" and "600.5" are both 600.5.

    Spaces are dropped ("1 200" is 1200); one comma or one point is the decimal mark, so
    "1,200" and "1.200" are both 1.2 (never a thousands separator). Raises ValueError for
    anything else ("1,2.3", "NaN", "").

    A `measure` (a size, a distance) is read by people of both languages, and English writes
    twelve hundred "1,200" where Vietnamese writes "1.200": a lone separator followed by exactly
    three digits, and digit groups, raise AmbiguousDecimal instead of guessing."""
    cleaned = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if measure and _ONE_GROUP.fullmatch(cleaned):
        whole = Decimal(re.sub(r"[.,]", "", cleaned))
        raise AmbiguousDecimal(text, thousands=whole, decimal=whole / 1000)
    if measure and _GROUPED.fullmatch(cleaned):
        raise AmbiguousDecimal(text)
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def constant_words(name: str) -> Markup:
    """A template made of nothing but words (the JSON islands of the scripts' messages in the
    layout), rendered once per process and language rather than on every page.

    The template sees only the environment's globals, never a request's context; with
    TEMPLATES_AUTO_RELOAD (debug) it is rendered every time, so an edit shows at once.
    """
    cache = current_app.extensions.setdefault("registry_constant_words", {})
    key = (name, current_language())
    words = cache.get(key)
    if words is None or current_app.jinja_env.auto_reload:
        template = current_app.jinja_env.get_template(name)
        words = cache[key] = Markup(template.render())  # noqa: S704  (autoescaped by Jinja)
    return words


def init_app(app: Flask) -> None:
    """Install Flask-Babel (the `_`, `gettext`, `ngettext` template functions) and the filters."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    babel.init_app(app, locale_selector=select_language)
    # The templates' translation functions: Jinja's new-style gettext (autoescaped, always a
    # format string) over the request's catalogue, installed by Flask-Babel above.
    app.jinja_env.globals.update(
        _=_template_gettext,
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
    )
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.globals.update(
        current_language=current_language, LANGUAGES=LANGUAGES, constant_words=constant_words
    )
