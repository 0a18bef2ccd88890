"""A size typed as "1,200" or "1.200" is twelve hundred to one reader and 1.2 to the other: the
size fields (pages and API) refuse it and say, in the reader's language, how to write it, while
"600,5", "600.5", "1200" and "1200,25" are taken as before, and coordinates are left alone."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.i18n import AmbiguousDecimal, parse_decimal
from registry.submissions.models import Placement, Submission
from tests.factories import UNIT_A
from tests.submissions.test_pages import _create, _placement

VIETNAMESE_ADVICE = (
    "Không rõ “{typed}” là 1200 hay 1,2: hãy viết 1200 (không dùng dấu phân cách hàng nghìn)"
    " hoặc 1,2."
)
ENGLISH_ADVICE = (
    "“{typed}” could be 1200 or 1.2: write 1200 (without a thousands separator) or 1.2."
)


@pytest.mark.parametrize("typed", ["1,200", "1.200", " 1.200 ", "-1,200"])
def test_a_measure_whose_only_separator_is_followed_by_three_digits_is_ambiguous(typed):
    with pytest.raises(AmbiguousDecimal) as refused:
        parse_decimal(typed, measure=True)
    assert abs(refused.value.thousands) == 1200 and abs(refused.value.decimal) == Decimal("1.2")


@pytest.mark.parametrize("typed", ["1.200.000", "1.200,5", "1,200.5", "12.345,6"])
def test_a_measure_written_in_thousands_groups_is_ambiguous(typed):
    with pytest.raises(AmbiguousDecimal) as refused:
        parse_decimal(typed, measure=True)
    assert refused.value.thousands is None


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("600,5", Decimal("600.5")),
        ("600.5", Decimal("600.5")),
        ("1200", Decimal("1200")),
        ("1200,25", Decimal("1200.25")),
        ("1 200", Decimal("1200")),
        ("0,125", Decimal("0.125")),  # no thousands group starts with 0
        ("1234,567", Decimal("1234.567")),  # nor has four digits
    ],
)
def test_a_measure_that_can_be_read_one_way_only_is_taken(typed, value):
    assert parse_decimal(typed, measure=True) == value


def test_a_number_that_is_not_a_measure_still_reads_one_separator_as_the_decimal_mark():
    assert parse_decimal("10.386") == Decimal("10.386")  # a latitude
    assert parse_decimal("1,200") == Decimal("1.2")


@pytest.fixture(params=["vi", "en"])
def reader(request, designer, login):
    """The designer signed in, reading Vietnamese or English."""
    designer.language = request.param
    db.session.commit()
    login(designer)
    return designer


def _advice(reader, typed: str) -> str:
    return (VIETNAMESE_ADVICE if reader.language == "vi" else ENGLISH_ADVICE).format(typed=typed)


@pytest.mark.parametrize("typed", ["1,200", "1.200"])
def test_a_width_of_1_200_is_refused_with_advice_in_the_readers_language(client, reader, typed):
    response = _create(client, width_cm=typed)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _advice(reader, typed) in page
    assert "1 đến 100.000 cm" not in page and "1 and 100,000 cm" not in page  # only the advice
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0


def test_a_height_written_in_thousands_groups_is_refused_in_the_readers_language(client, reader):
    page = _create(client, height_cm="1.200,5").get_data(as_text=True)
    if reader.language == "vi":
        assert "Viết số không có dấu phân cách hàng nghìn, ví dụ 1200 hoặc 1200,5." in page
    else:
        assert "Write the number without a thousands separator, e.g. 1200 or 1200.5." in page
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0


@pytest.mark.parametrize(
    ("typed", "stored"), [("600,5", 600.5), ("600.5", 600.5), ("1200", 1200), ("1200,25", 1200.25)]
)
def test_a_width_that_reads_one_way_is_stored_in_either_language(client, reader, typed, stored):
    assert _create(client, width_cm=typed).status_code == 302
    assert db.session.scalar(sa.select(Submission.width_cm)) == stored


def test_a_viewing_distance_is_a_measure_but_the_coordinates_are_not(
    client, reader, make_submission
):
    submission = make_submission(reader, placements=0)
    refused = _placement(client, submission.id, viewing_distance_m="1.500")
    assert refused.status_code == 400
    if reader.language == "vi":
        assert "Không rõ “1.500” là 1500 hay 1,5" in refused.get_data(as_text=True)
    else:
        assert "“1.500” could be 1500 or 1.5" in refused.get_data(as_text=True)

    taken = _placement(client, submission.id, lat="10.386", lon="105,435", viewing_distance_m="12")
    assert taken.status_code == 302
    placement = db.session.scalar(sa.select(Placement))
    assert (placement.lat, placement.lon, placement.viewing_distance_m) == (10.386, 105.435, 12)


def _api_submission(client, headers, **sizes):
    from tests.factories import campaign

    body = {"campaign_id": campaign().id, "title": "Pano", "format": "pano", **sizes}
    return client.post("/api/v1/submissions", json=body, headers=headers)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_api_refuses_a_size_sent_as_an_ambiguous_string_in_the_callers_language(
    client, make_user, token_for, language
):
    caller = make_user("designer", UNIT_A)
    caller.language = language
    db.session.commit()
    response = _api_submission(client, token_for(caller), width_cm="1,200", height_cm=200)
    assert response.status_code == 422
    advice = VIETNAMESE_ADVICE if language == "vi" else ENGLISH_ADVICE
    assert response.json["error"]["errors"]["json"]["width_cm"] == [advice.format(typed="1,200")]
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0


def test_the_api_takes_json_numbers_as_they_are_and_unambiguous_strings(
    client, designer, token_for
):
    headers = token_for(designer)
    assert _api_submission(client, headers, width_cm=1.2, height_cm=1200).status_code == 201
    assert _api_submission(client, headers, width_cm="600,5", height_cm="1200").status_code == 201
    sizes = db.session.execute(
        sa.select(Submission.width_cm, Submission.height_cm).order_by(Submission.id)
    ).all()
    assert [tuple(s) for s in sizes] == [(1.2, 1200), (600.5, 1200)]
