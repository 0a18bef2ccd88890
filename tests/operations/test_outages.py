"""PostgreSQL stopped under a running app, then started again: 503 with Retry-After and a
Vietnamese message meanwhile, nothing half-written, and service back without a restart."""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from registry import create_app
from registry.auth.operations import create_user
from registry.extensions import db
from tests import images
from tests.conftest import SECRET, IsolatedClient, csrf_token, post_multipart
from tests.factories import PASSWORD, UNIT_A, unit
from tests.operations.conftest import initialise
from tests.services import DATABASE_KEY, require_services


class OwnPostgres:
    """A PostgreSQL cluster of this test alone, so that it can be stopped and started."""

    def __init__(self) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
        if not bins:
            pytest.fail("PostgreSQL's server binaries are missing (bash .ci/run installs them)")
        self.bindir = bins[-1].parent
        # Under /tmp with a world-traversable path: the cluster runs as the postgres user.
        self.root = Path(tempfile.mkdtemp(prefix="registry-outage-", dir="/tmp"))
        self.root.chmod(0o755)
        shutil.chown(self.root, "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._as_postgres("initdb", "-D", str(self.root / "data"), "-U", "postgres", "--auth=trust")
        self.start()
        admin = sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text("CREATE DATABASE registry"))
        admin.dispose()

    def _as_postgres(self, tool: str, *args: str) -> None:
        command = ["runuser", "-u", "postgres", "--", str(self.bindir / tool), *args]
        subprocess.run(command, check=True, capture_output=True)

    def url(self, database: str = "registry") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        data, log = str(self.root / "data"), str(self.root / "server.log")
        self._as_postgres("pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        self._as_postgres("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.root / "data"),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def own_postgres():
    require_services(DATABASE_KEY)  # the services variant: root and PostgreSQL's binaries
    server = OwnPostgres()
    yield server
    server.remove()


def test_requests_during_a_database_outage_get_503_and_service_resumes_by_itself(
    own_postgres, tmp_path
):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET,
            "REGISTRY_PASSWORD_HASH": "scrypt:2048:8:1",
            "SQLALCHEMY_DATABASE_URI": own_postgres.url(),
            "REGISTRY_STORAGE": "local",
            "REGISTRY_LOCAL_STORAGE_PATH": str(tmp_path / "storage"),
        }
    )
    app.test_client_class = IsolatedClient
    initialise(app)
    with app.app_context():
        create_user(None, "thietke", PASSWORD, "designer", unit(UNIT_A), "Thiết kế")
        db.session.commit()
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "thietke", "password": PASSWORD})
    bearer = {"Authorization": f"Bearer {token.json['token']}"}
    form = {"username": "thietke", "password": PASSWORD, "csrf_token": csrf_token(client)}
    assert client.post("/login", data=form).status_code == 302
    assert client.get("/submissions/").status_code == 200
    created = client.post(
        "/api/v1/submissions",
        json={
            "campaign_id": 1,
            "title": "Pano trước sự cố",
            "format": "pano",
            "scope": "unit",
            "width_cm": 300,
            "height_cm": 200,
        },
        headers=bearer,
    )
    assert created.status_code == 201, created.json
    store = app.extensions["registry_store"]

    own_postgres.stop()
    page = client.get("/submissions/")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    assert "Cơ sở dữ liệu tạm thời không phản hồi" in page.get_data(as_text=True)
    api = client.get("/api/v1/submissions", headers=bearer)
    assert api.status_code == 503
    assert api.headers["Retry-After"] == "30"
    assert api.json["error"]["code"] == "database_unavailable"
    upload = post_multipart(
        client,
        f"/api/v1/submissions/{created.json['id']}/versions",
        {"file": (io.BytesIO(images.png_bytes(1500, 1000)), "mau.png")},
        headers=bearer,
    )
    assert upload.status_code == 503
    assert [info.key for area in store.areas for info in store.list(area)] == []
    assert client.get("/readyz").json["checks"]["database"] == "không kết nối được cơ sở dữ liệu"

    own_postgres.start()
    # No restart of the app: the pool replaces the connections the restart broke.
    assert client.get("/submissions/").status_code == 200
    assert client.get("/api/v1/submissions", headers=bearer).status_code == 200
    assert client.get("/readyz").status_code == 200
    app.extensions["registry_huey"].storage.close()  # the readiness check opened the queue
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_two_requests_racing_for_one_unique_row_get_409_and_a_real_bug_a_clean_500(make_instance):
    app = make_instance()

    @app.route("/_race")
    def _race():
        # What a second writer meets: the row it is about to insert was inserted just before.
        revision = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
        db.session.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": revision})
        return "unreachable"

    @app.route("/_bug")
    def _bug():
        db.session.execute(sa.text("INSERT INTO alembic_version VALUES (NULL)"))
        return "unreachable"

    initialise(app)
    client = app.test_client()
    race = client.get("/_race", headers={"Accept": "application/json"})
    assert race.status_code == 409
    assert race.json["error"]["code"] == "conflict"
    assert "người khác thay đổi" in race.json["error"]["message"]
    bug = client.get("/_bug")
    assert bug.status_code == 500
    assert "Đã có lỗi ngoài ý muốn" in bug.get_data(as_text=True)


def test_a_database_gone_after_the_answer_does_not_turn_it_into_an_error(
    make_instance, monkeypatch
):
    """The soak found it: PostgreSQL stopped between a page's last query and the closing of its
    session; the rollback met a dead connection and the finished page became a bare 500."""
    app = make_instance()
    initialise(app)
    real_close = sa.orm.Session.close
    calls = []

    def close_on_a_dead_connection(session):
        calls.append(session)
        if len(calls) == 1:
            raise sa.exc.OperationalError(
                "ROLLBACK", {}, Exception("terminating connection due to administrator command")
            )
        return real_close(session)

    monkeypatch.setattr(sa.orm.Session, "close", close_on_a_dead_connection)
    response = app.test_client().get("/readyz")  # it asks the database
    assert response.status_code == 200
    assert calls  # the session was closed, and its failure was answered for
    assert app.test_client().get("/readyz").status_code == 200  # the next request is fine
