"""Automatic pre-checks of the review checklist: pure functions that return their evidence.

They read the objects they are given and never the database; where a rule belongs to a model
(Campaign.covers, Submission.takes_placement_in) they ask the model.

Each check returns ``{"result": "pass" | "fail", "summary": str, "details": [...]}``; the
summary says in Vietnamese what was compared with what.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from registry import imaging
from registry.campaigns.models import Campaign
from registry.geo import distance_m
from registry.submissions.models import Submission
from registry.text import slogan_match_key, vi_number

NEAR_MISS_RATIO = 0.75


def _evidence(ok: bool, summary: str, details: list | None = None) -> dict:
    return {"result": "pass" if ok else "fail", "summary": summary, "details": details or []}


def diff_marks(expected: str, actual: str) -> list[list]:
    """Runs of `actual` against `expected`: [[kind, text]] with kind equal, insert or delete."""
    runs: list[list] = []
    matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(["equal", actual[b1:b2]])
            continue
        if a2 > a1:
            runs.append(["delete", expected[a1:a2]])
        if b2 > b1:
            runs.append(["insert", actual[b1:b2]])
    return runs


def check_slogans(declared: list[str], other_text: str, approved: list[str]) -> dict:
    """CT-01: declared slogans and slogan-like lines of the other text match the approved list."""
    approved_norm = {slogan_match_key(a): a for a in approved}
    details = []
    ok = True
    for text in declared:
        matched = slogan_match_key(text) in approved_norm
        ok &= matched
        details.append({"text": text, "match": "exact" if matched else "missing"})
    for line in filter(None, (slogan_match_key(x) for x in other_text.splitlines())):
        if line in approved_norm:
            details.append({"text": line, "match": "exact"})
            continue
        upper = {a.upper(): a for a in approved_norm}
        if line in upper:
            details.append({"text": line, "match": "uppercase", "approved": upper[line]})
            continue
        best = max(
            approved_norm,
            default=None,
            key=lambda a: difflib.SequenceMatcher(a=a.lower(), b=line.lower()).ratio(),
        )
        if best is None:
            continue
        ratio = difflib.SequenceMatcher(a=best.lower(), b=line.lower()).ratio()
        if ratio >= NEAR_MISS_RATIO:
            ok = False
            details.append(
                {
                    "text": line,
                    "match": "near_miss",
                    "approved": best,
                    "similarity": round(ratio, 3),
                    "diff": diff_marks(best, line),
                }
            )
    misses = sum(d["match"] in ("near_miss", "missing") for d in details)
    summary = f"So {len(details)} câu chữ với {len(approved)} khẩu hiệu của đợt: " + (
        "tất cả trùng khớp nguyên văn." if ok else f"{misses} câu sai khác so với danh mục."
    )
    return _evidence(ok, summary, details)


def check_aspect(
    width_px: int, height_px: int, width_cm: float, height_cm: float, tolerance: float
) -> dict:
    """PL-07: the pixels' aspect ratio matches the declared physical size within tolerance."""
    pixels, physical = width_px / height_px, width_cm / height_cm
    mismatch = imaging.aspect_mismatch(width_px, height_px, width_cm, height_cm)
    ok = mismatch <= tolerance
    return _evidence(
        ok,
        (
            f"Tỉ lệ tệp {width_px}×{height_px} px = {pixels:.3f}; kích thước khai báo "
            f"{width_cm:g}×{height_cm:g} cm = {physical:.3f}; lệch {mismatch:.1%} "
            f"({'trong' if ok else 'vượt'} dung sai {tolerance:.0%})."
        ),
        [
            {
                "pixels_ratio": round(pixels, 4),
                "declared_ratio": round(physical, 4),
                "mismatch": round(mismatch, 4),
                "tolerance": tolerance,
            }
        ],
    )


#: One arc-minute of visual acuity: at d inches a viewer tells apart at most 3438 / d dots per inch.
ACUITY_PPI_INCHES = 3438
VECTOR_PRINT_KINDS = {"pdf": "PDF", "ai": "Adobe Illustrator", "eps": "EPS", "svg": "SVG"}


@dataclass(frozen=True)
class Viewpoint:
    """Where a placement is seen from: its address, site type and viewing distance."""

    address: str
    site_label: str
    distance_m: float
    stated: bool  # the placement states its own distance (else the site type's default)


def minimum_ppi(distance_m: float, factor: float) -> float:
    """The smallest print resolution a viewer at distance_m cannot tell from a finer one."""
    return ACUITY_PPI_INCHES / (distance_m / 0.0254) * factor


def _cm(value: float) -> str:
    return vi_number(value, 1)


def check_resolution(
    width_px: int,
    height_px: int,
    width_cm: float,
    height_cm: float,
    viewpoints: list[Viewpoint],
    factor: float,
    print_kind: str | None = None,
) -> dict:
    """MQ-07: the print is sharp to a viewer at the nearest placement's viewing distance.

    A vector print file (PDF, AI, EPS, SVG) prints sharp at any size and passes; otherwise the
    effective resolution of the artwork at the declared size must reach 3438 / distance in
    inches, times the configured factor, at the nearest of the submission's placements.
    """
    ppi = imaging.effective_ppi(width_px, height_px, width_cm, height_cm)
    sums = (
        f"{width_px}×{height_px} px in ở {_cm(width_cm)}×{_cm(height_cm)} cm: độ phân giải "
        f"hiệu dụng {vi_number(ppi)} ppi."
    )
    details: dict = {"ppi": round(ppi, 1), "factor": factor}
    if print_kind in VECTOR_PRINT_KINDS:
        details["print_kind"] = print_kind
        return _evidence(
            True,
            f"Tệp in là tệp vector {VECTOR_PRINT_KINDS[print_kind]}: hình và chữ dạng vector in "
            f"sắc nét ở mọi kích thước nên không cần xét độ phân giải (ảnh xem trước {sums[:-1]}"
            "). Nếu trong tệp có ảnh bitmap, cán bộ xem ảnh đó khi thẩm định.",
            [details],
        )
    if not viewpoints:
        return _evidence(
            False,
            f"{sums} Hồ sơ chưa có vị trí treo/dựng nên chưa xác định được khoảng cách xem.",
            [details],
        )
    nearest = min(viewpoints, key=lambda v: v.distance_m)
    inches = nearest.distance_m / 0.0254
    minimum = minimum_ppi(nearest.distance_m, factor)
    ok = ppi >= minimum
    origin = "khoảng cách xem khai báo" if nearest.stated else "khoảng cách xem mặc định"
    factor_text = "" if factor == 1 else f" × hệ số {vi_number(factor, 2)}"
    details |= {
        "distance_m": nearest.distance_m,
        "distance_stated": nearest.stated,
        "address": nearest.address,
        "min_ppi": round(minimum, 1),
    }
    return _evidence(
        ok,
        (
            f"{sums} Vị trí gần người xem nhất: {nearest.address} ({nearest.site_label}, "
            f"{origin} {vi_number(nearest.distance_m)} m = {vi_number(inches)} inch). "
            f"Mức tối thiểu 3438 ÷ {vi_number(inches)}{factor_text} = {vi_number(minimum)} ppi: "
            + ("đạt." if ok else f"không đạt, thiếu {vi_number(minimum - ppi)} ppi.")
        ),
        [details],
    )


@dataclass(frozen=True)
class Spot:
    """A placement as the checks see it."""

    id: int
    address: str
    unit_id: int
    unit_code: str
    lat: float
    lon: float
    display_from: date
    display_to: date
    submission_id: int = 0


def check_periods(spots: list[Spot], campaign: Campaign, horizon: date) -> dict:
    """PL-04: every display period lies inside the campaign's dates, ending by horizon when the
    campaign is open-ended (Campaign.covers)."""
    if campaign.ends_on is not None:
        end = f"{campaign.ends_on:%d/%m/%Y}"
    else:
        end = f"không thời hạn, treo muộn nhất đến {horizon:%d/%m/%Y}"
    outside = [
        {"address": s.address, "from": s.display_from.isoformat(), "to": s.display_to.isoformat()}
        for s in spots
        if not campaign.covers(s.display_from, s.display_to, horizon)
    ]
    return _evidence(
        not outside,
        (
            f"Thời gian treo của {len(spots)} vị trí so với thời gian của đợt "
            f"({campaign.starts_on:%d/%m/%Y} – {end}): "
            + ("đều nằm trong." if not outside else f"{len(outside)} vị trí nằm ngoài.")
        ),
        outside,
    )


def check_units(spots: list[Spot], submission: Submission) -> dict:
    """PL-09: every placement lies where the submission may stand (Submission.takes_placement_in:
    in the submitting unit for scope 'unit')."""
    if submission.scope != "unit":
        return _evidence(True, "Mẫu dùng chung toàn tỉnh: không giới hạn vị trí theo đơn vị.")
    if not spots:
        return _evidence(False, "Hồ sơ dùng tại đơn vị nhưng chưa khai báo vị trí nào.")
    foreign = [
        {"address": s.address, "unit_code": s.unit_code}
        for s in spots
        if not submission.takes_placement_in(s.unit_id)
    ]
    unit_name = submission.unit.name
    return _evidence(
        not foreign,
        (
            f"{len(spots)} vị trí so với đơn vị gửi hồ sơ {unit_name}: "
            + ("đều thuộc đơn vị." if not foreign else f"{len(foreign)} vị trí thuộc đơn vị khác.")
        ),
        foreign,
    )


def check_collisions(spots: list[Spot], approved: list[Spot], max_distance_m: float) -> dict:
    """MQ-04: no other approved placement within a small distance over an overlapping period."""
    clashes = []
    for spot in spots:
        for other in approved:
            if other.id == spot.id:
                continue
            overlap = (
                spot.display_from <= other.display_to and other.display_from <= spot.display_to
            )
            if not overlap:
                continue
            meters = distance_m(spot.lat, spot.lon, other.lat, other.lon)
            if meters <= max_distance_m:
                clashes.append(
                    {
                        "address": spot.address,
                        "other_address": other.address,
                        "other_submission": other.submission_id,
                        "distance_m": round(meters, 1),
                    }
                )
    return _evidence(
        not clashes,
        (
            f"So {len(spots)} vị trí với {len(approved)} vị trí đã duyệt khác trong bán kính "
            f"{max_distance_m:g} m và trùng thời gian: "
            + ("không trùng chỗ." if not clashes else f"{len(clashes)} chỗ trùng.")
        ),
        clashes,
    )
