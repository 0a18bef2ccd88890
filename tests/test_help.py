"""Hướng dẫn sử dụng: a guide per role, readable by anyone, and each page's help link leading
to the section about that page."""

from __future__ import annotations

import re

import pytest

from registry.help import GUIDES, PAGE_TOPICS
from tests.factories import UNIT_A


@pytest.mark.parametrize("role", sorted(GUIDES))
def test_each_roles_guide_is_a_vietnamese_page_anyone_can_read(client, role):
    response = client.get(f"/help/{role}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hướng dẫn" in html and "<h2" in html


def test_an_unknown_guide_is_not_found(client):
    assert client.get("/help/khong-co").status_code == 404


def test_every_page_topic_points_at_a_page_and_a_section_that_exist(app, client):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    for endpoint, (role, anchor) in PAGE_TOPICS.items():
        assert endpoint in endpoints, endpoint
        assert f'id="{anchor}"' in client.get(f"/help/{role}").get_data(as_text=True), anchor


def test_a_page_links_to_the_section_about_it(client, make_user, login):
    login(make_user("designer", UNIT_A))
    html = client.get("/submissions/new").get_data(as_text=True)
    assert 'href="/help/designer#tao-ho-so"' in html
    account = client.get("/account").get_data(as_text=True)
    assert 'href="/help/all#tai-khoan-cua-toi"' in account


def test_a_page_without_a_topic_links_to_the_users_own_guide(client, make_user, login):
    login(make_user("locality", UNIT_A))
    html = client.get("/displays/notices").get_data(as_text=True)
    assert re.search(r'href="/help/locality"[^>]*>Hướng dẫn<', html)


def test_the_sign_in_page_links_to_the_guide(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'href="/help/all"' in html and "Quên mật khẩu?" in html


def test_the_help_index_marks_the_users_own_guide(client, make_user, login):
    login(make_user("reviewer", "SVHTT-QLVH"))
    html = client.get("/help/").get_data(as_text=True)
    assert re.search(r'/help/reviewer">Chuyên viên thẩm định</a> <span class="badge">', html)
