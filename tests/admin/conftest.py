"""Fixtures of the admin pages: a signed-in admin and form posts with a CSRF token."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token

ADMIN_UNIT = "SVHTT-VP"


@pytest.fixture
def admin(make_user, login):
    """An admin, signed in on `client`."""
    user = make_user("admin", ADMIN_UNIT)
    login(user)
    return user


@pytest.fixture
def post(client):
    """POST a form as a browser would: with the CSRF token of a page of the same session."""

    def do(url: str, data: dict | None = None, *, page: str = "/account", **kwargs):
        token = csrf_token(client, page)
        return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)

    return do
