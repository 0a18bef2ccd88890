"""/readyz, the request log with its id, and /metrics guarded from the public."""

from __future__ import annotations

import io
import json
import logging
import socket

import pytest
import sqlalchemy as sa
from flask import g
from flask_login import AnonymousUserMixin

from registry import observability
from registry.extensions import db
from registry.observability import REQUEST_ID_HEADER, request_log
from registry.submissions.models import ArtworkVersion
from tests import images
from tests.conftest import post_multipart


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def test_readyz_answers_ok_when_database_and_store_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "checks": {"database": "ok", "store": "ok", "queue": "ok"},
    }


def test_readyz_names_the_database_when_it_is_down(make_instance, stack, tmp_path):
    if stack == "embedded":
        url = f"sqlite:///{tmp_path / 'no-such-folder' / 'registry.sqlite3'}"
    else:
        url = f"postgresql+psycopg://registry:registry@127.0.0.1:{_closed_port()}/registry"
    app = make_instance(SQLALCHEMY_DATABASE_URI=url)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.json["status"] == "unavailable"
    assert response.json["checks"]["database"] == "không kết nối được cơ sở dữ liệu"
    assert response.json["checks"]["store"] == "ok"


def test_readyz_names_the_store_when_it_is_down(make_instance, stack, tmp_path):
    if stack == "embedded":
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder")
        app = make_instance(REGISTRY_LOCAL_STORAGE_PATH=str(blocker / "storage"))
        expected = f"thư mục kho lưu trữ {blocker} không ghi được"
    else:
        app = make_instance(REGISTRY_MINIO_ENDPOINT=f"127.0.0.1:{_closed_port()}")
        expected = "không kết nối được kho lưu trữ"
    initialise_database_only(app)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"] == {"database": "ok", "store": expected, "queue": "ok"}


def test_readyz_names_the_task_queue_when_it_is_down(make_instance, stack, tmp_path):
    if stack == "embedded":
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder")
        queue = f"sqlite:///{blocker / 'queue' / 'tasks.sqlite3'}"
    else:
        queue = f"postgresql://registry:registry@127.0.0.1:{_closed_port()}/registry"
    app = make_instance(REGISTRY_TASK_QUEUE_URL=queue)
    initialise_database_only(app)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.json["checks"] == {
        "database": "ok",
        "store": "ok",
        "queue": "không kết nối được hàng đợi công việc",
    }


def initialise_database_only(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


@pytest.fixture
def captured_requests(caplog, monkeypatch):
    # Alembic's logging set-up (an earlier test's `upgrade()`) disables loggers it does not
    # name; a served process never migrates, so its request log stays on.
    monkeypatch.setattr(request_log, "disabled", False)
    request_log.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger=request_log.name)
    yield lambda: [json.loads(r.getMessage()) for r in caplog.records if r.name == request_log.name]
    request_log.removeHandler(caplog.handler)


def test_every_request_logs_one_line_with_its_id_user_route_status_and_time(
    client, make_user, login, captured_requests
):
    designer = make_user("designer")
    login(designer)
    response = client.get("/submissions/")
    assert response.status_code == 200
    line = captured_requests()[-1]
    assert line["request_id"] == response.headers[REQUEST_ID_HEADER]
    assert line["user_id"] == designer.id
    assert line["route"] == "/submissions/"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    client.get("/submissions/999999")
    line = captured_requests()[-1]
    assert (line["route"], line["status"]) == ("/submissions/<int:submission_id>", 404)


def test_a_proxy_request_id_is_kept_and_a_hostile_one_replaced(client, captured_requests):
    kept = client.get("/healthz", headers={REQUEST_ID_HEADER: "lb-4f2a9c01-77"})
    assert kept.headers[REQUEST_ID_HEADER] == "lb-4f2a9c01-77"
    odd = client.get("/healthz", headers={REQUEST_ID_HEADER: 'x" {"user_id": 1}'})
    assert odd.headers[REQUEST_ID_HEADER] != 'x" {"user_id": 1}'
    assert len(odd.headers[REQUEST_ID_HEADER]) == 16
    assert [line["user_id"] for line in captured_requests()] == [None, None]


def test_metrics_count_requests_by_route_and_the_files_stored(
    client, make_user, token_for, make_submission
):
    designer = make_user("designer")
    submission = make_submission(designer, artwork=None)
    response = post_multipart(
        client,
        f"/api/v1/submissions/{submission.id}/versions",
        {"file": (io.BytesIO(images.png_bytes(1500, 1000)), "mau.png")},
        headers=token_for(designer),
    )
    assert response.status_code == 201, response.json
    body = client.get("/metrics").get_data(as_text=True)
    route = "/api/v1/submissions/<int:submission_id>/versions"
    assert f'registry_http_requests_total{{method="POST",route="{route}",status="201"}}' in body
    assert f'registry_http_request_duration_seconds_count{{method="POST",route="{route}"}}' in body
    assert 'registry_stored_files{kind="artwork"} 1.0' in body
    size = db.session.scalar(sa.select(ArtworkVersion.size_bytes))
    assert f'registry_stored_bytes{{kind="artwork"}} {float(size)}' in body
    # The upload asked the worker to read its text: one job waiting, none failed.
    assert 'registry_jobs{name="textcheck.read_version",status="queued"} 1.0' in body
    assert 'registry_jobs{name="textcheck.read_version",status="failed"} 0.0' in body


def test_metrics_are_hidden_from_the_public(client, app, monkeypatch):
    assert client.get("/metrics").status_code == 200  # loopback, no proxy
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=outside).status_code == 404
    proxied = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status_code == 404

    monkeypatch.setitem(app.config, "REGISTRY_METRICS_TOKEN", "s3cret-metrics-token")
    assert client.get("/metrics").status_code == 404  # a token is set: loopback is not enough
    wrong = {"Authorization": "Bearer guess"}
    assert client.get("/metrics", headers=wrong, environ_base=outside).status_code == 404
    right = {"Authorization": "Bearer s3cret-metrics-token"}
    assert client.get("/metrics", headers=right, environ_base=outside).status_code == 200


def test_the_request_log_never_asks_the_database_who_the_user_is(app, ctx, make_user, monkeypatch):
    # After a commit the user's attributes are expired; reading them would query a database
    # that may just have gone away, turning a 503 into a 500.
    user = make_user("designer")
    user_id = user.id
    db.session.expire(user)

    def refuse(*args, **kwargs):
        raise AssertionError("the request log queried the database")

    monkeypatch.setattr(type(db.session()), "execute", refuse)
    with app.test_request_context("/"):
        g.api_user = user
        assert observability._user_id() == user_id
        g.api_user = None
        g._login_user = AnonymousUserMixin()
        assert observability._user_id() is None
