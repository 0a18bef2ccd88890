"""What the registry tells a designer about an uploaded version."""

from __future__ import annotations

from flask import current_app

from registry import imaging, prechecks
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
    return "; ".join(f"{label} {defaults[key]:g} m" for key, label in SITE_TYPES.items())


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
            f"Tỉ lệ khung hình của tệp ({version.width_px}×{version.height_px} px) lệch "
            f"{facts['aspect_mismatch']:.1%} so với kích thước khai báo "
            f"({submission.width_cm:g}×{submission.height_cm:g} cm); dung sai cho phép "
            f"{facts['aspect_tolerance']:.0%}."
        )
    resolution = facts["resolution"]
    if resolution["result"] == "fail" and submission.placements:
        warnings.append(f"Độ phân giải in chưa đủ: {resolution['summary']}")
    return warnings
