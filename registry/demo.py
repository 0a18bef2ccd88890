"""Sample submissions for `flask registry demo`, so a newcomer can click through every state."""

from __future__ import annotations

import io
import math
from datetime import timedelta

import sqlalchemy as sa
from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from registry.auth.models import User
from registry.campaigns.models import Campaign
from registry.clock import local_today
from registry.extensions import db
from registry.reviews.operations import current_review, save_answers
from registry.submissions import ingest, operations, renditions
from registry.submissions.models import Submission
from registry.workflow import apply_transition


def _artwork(width: int, height: int, seed: int) -> FileStorage:
    """A red panel with a yellow star: a stand-in for a real design."""
    im = Image.new("RGB", (width, height), (200, 16, 46))
    draw = ImageDraw.Draw(im)
    cx, cy, r = width * 0.2, height / 2, min(width, height) * 0.3
    points = [
        (
            cx + (r if i % 2 == 0 else r * 0.38) * math.sin(i * math.pi / 5),
            cy - (r if i % 2 == 0 else r * 0.38) * math.cos(i * math.pi / 5),
        )
        for i in range(10)
    ]
    draw.polygon(points, fill=(255, 222, 0))
    for i in range(3):
        top = height * (0.3 + 0.15 * i)
        draw.rectangle(
            [width * 0.42, top, width * (0.92 - 0.05 * ((i + seed) % 3)), top + height * 0.07],
            fill=(255, 236, 150),
        )
    buffer = io.BytesIO()
    im.save(buffer, "PNG", dpi=(72, 72))
    buffer.seek(0)
    return FileStorage(stream=buffer, filename=f"mau-{seed}.png", content_type="image/png")


def create_demo_submissions() -> int:
    """Create sample submissions in several states once; return how many were created."""
    designer = db.session.scalar(sa.select(User).where(User.username == "designer"))
    reviewer = db.session.scalar(sa.select(User).where(User.username == "reviewer"))
    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.code == "KL288-2026"))
    if designer is None or reviewer is None or campaign is None:
        return 0
    if db.session.scalar(sa.select(Submission.id).where(Submission.created_by_id == designer.id)):
        return 0
    samples = [
        ("Pano trung tâm hành chính phường", "pano", 600, 300, "draft"),
        ("Băng rôn trục đường Trần Hưng Đạo", "bang_ron", 800, 80, "submitted"),
        ("Phướn búa liềm đường Hà Hoàng Hổ", "phuon", 80, 200, "approved"),
    ]
    for seed, (title, fmt, width_cm, height_cm, target) in enumerate(samples, start=1):
        submission = operations.create_submission(
            designer,
            campaign,
            campaign.active_slogans[:2],
            title=title,
            format=fmt,
            scope="unit",
            width_cm=width_cm,
            height_cm=height_cm,
            other_text="",
            description="Hồ sơ mẫu do lệnh demo tạo ra.",
        )
        db.session.flush()
        # 4 px per cm (10 ppi) is sharp enough from a main road (MQ-07 asks 8.7 ppi at 10 m).
        version = ingest.add_version(
            designer, submission, _artwork(int(width_cm * 4), int(height_cm * 4), seed)
        )
        # Small samples: their previews are made here rather than by the worker, so that the
        # approved one can be approved (nobody decides on artwork without its preview).
        renditions.make_renditions(version.id)
        operations.add_placement(
            designer,
            submission,
            designer.unit,
            address=f"Số {seed * 10} Trần Hưng Đạo",
            lat=10.3866 + seed * 0.002,
            lon=105.4352,
            site_type="main_road",
            quantity=2,
            # Relative to today: a fixed period would be over (and refused) one day.
            display_from=local_today(),
            display_to=local_today() + timedelta(days=180),
        )
        if target == "draft":
            continue
        apply_transition(designer, submission, "submit")
        if target == "approved":
            apply_transition(reviewer, submission, "claim")
            review = current_review(submission)
            save_answers(
                reviewer,
                review,
                [
                    {
                        "item": a.item.code,
                        "result": "pass",
                        "comment": ""
                        if a.automatic_result in (None, "pass")
                        else "Mẫu minh họa: chấp nhận ở kích thước dùng thử.",
                    }
                    for a in review.answers
                ],
            )
            apply_transition(reviewer, submission, "approve", comment="Đạt yêu cầu.")
    return len(samples)
