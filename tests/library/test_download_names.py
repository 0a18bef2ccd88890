"""Every download that names a file, fetched through gunicorn: the name arrives intact."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from werkzeug.http import parse_options_header

from registry.extensions import db
from registry.storage import content_disposition
from registry.storage.service import get_store
from registry.submissions import ingest
from tests import images
from tests.factories import PASSWORD, upload
from tests.served import Served

# The names people give their files: Vietnamese, an emoji, and quotes that end a header value.
NAMES = {
    "vietnamese": "mẫu-pano Kết luận 288 Đặc khu.png",
    "emoji": "🎨 pano ✨.png",
    "quotes": "pano \"Long Xuyên\" 3'x2'.png",
}
PRINT_NAMES = {kind: name.removesuffix(".png") + ".pdf" for kind, name in NAMES.items()}


@pytest.fixture(scope="module")
def served(app):
    """gunicorn over the same database and store as the test app (both stacks)."""
    server = Served(app.config)
    yield server
    server.stop()


def named(headers) -> str:
    """The file name a browser saves the response under (RFC 6266, filename* preferred)."""
    disposition = headers["Content-Disposition"]
    assert disposition is not None, "no Content-Disposition"
    assert disposition.isascii(), disposition
    kind, options = parse_options_header(disposition)
    assert kind == "attachment", disposition
    return options["filename"]


def assert_named(status, headers, body, name: str) -> None:
    assert status == 200, body[:300]
    assert named(headers) == name
    assert headers["Content-Disposition"] == content_disposition(name)


@pytest.fixture
def version_with_names(people, make_submission):
    """A draft whose versions carry each kind of name, for the artwork and the print file."""

    def make(kind: str):
        designer = people["designer_a"]
        submission = make_submission(designer, artwork=None)
        version = ingest.add_version(
            designer,
            submission,
            upload(images.png_bytes(300, 200), NAMES[kind]),
            upload(images.pdf_bytes(), PRINT_NAMES[kind]),
        )
        db.session.commit()
        return version

    return make


@pytest.mark.parametrize("kind", list(NAMES))
def test_original_and_print_file_downloads_keep_the_users_file_name_under_gunicorn(
    served, people, version_with_names, kind
):
    version = version_with_names(kind)
    browser = served.browser()
    browser.sign_in(people["designer_a"].username, PASSWORD)
    assert_named(*browser.fetch(f"/versions/{version.id}/original"), NAMES[kind])
    assert_named(*browser.fetch(f"/versions/{version.id}/print"), PRINT_NAMES[kind])


@pytest.mark.parametrize("kind", list(NAMES))
def test_presigned_links_of_the_store_keep_the_file_name_under_gunicorn(
    served, people, approve, kind
):
    # LocalStore links are served by the app (/storage/<token>); MinIO's by MinIO itself,
    # from the response-content-disposition the link was signed with.
    asset = approve()
    url = get_store().presigned_url(
        "approved", asset.storage_key, expires=timedelta(minutes=5), filename=NAMES[kind]
    )
    status, headers, body = served.browser().fetch(url)
    assert_named(status, headers, body, NAMES[kind])
    assert body.startswith(b"\x89PNG")


@pytest.mark.parametrize("route", ["page", "api"])
def test_approved_file_downloads_are_named_by_their_approval_code_under_gunicorn(
    served, people, approve, route
):
    asset = approve(print_file=images.pdf_bytes())
    browser = served.browser()
    user = people["locality_a"].username
    if route == "page":
        browser.sign_in(user, PASSWORD)
        path, headers = f"/library/{asset.code}/download", {}
    else:
        path, headers = f"/api/v1/assets/{asset.code}/download", browser.api_token(user, PASSWORD)
    for kind, name in (("artwork", f"{asset.code}.png"), ("print", f"{asset.code}-print.pdf")):
        status, answer, body = browser.fetch(f"{path}?file={kind}", headers=headers)
        assert status in (302, 303), body[:300]
        assert_named(*browser.fetch(answer["Location"]), name)


def test_zip_and_qr_downloads_are_named_under_gunicorn(served, people, approve):
    asset = approve()
    browser = served.browser()
    browser.sign_in(people["locality_a"].username, PASSWORD)
    status, headers, body = browser.fetch(
        "/library/zip",
        {"codes": [asset.code], "csrf_token": browser.csrf_token("/library/")},
    )
    assert status == 200, body[:300]
    assert named(headers).startswith("mau-da-duyet-") and named(headers).endswith(".zip")
    assert zipfile.ZipFile(BytesIO(body)).namelist()
    for kind in ("png", "svg"):
        assert_named(
            *browser.fetch(f"/library/{asset.code}/qr.{kind}?download=1"),
            f"{asset.code}-qr.{kind}",
        )
