"""Every model, imported in one place so that Alembic and the app see the whole schema."""

from registry.audit import AuditEvent
from registry.auth.models import User, UserSession
from registry.campaigns.models import CalendarDay, Campaign, ChecklistItem, ChecklistVersion, Slogan
from registry.displays.models import Display, DisplayPhoto, DisplayRecord
from registry.documents.models import SigningCertificate
from registry.library.models import ApprovedAsset, DownloadLog
from registry.notifications.models import DigestRun, Notification, NotificationPreference
from registry.ratelimit import RateLimitHit
from registry.reviews.models import Annotation, ChecklistAnswer, Review
from registry.submissions.models import ArtworkVersion, Placement, Submission
from registry.tasks.models import Job
from registry.textcheck.models import TextReading
from registry.units.models import Unit
from registry.uploads.models import ResumableUpload

__all__ = [
    "Annotation",
    "ApprovedAsset",
    "ArtworkVersion",
    "AuditEvent",
    "CalendarDay",
    "Campaign",
    "ChecklistAnswer",
    "ChecklistItem",
    "ChecklistVersion",
    "DigestRun",
    "Display",
    "DisplayPhoto",
    "DisplayRecord",
    "DownloadLog",
    "Job",
    "Notification",
    "NotificationPreference",
    "Placement",
    "RateLimitHit",
    "ResumableUpload",
    "Review",
    "SigningCertificate",
    "Slogan",
    "Submission",
    "TextReading",
    "Unit",
    "User",
    "UserSession",
]
