"""Automatic pre-checks of the review checklist: pure functions that return their evidence.

They read the objects they are given and never the database; where a rule belongs to a model
(Campaign.covers, Submission.takes_placement_in) they ask the model.

Each check returns ``{"result": "pass" | "fail", "summary": str, "details": [...]}``; the
summary says in the reader's language what was compared with what. A review stores it as
written when the review opened (a record), so it stays in that language.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _

from registry import imaging
from registry.campaigns.models import Campaign
from registry.geo import distance_m
from registry.i18n import DEFAULT_LANGUAGE, day, number
from registry.submissions.models import Submission
from registry.text import slogan_match_key

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
    if ok:
        summary = _(
            "So %(lines)d câu chữ với %(slogans)d khẩu hiệu của đợt: tất cả trùng khớp nguyên văn.",
            lines=len(details),
            slogans=len(approved),
        )
    else:
        summary = _(
            "So %(lines)d câu chữ với %(slogans)d khẩu hiệu của đợt: %(misses)d câu sai khác so "
            "với danh mục.",
            lines=len(details),
            slogans=len(approved),
            misses=misses,
        )
    return _evidence(ok, summary, details)


def check_aspect(
    width_px: int, height_px: int, width_cm: float, height_cm: float, tolerance: float
) -> dict:
    """PL-07: the pixels' aspect ratio matches the declared physical size within tolerance."""
    pixels, physical = width_px / height_px, width_cm / height_cm
    mismatch = imaging.aspect_mismatch(width_px, height_px, width_cm, height_cm)
    ok = mismatch <= tolerance
    facts = {
        "width_px": width_px,
        "height_px": height_px,
        "pixels": f"{pixels:.3f}",
        "width": f"{width_cm:g}",
        "height": f"{height_cm:g}",
        "physical": f"{physical:.3f}",
        "mismatch": f"{mismatch:.1%}",
        "tolerance": f"{tolerance:.0%}",
    }
    if ok:
        summary = _(
            "Tỉ lệ tệp %(width_px)d×%(height_px)d px = %(pixels)s; kích thước khai báo "
            "%(width)s×%(height)s cm = %(physical)s; lệch %(mismatch)s (trong dung sai "
            "%(tolerance)s).",
            **facts,
        )
    else:
        summary = _(
            "Tỉ lệ tệp %(width_px)d×%(height_px)d px = %(pixels)s; kích thước khai báo "
            "%(width)s×%(height)s cm = %(physical)s; lệch %(mismatch)s (vượt dung sai "
            "%(tolerance)s).",
            **facts,
        )
    return _evidence(
        ok,
        summary,
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
    return number(value, 1)


def _fixed(value: float, places: int) -> str:
    """A number with exactly `places` decimals in the reader's language ("4,00" / "4.00")."""
    pattern = "#,##0." + "0" * places
    return format_decimal(value, format=pattern, locale=get_locale() or DEFAULT_LANGUAGE)


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
    size = {
        "width_px": width_px,
        "height_px": height_px,
        "width": _cm(width_cm),
        "height": _cm(height_cm),
        "ppi": number(ppi),
    }
    details: dict = {"ppi": round(ppi, 1), "factor": factor}
    if print_kind in VECTOR_PRINT_KINDS:
        details["print_kind"] = print_kind
        return _evidence(
            True,
            _(
                "Tệp in là tệp vector %(kind)s: hình và chữ dạng vector in sắc nét ở mọi kích "
                "thước nên không cần xét độ phân giải (ảnh xem trước %(width_px)d×%(height_px)d "
                "px in ở %(width)s×%(height)s cm: độ phân giải hiệu dụng %(ppi)s ppi). Nếu trong "
                "tệp có ảnh bitmap, cán bộ xem ảnh đó khi thẩm định.",
                kind=VECTOR_PRINT_KINDS[print_kind],
                **size,
            ),
            [details],
        )
    sums = _(
        "%(width_px)d×%(height_px)d px in ở %(width)s×%(height)s cm: độ phân giải hiệu dụng "
        "%(ppi)s ppi.",
        **size,
    )
    if not viewpoints:
        return _evidence(
            False,
            _(
                "%(sums)s Hồ sơ chưa có vị trí treo/dựng nên chưa xác định được khoảng cách xem.",
                sums=sums,
            ),
            [details],
        )
    nearest = min(viewpoints, key=lambda v: v.distance_m)
    inches = nearest.distance_m / 0.0254
    minimum = minimum_ppi(nearest.distance_m, factor)
    ok = ppi >= minimum

    details |= {
        "distance_m": nearest.distance_m,
        "distance_stated": nearest.stated,
        "address": nearest.address,
        "min_ppi": round(minimum, 1),
    }
    facts = {
        "address": nearest.address,
        "site": nearest.site_label,
        "distance": number(nearest.distance_m),
        "inches": number(inches),
    }
    if nearest.stated:
        where = _(
            "Vị trí gần người xem nhất: %(address)s (%(site)s, khoảng cách xem khai báo "
            "%(distance)s m = %(inches)s inch).",
            **facts,
        )
    else:
        where = _(
            "Vị trí gần người xem nhất: %(address)s (%(site)s, khoảng cách xem mặc định "
            "%(distance)s m = %(inches)s inch).",
            **facts,
        )
    if factor == 1:
        sum_text = _(
            "Mức tối thiểu 3438 ÷ %(inches)s = %(minimum)s ppi:",
            inches=number(inches),
            minimum=number(minimum),
        )
    else:
        sum_text = _(
            "Mức tối thiểu 3438 ÷ %(inches)s × hệ số %(factor)s = %(minimum)s ppi:",
            inches=number(inches),
            factor=_fixed(factor, 2),
            minimum=number(minimum),
        )
    verdict = _("đạt.") if ok else _("không đạt, thiếu %(ppi)s ppi.", ppi=number(minimum - ppi))
    return _evidence(ok, f"{sums} {where} {sum_text} {verdict}", [details])


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
        end = day(campaign.ends_on)
    else:
        end = _("không thời hạn, treo muộn nhất đến %(day)s", day=day(horizon))
    outside = [
        {"address": s.address, "from": s.display_from.isoformat(), "to": s.display_to.isoformat()}
        for s in spots
        if not campaign.covers(s.display_from, s.display_to, horizon)
    ]
    return _evidence(
        not outside,
        (
            _(
                "Thời gian treo của %(n)d vị trí so với thời gian của đợt (%(start)s – %(end)s): "
                "đều nằm trong.",
                n=len(spots),
                start=day(campaign.starts_on),
                end=end,
            )
            if not outside
            else _(
                "Thời gian treo của %(n)d vị trí so với thời gian của đợt (%(start)s – %(end)s): "
                "%(outside)d vị trí nằm ngoài.",
                n=len(spots),
                start=day(campaign.starts_on),
                end=end,
                outside=len(outside),
            )
        ),
        outside,
    )


def check_units(spots: list[Spot], submission: Submission) -> dict:
    """PL-09: every placement lies where the submission may stand (Submission.takes_placement_in:
    in the submitting unit for scope 'unit')."""
    if submission.scope != "unit":
        return _evidence(True, _("Mẫu dùng chung toàn tỉnh: không giới hạn vị trí theo đơn vị."))
    if not spots:
        return _evidence(False, _("Hồ sơ dùng tại đơn vị nhưng chưa khai báo vị trí nào."))
    foreign = [
        {"address": s.address, "unit_code": s.unit_code}
        for s in spots
        if not submission.takes_placement_in(s.unit_id)
    ]
    unit_name = submission.unit.name
    return _evidence(
        not foreign,
        (
            _(
                "%(n)d vị trí so với đơn vị gửi hồ sơ %(unit)s: đều thuộc đơn vị.",
                n=len(spots),
                unit=unit_name,
            )
            if not foreign
            else _(
                "%(n)d vị trí so với đơn vị gửi hồ sơ %(unit)s: %(foreign)d vị trí thuộc đơn vị "
                "khác.",
                n=len(spots),
                unit=unit_name,
                foreign=len(foreign),
            )
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
            _(
                "So %(n)d vị trí với %(approved)d vị trí đã duyệt khác trong bán kính "
                "%(radius)s m và trùng thời gian: không trùng chỗ.",
                n=len(spots),
                approved=len(approved),
                radius=number(max_distance_m),
            )
            if not clashes
            else _(
                "So %(n)d vị trí với %(approved)d vị trí đã duyệt khác trong bán kính "
                "%(radius)s m và trùng thời gian: %(clashes)d chỗ trùng.",
                n=len(spots),
                approved=len(approved),
                radius=number(max_distance_m),
                clashes=len(clashes),
            )
        ),
        clashes,
    )
