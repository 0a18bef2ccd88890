"""Rate limits: the public verification per client address (codes are sequential, so an
unlimited look-up walks the register) and sign-in failures per user name, both counted where
every gunicorn worker and app instance sees them."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from registry import create_app
from registry.extensions import db
from registry.ratelimit import DatabaseStorage, RateLimitHit
from tests.factories import PASSWORD, UNIT_A

CODES = [f"QLVH-2026-{n:06d}" for n in range(1, 200)]


@contextmanager
def another_instance(app, **overrides):
    """Another app (a second worker or machine) on the same database and store."""
    other = create_app({**app.config, **overrides})
    try:
        yield other
    finally:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture
def tight(app):
    """Three look-ups a minute, for the length of one test."""
    saved = app.config["REGISTRY_VERIFY_RATE_LIMIT"]
    app.config["REGISTRY_VERIFY_RATE_LIMIT"] = "3 per minute"
    yield
    app.config["REGISTRY_VERIFY_RATE_LIMIT"] = saved


def test_walking_the_codes_is_stopped_long_before_150_look_ups(client):
    statuses = [client.get(f"/api/v1/verify/{code}").status_code for code in CODES[:150]]
    assert statuses[:30] == [404] * 30  # a person checking panels is never slowed
    assert statuses.count(429) >= 100


def test_the_page_refuses_in_vietnamese_with_retry_after(client, tight):
    for code in CODES[:3]:
        assert client.get(f"/verify/{code}").status_code == 404
    response = client.get(f"/verify/{CODES[3]}")
    assert response.status_code == 429
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "quá nhiều yêu cầu" in html and "giây" in html
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_the_api_refuses_with_the_json_error_and_retry_after(client, tight):
    for code in CODES[:3]:
        assert client.get(f"/api/v1/verify/{code}").status_code == 404
    response = client.get(f"/api/v1/verify/{CODES[3]}")
    assert response.status_code == 429
    assert response.json["error"]["code"] == "too_many_requests"
    assert "Vui lòng đợi" in response.json["error"]["message"]
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_page_and_api_share_one_allowance_per_client_address(client, tight):
    client.get(f"/verify/{CODES[0]}")
    client.get(f"/api/v1/verify/{CODES[1]}")
    client.get(f"/verify/{CODES[2]}")
    assert client.get(f"/api/v1/verify/{CODES[3]}").status_code == 429
    other = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get(f"/verify/{CODES[4]}", environ_base=other).status_code == 404


def test_behind_a_proxy_the_forwarded_address_counts_only_when_configured(app, ctx):
    def statuses(hops: int) -> list[int]:
        limit = {"REGISTRY_PROXY_HOPS": hops, "REGISTRY_VERIFY_RATE_LIMIT": "2 per minute"}
        with another_instance(app, **limit) as proxied, proxied.test_client() as client:
            return [
                client.get(
                    f"/api/v1/verify/{code}",
                    headers={"X-Forwarded-For": f"198.51.100.{n}"},
                    environ_base={"REMOTE_ADDR": f"10.{hops}.0.1"},
                ).status_code
                for n, code in enumerate(CODES[:4])
            ]

    assert statuses(0) == [404, 404, 429, 429]  # every client behind the proxy is one address
    assert statuses(1) == [404] * 4  # each forwarded client counts on its own


def test_failed_sign_ins_are_counted_in_the_shared_database(app, client, make_user):
    user = make_user("designer", UNIT_A)
    limit = app.config["REGISTRY_LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        wrong = {"username": user.username, "password": "sai"}
        assert client.post("/api/v1/auth/token", json=wrong).status_code == 401
    # Another app instance (another gunicorn worker or machine) on the same database refuses.
    right = {"username": user.username.upper(), "password": PASSWORD}
    with another_instance(app) as other:
        response = other.test_client().post("/api/v1/auth/token", json=right)
    assert response.status_code == 429
    assert response.json["error"]["code"] == "too_many_requests"
    assert 0 < int(response.headers["Retry-After"]) <= app.config["REGISTRY_LOGIN_WINDOW_SECONDS"]
    hits = db.session.scalar(sa.select(sa.func.count(RateLimitHit.id)))
    assert hits == limit


def test_a_good_sign_in_clears_earlier_failures_of_that_user_name(app, client, make_user):
    user = make_user("designer", UNIT_A)
    limit = app.config["REGISTRY_LOGIN_MAX_FAILURES"]
    token = "/api/v1/auth/token"
    for _ in range(limit - 1):
        client.post(token, json={"username": user.username, "password": "sai"})
    assert (
        client.post(token, json={"username": user.username, "password": PASSWORD}).status_code
        == 200
    )
    assert (
        client.post(token, json={"username": user.username, "password": "sai"}).status_code == 401
    )
    assert (
        client.post(token, json={"username": user.username, "password": PASSWORD}).status_code
        == 200
    )


def test_a_key_no_database_column_can_hold_is_still_counted(ctx):
    storage = DatabaseStorage()
    odd = "sign-in/ai\x00" + "\udc80" * 3 + "x" * 300
    assert [storage.acquire_entry(odd, 2, 60) for _ in range(3)] == [True, True, False]
    assert storage.get_moving_window(odd, 2, 60)[1] == 2
    storage.clear(odd)
    assert storage.get_moving_window(odd, 2, 60)[1] == 0
