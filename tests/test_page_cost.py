"""The fixed cost of every signed-in page: what it asks the database, what it renders once per
process, and that nothing about who is signed in is kept from one request to the next."""

import json
import re
import time

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.outages import ping_when_idle
from tests.factories import DEPARTMENT, UNIT_A, UNIT_B
from tests.statements import counting_statements

ROLES = {
    "designer": UNIT_A,
    "reviewer": DEPARTMENT,
    "head": DEPARTMENT,
    "locality": UNIT_A,
    "admin": DEPARTMENT,
}
ISLAND = re.compile(r'<script type="application/json" id="app-messages">(.*?)</script>', re.S)


def _statements(client, path: str, method: str = "get", status: int = 200, **kwargs) -> list[str]:
    with counting_statements() as seen:
        response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    return seen


@pytest.mark.parametrize("role", ROLES)
def test_a_signed_in_page_asks_the_database_once_before_its_own_queries(
    client, login, make_user, role
):
    # The guide asks nothing of its own: what it asks is what every signed-in page asks.
    login(make_user(role, ROLES[role]))
    first = _statements(client, "/help/")
    assert len(first) == 2, first  # the session with its user, then the navigation's counts
    statements = _statements(client, "/help/")  # the browser's next page: both at once
    assert len(statements) == 1, statements
    assert "FROM user_sessions" in statements[0] and "JOIN users" in statements[0]
    assert "notifications" in statements[0]  # the navigation's counts and the unread


def test_a_form_sent_reads_the_session_alone_and_the_next_page_still_reads_both_at_once(
    client, login, designer
):
    login(designer)
    token = _token(client)  # a page with the navigation
    form = {"language": "vi", "next": "/help/", "csrf_token": token}
    sent = _statements(client, "/language", "post", 303, data=form)
    assert sent and "FROM user_sessions" in sent[0] and "notifications" not in sent[0]
    assert len(_statements(client, "/help/")) == 1


def test_the_navigation_count_follows_a_change_made_by_someone_else_on_the_next_page(
    client, login, designer, reviewer, make_submission, advance
):
    login(designer)
    assert 'data-nav-count="changes"' not in client.get("/help/").get_data(as_text=True)
    advance(
        make_submission(designer, title="Pano cần sửa"), "changes_requested", designer, reviewer
    )
    assert "(1 cần sửa)</span>" in client.get("/help/").get_data(as_text=True)


def test_a_user_deactivated_or_signed_out_elsewhere_is_refused_on_the_very_next_request(
    app, client, login, make_user
):
    user = make_user("designer", UNIT_A)
    login(user)
    assert client.get("/account").status_code == 200
    user.is_active = False
    db.session.commit()
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]

    other = make_user("reviewer", DEPARTMENT)
    login(other)
    assert client.get("/account").status_code == 200
    other.set_password("một mật khẩu mới hẳn")  # rotates the session token: every session ends
    db.session.commit()
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_words_of_the_scripts_are_in_each_readers_language_in_one_process(
    client, login, make_user
):
    english = make_user("designer", UNIT_A)
    english.language = "en"
    vietnamese = make_user("reviewer", DEPARTMENT)
    db.session.commit()
    login(vietnamese)
    first = json.loads(ISLAND.search(client.get("/account").get_data(as_text=True)).group(1))
    assert first["dialog_cancel"] == "Hủy"
    client.post("/logout", data={"csrf_token": _token(client)})
    login(english)
    words = json.loads(ISLAND.search(client.get("/account").get_data(as_text=True)).group(1))
    assert words["dialog_cancel"] == "Cancel"
    assert words["checklist_open"]["one"] != first["checklist_open"]["one"]
    client.post("/logout", data={"csrf_token": _token(client)})
    login(vietnamese)
    again = json.loads(ISLAND.search(client.get("/account").get_data(as_text=True)).group(1))
    assert again == first


def _token(client) -> str:
    html = client.get("/account").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_a_pooled_connection_is_pinged_only_after_it_was_idle_and_replaced_when_dead(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'ping.sqlite3'}", pool_size=1)
    pings, dead = [], []
    real_ping = engine.dialect.do_ping

    def ping(dbapi_connection):
        pings.append(dbapi_connection)
        if dead:
            dead.pop()
            raise engine.dialect.loaded_dbapi.OperationalError("server closed the connection")
        return real_ping(dbapi_connection)

    engine.dialect.do_ping = ping
    try:
        ping_when_idle(engine, idle_seconds=0.3)
        for _ in range(3):  # given back a moment ago each time: no round trip before use
            with engine.connect() as conn:
                assert conn.scalar(sa.text("SELECT 1")) == 1
        assert pings == []
        time.sleep(0.4)  # idle: asked before use, and found dead
        dead.append(True)
        with engine.connect() as conn:  # a new connection serves, without an error
            assert conn.scalar(sa.text("SELECT 1")) == 1
        assert len(pings) == 1
        assert engine.pool.checkedin() == 1
    finally:
        engine.dispose()


def test_the_navigation_counts_follow_a_users_new_unit_and_role_on_the_next_page(
    client, login, designer, reviewer, make_user, make_submission, advance
):
    moved = make_user("designer", UNIT_B)
    advance(
        make_submission(designer, title="Pano của đơn vị A"),
        "changes_requested",
        designer,
        reviewer,
    )
    login(moved)
    assert 'data-nav-count="changes"' not in client.get("/help/").get_data(as_text=True)
    moved.unit_id = designer.unit_id  # an admin moves them to unit A
    db.session.commit()
    assert "(1 cần sửa)</span>" in client.get("/help/").get_data(as_text=True)
    moved.role = "reviewer"  # and then makes them a reviewer: the queue, not their unit's work
    db.session.commit()
    html = client.get("/help/").get_data(as_text=True)
    assert 'data-nav-count="changes"' not in html and 'href="/reviews/"' in html
