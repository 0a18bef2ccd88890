"""A list's row links, built once per page, are the URLs url_for gives for each row."""

import pytest
from flask import url_for

from registry.template_helpers import row_url


@pytest.mark.parametrize("code", ["QLVH-2026-000123", "a b/c?d", "Mẫu#1", "9081726354"])
def test_row_urls_match_url_for_even_for_values_that_need_quoting(app, code):
    with app.test_request_context("/", base_url="http://example.test/registry"):
        assert row_url("library.detail", "code")(code) == url_for("library.detail", code=code)
        thumb = row_url("library.rendition", "code", rendition="thumb")
        assert thumb(code) == url_for("library.rendition", code=code, rendition="thumb")


def test_row_urls_of_integer_ids_match_url_for(app):
    with app.test_request_context("/"):
        detail = row_url("submissions.detail", "submission_id")
        assert [detail(n) for n in (1, 42)] == [
            url_for("submissions.detail", submission_id=n) for n in (1, 42)
        ]
        assert detail(7).endswith("/submissions/7")
