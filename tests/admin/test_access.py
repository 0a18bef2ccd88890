"""Only admins reach the campaign, slogan, checklist and unit pages; forms need a CSRF token."""

import pytest

from tests.admin.helpers import signed_in_client, text
from tests.conftest import csrf_token
from tests.factories import DEPARTMENT, UNIT_A, campaign, unit

GET_ONLY = [
    "/admin/campaigns",
    "/admin/checklists",
    "/admin/checklists/{version}",
    "/admin/units",
]
FORM_PAGES = [
    "/admin/campaigns/new",
    "/admin/campaigns/{campaign}",
    "/admin/slogans/{slogan}/edit",
    "/admin/checklists/new",
    "/admin/checklists/upload",
    "/admin/checklists/items/{item}/edit",
    "/admin/checklists/{version}/items/new",
    "/admin/units/new",
    "/admin/units/{unit}/edit",
]
POST_ONLY = [
    "/admin/campaigns/{campaign}/closed",
    "/admin/campaigns/{campaign}/checklist",
    "/admin/campaigns/{campaign}/slogans",
    "/admin/campaigns/{campaign}/slogans/official",
    "/admin/slogans/{slogan}/active",
    "/admin/units/{unit}/active",
]


def _fill(path: str) -> str:
    c = campaign()
    return path.format(
        campaign=c.id,
        slogan=c.slogans[0].id,
        version=c.checklist_version_id,
        item=c.checklist_version.items[0].id,
        unit=unit(UNIT_A).id,
    )


ROUTES = [("GET", p) for p in GET_ONLY + FORM_PAGES] + [("POST", p) for p in FORM_PAGES + POST_ONLY]


def _assert_refused(browser, method: str, path: str) -> None:
    data = {"csrf_token": csrf_token(browser, "/account"), "active": "0", "closed": "1"}
    response = browser.open(_fill(path), method=method, data=data if method == "POST" else None)
    assert response.status_code == 403, (method, path)
    assert "Không có quyền" in text(response)


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_designers_get_403_on_every_admin_route(app, make_user, method, path):
    _assert_refused(signed_in_client(app, make_user("designer", UNIT_A)), method, path)
    assert not campaign().is_closed and all(s.is_active for s in campaign().slogans)


@pytest.mark.parametrize(("role", "unit_code"), [("reviewer", DEPARTMENT), ("locality", UNIT_A)])
def test_reviewers_and_localities_get_403_on_every_admin_route(app, make_user, role, unit_code):
    browser = signed_in_client(app, make_user(role, unit_code))
    for method, path in ROUTES:
        _assert_refused(browser, method, path)
    assert not campaign().is_closed and all(s.is_active for s in campaign().slogans)


@pytest.mark.parametrize("path", ["/admin/campaigns", "/admin/units", "/admin/checklists"])
def test_signed_out_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_form_without_its_csrf_token_is_refused(client, admin):
    response = client.post(f"/admin/campaigns/{campaign().id}/closed", data={"closed": "1"})
    assert response.status_code == 400 and "CSRF" in text(response)
    assert not campaign().is_closed


def test_admin_menu_links_to_the_new_pages(client, admin):
    html = text(client.get("/admin/units"))
    for link in ("/admin/units", "/admin/campaigns", "/admin/checklists"):
        assert f'href="{link}"' in html
