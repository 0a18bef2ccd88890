"""Hostile input: a generated corpus of bad uploads, forged forms, script payloads, bursts."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.submissions.models import ArtworkVersion, Submission
from tests import images
from tests.conftest import csrf_token, post_multipart, stored_keys
from tests.factories import DEPARTMENT, PASSWORD, UNIT_A

PNG = images.png_bytes(300, 200)
VIETNAMESE_NAME = ("Mẫu pano tuyên truyền Kết luận 288 phường Long Xuyên " * 10)[:500] + ".png"

# name: (artwork bytes, file name, expected status range start, words in the message)
CORPUS = {
    "bomb-png": (lambda: images.bomb_png(30000, 30000), "bomb.png", "megapixel"),
    "bomb-tiff": (lambda: images.bomb_tiff(30000, 30000), "bomb.tif", "megapixel"),
    "gif": (images.gif_bytes, "anh.gif", "PNG, JPEG, TIFF"),
    "truncated-png": (lambda: images.truncated(PNG), "cut.png", "hỏng"),
    "truncated-jpeg": (lambda: images.truncated(images.jpeg_bytes(300, 200)), "cut.jpg", "hỏng"),
    "truncated-tiff": (lambda: images.truncated(images.tiff_bytes(300, 200)), "cut.tif", "hỏng"),
    "bit-flipped-png": (lambda: images.bit_flipped(PNG), "flip.png", "hỏng"),
    "html-as-png": (images.html_as_png, "trang.png", "PNG, JPEG, TIFF"),
    "svg-script-as-png": (images.svg_with_script, "mau.png", "PNG, JPEG, TIFF"),
    "zip-as-jpg": (images.zip_bytes, "mau.jpg", "PNG, JPEG, TIFF"),
    "pdf-as-png": (images.pdf_bytes, "mau.png", "PNG, JPEG, TIFF"),
    "empty": (lambda: b"", "rong.png", "trống"),
    "animated-png": (images.animated_png, "dong.png", "động"),
    "animated-webp": (images.animated_webp, "dong.webp", "động"),
    "multipage-tiff": (images.multipage_tiff, "nhieu.tif", "nhiều"),
    "path-traversal-name": (lambda: PNG, "../../etc/passwd.png", "đường dẫn"),
    "dot-dot-name": (lambda: PNG, "..", "đường dẫn"),
    "nul-in-name": (lambda: PNG, "mau\x00.png", "ký tự điều khiển"),
    "rtl-override-name": (lambda: PNG, "mau\u202egnp.exe", "đảo chiều"),
    "500-char-vietnamese-name": (lambda: PNG, VIETNAMESE_NAME, "quá dài"),
}


@pytest.mark.parametrize("case", list(CORPUS))
def test_hostile_upload_gets_a_4xx_with_its_reason_and_leaves_nothing(
    client, app, signed_in_designer, make_submission, case
):
    make, name, words = CORPUS[case]
    submission = make_submission(signed_in_designer, artwork=None)
    before = stored_keys(app, "uploads")
    response = post_multipart(
        client,
        f"/submissions/{submission.id}/versions",
        {
            "file": (io.BytesIO(make()), name),
            "csrf_token": csrf_token(client, f"/submissions/{submission.id}"),
        },
        headers={"Accept": "application/json"},
    )
    assert 400 <= response.status_code < 500, (case, response.status_code)
    message = response.json.get("message") or response.json["error"]["message"]
    assert words in message, (case, message)
    assert stored_keys(app, "uploads") == before
    assert db.session.scalar(sa.select(sa.func.count(ArtworkVersion.id))) == 0


def test_a_2_gb_declared_body_is_refused_before_it_is_read(
    client, signed_in_designer, make_submission
):
    submission = make_submission(signed_in_designer, artwork=None)
    token = csrf_token(client, f"/submissions/{submission.id}")
    response = client.post(
        f"/submissions/{submission.id}/versions",
        data=b"x" * 1024,
        content_type="multipart/form-data; boundary=x",
        environ_overrides={"CONTENT_LENGTH": str(2 << 30)},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True)


PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def test_script_payloads_in_text_fields_are_shown_escaped_everywhere(
    client, app, make_user, login, make_submission, advance
):
    designer = make_user("designer", UNIT_A)
    reviewer = make_user("reviewer", DEPARTMENT)
    submission = make_submission(designer, title=PAYLOAD, other_text=PAYLOAD)
    submission.description = PAYLOAD
    submission.placements[0].address = PAYLOAD
    db.session.commit()
    advance(submission, "submitted", designer, reviewer)
    pages = {
        designer: ["/submissions/", f"/submissions/{submission.id}"],
        reviewer: ["/reviews/", f"/submissions/{submission.id}", f"/reviews/{submission.id}"],
    }
    for user, paths in pages.items():
        login(user)
        for path in paths:
            html = client.get(path).get_data(as_text=True)
            assert "<script>alert" not in html and "<img src=x" not in html, path
            assert "&lt;script&gt;alert" in html, path
        client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})


def test_every_form_refuses_a_post_without_csrf_token(app, client, make_user, login):
    login(make_user("admin", "SVHTT-VP"))
    posts = sorted(
        {
            rule.rule
            for rule in app.url_map.iter_rules()
            if "POST" in rule.methods and not rule.rule.startswith("/api/")
        }
    )
    assert len(posts) >= 10
    for rule in posts:
        url = re.sub(r"<int:\w+>", "1", rule)
        url = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", url)  # the first of the allowed words
        url = re.sub(r"<(\w+:)?\w+>", "QLVH-2026-000001", url)
        response = client.post(url, data={"title": "x"})
        assert response.status_code == 400, (rule, response.status_code)
        assert "CSRF" in response.get_data(as_text=True), rule


def test_a_burst_of_wrong_passwords_is_throttled(client, make_user, app):
    user = make_user("designer", UNIT_A)
    limit = app.config["REGISTRY_LOGIN_MAX_FAILURES"]
    statuses = [
        client.post(
            "/api/v1/auth/token", json={"username": user.username, "password": f"sai-{i}"}
        ).status_code
        for i in range(limit + 15)
    ]
    assert statuses[:limit] == [401] * limit
    assert set(statuses[limit:]) == {429}
    right = client.post(
        "/api/v1/auth/token", json={"username": user.username, "password": PASSWORD}
    )
    assert right.status_code == 429  # even the right password waits out the window


def test_uploaded_files_are_never_served_inline_as_html(
    client, signed_in_designer, make_submission
):
    submission = make_submission(signed_in_designer)
    version = submission.versions[0]
    for path in (f"/versions/{version.id}/original",):
        response = client.get(path)
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "html" not in response.headers["Content-Type"]
    db.session.expire_all()
    assert db.session.get(Submission, submission.id) is not None
