"""Automatic pre-checks: each with passing and failing evidence."""

from datetime import date

import pytest

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


MAIN_ROAD = prechecks.Viewpoint("Đường Trần Hưng Đạo", "Trục đường chính", 10, False)
SCHOOL = prechecks.Viewpoint("Trường THCS Mỹ Bình", "Trường học, nhà văn hóa", 3, False)
SQUARE = prechecks.Viewpoint("Quảng trường Long Xuyên", "Quảng trường, công viên", 8, False)


@pytest.mark.parametrize(
    ("pixels", "size_cm", "viewpoints", "kind", "result", "phrases"),
    [
        # An ordinary street banner made at a sensible resolution: 28.6 ppi against 8.7 at 10 m.
        (
            (9000, 900),
            (800, 80),
            [MAIN_ROAD],
            None,
            "pass",
            [
                "9000×900 px in ở 800×80 cm",
                "28,6 ppi",
                "Đường Trần Hưng Đạo (Trục đường chính, khoảng cách xem mặc định 10 m",
                "= 393,7 inch",
                "3438 ÷ 393,7 = 8,7 ppi: đạt.",
            ],
        ),
        # An upscaled thumbnail on a school's wall: 2.5 ppi against 29.1 at 3 m.
        (
            (600, 200),
            (600, 200),
            [SCHOOL],
            None,
            "fail",
            ["2,5 ppi", "3 m = 118,1 inch", "= 29,1 ppi: không đạt, thiếu 26,6 ppi."],
        ),
        # The same banner seen from a square and a school: the nearest placement decides.
        ((9000, 900), (800, 80), [MAIN_ROAD, SQUARE, SCHOOL], None, "fail", ["Trường THCS"]),
        # A placement that states its own distance (15 m) asks for less than its site type.
        (
            (3000, 1000),
            (600, 200),
            [prechecks.Viewpoint("Cầu Cồn Tiên", "Khác", 15, True)],
            None,
            "pass",
            ["12,7 ppi", "khoảng cách xem khai báo 15 m", "= 5,8 ppi: đạt."],
        ),
        # A vector PDF print file is print-ready whatever its preview's pixels.
        (
            (600, 200),
            (600, 200),
            [SCHOOL],
            "pdf",
            "pass",
            ["Tệp in là tệp vector PDF", "không cần xét độ phân giải", "2,5 ppi"],
        ),
        # A Photoshop print file is pixels too: it does not excuse the artwork.
        ((600, 200), (600, 200), [SCHOOL], "psd", "fail", ["không đạt"]),
        # No placement yet: no distance, no pass.
        ((9000, 900), (800, 80), [], None, "fail", ["chưa có vị trí treo/dựng"]),
    ],
)
def test_print_resolution_is_judged_at_the_nearest_viewing_distance(
    pixels, size_cm, viewpoints, kind, result, phrases
):
    evidence = prechecks.check_resolution(*pixels, *size_cm, viewpoints, 1.0, kind)
    assert evidence["result"] == result, evidence["summary"]
    for phrase in phrases:
        assert phrase in evidence["summary"]


def test_the_acuity_factor_raises_the_minimum_and_is_shown_in_the_sums():
    evidence = prechecks.check_resolution(9000, 900, 800, 80, [MAIN_ROAD], 4.0)
    assert evidence["result"] == "fail"
    assert "3438 ÷ 393,7 × hệ số 4,00 = 34,9 ppi" in evidence["summary"]
    assert evidence["details"][0]["min_ppi"] == 34.9


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
