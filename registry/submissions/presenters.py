"""What the registry tells a designer about an uploaded version."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from registry import imaging, prechecks
from registry.i18n import number
from registry.submissions.models import SITE_TYPES, ArtworkVersion, Submission


def viewpoints(submission: Submission) -> list[prechecks.Viewpoint]:
    """Each placement's viewing distance: its own, else its site type's configured default."""
    defaults = current_app.config["REGISTRY_VIEWING_DISTANCE_M"]
    return [
        prechecks.Viewpoint(
            p.address,
            p.site_type_label,
            float(p.viewing_distance_m or defaults[p.site_type]),
            p.viewing_distance_m is not None,
        )
        for p in submission.placements
    ]


def nearest_viewpoint(submission: Submission) -> prechecks.Viewpoint | None:
    """The viewpoint MQ-07 judges by (the nearest placement), or None without placements."""
    points = viewpoints(submission)
    return min(points, key=lambda v: v.distance_m) if points else None


def viewing_defaults_text() -> str:
    """The default viewing distances, e.g. "Trục đường chính 10 m; …"."""
    defaults = current_app.config["REGISTRY_VIEWING_DISTANCE_M"]
    return "; ".join(
        _("%(site)s %(distance)s m", site=label, distance=number(defaults[key]))
        for key, label in SITE_TYPES.items()
    )


def resolution_evidence(version: ArtworkVersion, submission: Submission) -> dict:
    """MQ-07 for this version at the submission's declared size and nearest placement."""
    return prechecks.check_resolution(
        version.width_px,
        version.height_px,
        submission.width_cm,
        submission.height_cm,
        viewpoints(submission),
        current_app.config["REGISTRY_ACUITY_FACTOR"],
        version.print_kind,
    )


def print_ppi(version: ArtworkVersion, submission: Submission) -> float:
    """The version's effective print resolution at the submission's declared physical size."""
    return imaging.effective_ppi(
        version.width_px, version.height_px, submission.width_cm, submission.height_cm
    )


def print_facts(version: ArtworkVersion, submission: Submission) -> dict:
    """Aspect mismatch at the declared physical size, and the print-resolution evidence."""
    mismatch = imaging.aspect_mismatch(
        version.width_px, version.height_px, submission.width_cm, submission.height_cm
    )
    tolerance = current_app.config["REGISTRY_ASPECT_TOLERANCE"]
    return {
        "resolution": resolution_evidence(version, submission),
        "aspect_mismatch": mismatch,
        "aspect_tolerance": tolerance,
        "aspect_ok": mismatch <= tolerance,
    }


def version_warnings(version: ArtworkVersion, submission: Submission) -> list[str]:
    """Warnings for the designer: aspect ratio and print resolution at the declared size."""
    facts = print_facts(version, submission)
    warnings = []
    if not facts["aspect_ok"]:
        warnings.append(
            _(
                "Tỉ lệ khung hình của tệp (%(width_px)d×%(height_px)d px) lệch %(mismatch)s%% "
                "so với kích thước khai báo (%(width)s×%(height)s cm); dung sai cho phép "
                "%(tolerance)s%%.",
                width_px=version.width_px,
                height_px=version.height_px,
                mismatch=number(facts["aspect_mismatch"] * 100),
                width=number(submission.width_cm),
                height=number(submission.height_cm),
                tolerance=number(facts["aspect_tolerance"] * 100, 0),
            )
        )
    resolution = facts["resolution"]
    if resolution["result"] == "fail" and submission.placements:
        warnings.append(_("Độ phân giải in chưa đủ: %(summary)s", summary=resolution["summary"]))
    return warnings
