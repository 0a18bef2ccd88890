"""What the registry tells a designer about an uploaded version."""

from __future__ import annotations

from flask import current_app

from registry import imaging
from registry.submissions.models import ArtworkVersion, Submission


def print_ppi(version: ArtworkVersion, submission: Submission) -> float:
    """The version's effective print resolution at the submission's declared physical size."""
    return imaging.effective_ppi(
        version.width_px, version.height_px, submission.width_cm, submission.height_cm
    )


def print_facts(version: ArtworkVersion, submission: Submission) -> dict:
    """Effective print resolution and aspect mismatch at the declared physical size."""
    ppi = print_ppi(version, submission)
    mismatch = imaging.aspect_mismatch(
        version.width_px, version.height_px, submission.width_cm, submission.height_cm
    )
    minimum = current_app.config["REGISTRY_MIN_PPI"].get(submission.format, 0)
    tolerance = current_app.config["REGISTRY_ASPECT_TOLERANCE"]
    return {
        "ppi": ppi,
        "min_ppi": minimum,
        "ppi_ok": ppi >= minimum,
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
    if not facts["ppi_ok"]:
        warnings.append(
            f"Độ phân giải in hiệu dụng {facts['ppi']:.0f} ppi thấp hơn mức tối thiểu "
            f"{facts['min_ppi']} ppi cho {submission.format_label.lower()}."
        )
    return warnings
