"""Automatic pre-checks: each with passing and failing evidence."""

from datetime import date

from registry import prechecks
from registry.campaigns.models import Campaign
from registry.prechecks import Spot
from registry.submissions.models import Submission
from registry.units.models import Unit

APPROVED = [
    "Đảng Cộng sản Việt Nam quang vinh muôn năm!",
    "Đoàn kết - Dân chủ - Kỷ cương - Đột phá - Phát triển",
]


def test_slogans_from_the_list_pass():
    result = prechecks.check_slogans([APPROVED[0]], "", APPROVED)
    assert result["result"] == "pass"
    assert "trùng khớp nguyên văn" in result["summary"]


def test_typed_slogan_in_decomposed_unicode_and_odd_spacing_still_matches():
    import unicodedata

    typed = unicodedata.normalize("NFD", "Đoàn kết  -  Dân chủ – Kỷ cương - Đột phá - Phát triển")
    assert prechecks.check_slogans([], typed, APPROVED)["result"] == "pass"


def test_all_capitals_is_accepted_as_the_same_slogan():
    result = prechecks.check_slogans([], APPROVED[0].upper(), APPROVED)
    assert result["result"] == "pass"
    assert result["details"][0]["match"] == "uppercase"


def test_near_miss_fails_with_the_difference_highlighted():
    typed = "Đảng Cộng sản Việt Nam quang vinh muôn năm muôn năm!"
    result = prechecks.check_slogans([], typed, APPROVED)
    assert result["result"] == "fail"
    detail = result["details"][0]
    assert detail["match"] == "near_miss" and detail["approved"] == APPROVED[0]
    assert ["insert", " muôn năm"] in detail["diff"] or any(
        kind == "insert" and "muôn năm" in text for kind, text in detail["diff"]
    )


def test_unrelated_other_text_is_not_taken_for_a_slogan():
    result = prechecks.check_slogans([], "UBND phường Long Xuyên", APPROVED)
    assert result["result"] == "pass" and result["details"] == []


def test_aspect_ratio_within_tolerance_passes_and_outside_fails():
    assert prechecks.check_aspect(3000, 2000, 300, 200, 0.02)["result"] == "pass"
    failing = prechecks.check_aspect(3000, 3000, 300, 200, 0.02)
    assert failing["result"] == "fail" and "lệch 50.0%" in failing["summary"]


def test_print_resolution_against_the_format_minimum():
    # 8000 px over 80 cm = 254 ppi; over 800 cm = 25.4 ppi.
    assert prechecks.check_resolution(8000, 800, 80, 8, 150, "Phướn")["result"] == "pass"
    failing = prechecks.check_resolution(8000, 800, 800, 80, 150, "Băng rôn")
    assert failing["result"] == "fail" and "25 ppi" in failing["summary"]


def _spot(
    i,
    unit="30307",
    lat=10.3866,
    lon=105.4352,
    start=(2026, 12, 1),
    end=(2026, 12, 31),
    submission=1,
):
    unit_id = UNIT_IDS[unit]
    return Spot(i, f"Địa chỉ {i}", unit_id, unit, lat, lon, date(*start), date(*end), submission)


UNIT_IDS = {"30307": 1, "30292": 2}


def _submission(scope: str) -> Submission:
    """A submission of Phường Long Xuyên, never stored: the checks only read it."""
    unit = Unit(id=1, code="30307", name="Phường Long Xuyên")
    return Submission(scope=scope, unit_id=unit.id, unit=unit)


HORIZON = date(2031, 1, 1)


def test_periods_inside_the_campaign_pass_and_outside_fail():
    open_ended = Campaign(starts_on=date(2026, 1, 1), ends_on=None)
    assert prechecks.check_periods([_spot(1)], open_ended, HORIZON)["result"] == "pass"
    failing = prechecks.check_periods(
        [_spot(1)], Campaign(starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 15)), HORIZON
    )
    assert failing["result"] == "fail" and failing["details"][0]["address"] == "Địa chỉ 1"


def test_periods_of_an_open_ended_campaign_must_end_by_the_horizon():
    open_ended = Campaign(starts_on=date(2026, 1, 1), ends_on=None)
    late = prechecks.check_periods([_spot(1)], open_ended, date(2026, 12, 30))
    assert late["result"] == "fail"
    assert "treo muộn nhất đến 30/12/2026" in late["summary"]


def test_placements_must_be_in_the_submitting_unit_for_unit_scope():
    inside = prechecks.check_units([_spot(1)], _submission("unit"))
    assert inside["result"] == "pass"
    failing = prechecks.check_units([_spot(1, unit="30292")], _submission("unit"))
    assert failing["result"] == "fail" and failing["details"][0]["unit_code"] == "30292"
    assert prechecks.check_units([_spot(1, "30292")], _submission("province"))["result"] == "pass"


def test_collision_with_an_approved_placement_nearby_over_the_same_period():
    other = _spot(9, lat=10.38662, lon=105.43521, submission=2)  # a few metres away
    clash = prechecks.check_collisions([_spot(1)], [other], 50)
    assert clash["result"] == "fail" and clash["details"][0]["distance_m"] < 50
    later = _spot(9, start=(2027, 2, 1), end=(2027, 2, 28), submission=2)
    assert prechecks.check_collisions([_spot(1)], [later], 50)["result"] == "pass"
    far = _spot(9, lat=10.40, submission=2)
    assert prechecks.check_collisions([_spot(1)], [far], 50)["result"] == "pass"
