"""The queue's unit filter takes a unit's name as people type it, or its code."""

import pytest

from tests.factories import UNIT_A, UNIT_B


@pytest.fixture
def two_units(make_user, designer, reviewer, make_submission, advance):
    """A submission waiting from Phường Long Xuyên (unit A) and one from Phường Bình Đức."""
    advance(make_submission(designer, title="Pano Long Xuyên"), "submitted", designer, reviewer)
    other = make_user("designer", UNIT_B)
    advance(make_submission(other, title="Pano Bình Đức"), "submitted", other, reviewer)


@pytest.mark.parametrize(
    "typed", ["long xuyen", "Long Xuyên", "  LONG XUYEN ", "phuong long", UNIT_A]
)
def test_the_queue_finds_a_unit_by_its_name_without_diacritics_or_its_code(
    client, login, reviewer, two_units, typed
):
    login(reviewer)
    html = client.get("/reviews/", query_string={"unit": typed}).get_data(as_text=True)
    assert "Pano Long Xuyên" in html and "Pano Bình Đức" not in html


def test_a_unit_name_that_matches_nothing_lists_nothing(client, login, reviewer, two_units):
    login(reviewer)
    html = client.get("/reviews/?unit=khong+co+don+vi+nay").get_data(as_text=True)
    assert "Pano Long Xuyên" not in html and "Pano Bình Đức" not in html
    assert "Không có hồ sơ nào đang chờ." in html


def test_the_unit_box_offers_unit_names_in_vietnamese_order(client, login, reviewer):
    login(reviewer)
    html = client.get("/reviews/").get_data(as_text=True)
    assert 'list="queue-units"' in html
    assert html.index('<option value="Phường Tân Châu">') < html.index(
        '<option value="Phường Thới Sơn">'
    )
