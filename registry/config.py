"""Configuration: defaults in code, then instance/config.py, then REGISTRY_* environment.

DEFAULTS names every REGISTRY_* setting the code reads (a test holds the code and the README to
it); the type of a default says how a value given as text is read, here and only here.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from registry.storage.spool import body_limit

#: Default viewing distance (metres) of each placement site type, for MQ-07: the print must be
#: sharp to a viewer this close (3438 / distance in inches ppi). A placement may state its own.
#: Practice, not law: the Department may change these in instance/config.py.
DEFAULT_VIEWING_DISTANCE_M = {
    "school_cultural_house": 3,
    "administrative_center": 5,
    "residential_area": 5,
    "public_square": 8,
    "main_road": 10,
    "other": 3,
}

DEFAULTS = {
    "REGISTRY_STORAGE": "local",
    "REGISTRY_MINIO_ENDPOINT": "127.0.0.1:9000",
    "REGISTRY_MINIO_ACCESS_KEY": "",
    "REGISTRY_MINIO_SECRET_KEY": "",
    "REGISTRY_MINIO_SECURE": False,
    "REGISTRY_MINIO_REGION": None,
    # The address browsers reach MinIO at, when it differs from REGISTRY_MINIO_ENDPOINT (the host
    # is part of a presigned link's signature), e.g. https://files.camdong.angiang.gov.vn.
    "REGISTRY_MINIO_PUBLIC_ENDPOINT": None,
    "REGISTRY_UPLOADS_BUCKET": "registry-uploads",
    "REGISTRY_APPROVED_BUCKET": "registry-approved",
    "REGISTRY_MAX_UPLOAD_MB": 300,
    "REGISTRY_MAX_PRINT_FILE_MB": 2048,
    # Resumable (tus) uploads from the page: chunks the browser sends, how long an unfinished
    # upload is kept after its last chunk, and how long a stalled chunk is waited for.
    "REGISTRY_UPLOAD_CHUNK_MB": 8,
    "REGISTRY_UPLOAD_EXPIRY_HOURS": 72,
    "REGISTRY_UPLOAD_READ_TIMEOUT_SECONDS": 60,
    "REGISTRY_MAX_IMAGE_PIXELS": 450_000_000,
    "REGISTRY_VIEWING_DISTANCE_M": DEFAULT_VIEWING_DISTANCE_M,
    # Multiplies the one-arc-minute minimum of MQ-07 (above 1 asks for finer prints).
    "REGISTRY_ACUITY_FACTOR": 1.0,
    "REGISTRY_ASPECT_TOLERANCE": 0.02,
    "REGISTRY_PLACEMENT_DISTANCE_M": 50,
    # A placement of an open-ended campaign ends at most this many years after today.
    "REGISTRY_DISPLAY_HORIZON_YEARS": 5,
    # A site photo taken farther than this from its placement fails the GPS check.
    "REGISTRY_PHOTO_DISTANCE_M": 100,
    # Map tiles: an XYZ URL template ({z}/{x}/{y}) and its attribution; unset, a plain background.
    "REGISTRY_MAP_TILES": "",
    "REGISTRY_MAP_ATTRIBUTION": "",
    # `registry remind`: approved displays not installed this many days after their start.
    "REGISTRY_REMIND_INSTALL_DAYS": 7,
    # Werkzeug method spec; plain "scrypt" is n=2^15, r=8, p=1 (about 0.15 s per check here).
    "REGISTRY_PASSWORD_HASH": "scrypt",
    "REGISTRY_LOGIN_MAX_FAILURES": 5,
    "REGISTRY_LOGIN_WINDOW_SECONDS": 900,
    # Public verification look-ups per client address, page and API together (codes are
    # sequential, so an unlimited look-up lets anyone walk the whole register).
    "REGISTRY_VERIFY_RATE_LIMIT": "30 per minute; 300 per hour",
    # Where the counts live: the registry's database by default; redis://… or memcached://…
    # (any storage URI of the `limits` library) where a busy site prefers it.
    "REGISTRY_RATELIMIT_STORAGE_URI": "registry-db://",
    # How many proxies in front of the app set X-Forwarded-For/-Proto; 0 trusts neither and
    # takes the client address from the socket (a proxy then counts as one client).
    "REGISTRY_PROXY_HOPS": 0,
    "REGISTRY_API_TOKEN_HOURS": 12,
    "REGISTRY_DOWNLOAD_URL_SECONDS": 300,
    "REGISTRY_PAGE_SIZE": 25,
    "REGISTRY_REFERENCE_CACHE_SECONDS": 60,
    "REGISTRY_TIMEZONE": "Asia/Ho_Chi_Minh",
    # The address people reach the registry at (QR codes and verification links); unset, the
    # address of the current request is used, which is wrong behind a TLS proxy.
    "REGISTRY_PUBLIC_URL": None,
    "REGISTRY_SECURE_COOKIES": False,
    # What the operator sees (registry/observability.py): unset, /metrics answers loopback only.
    "REGISTRY_METRICS_TOKEN": None,
    "REGISTRY_REQUEST_LOG": True,
    # Where `registry backup`/`restore` find pg_dump and pg_restore; unset, they are searched.
    "REGISTRY_PG_BINDIR": None,
    # The task queue (registry/tasks): unset, it lives beside the database (instance/tasks.sqlite3
    # next to SQLite, the same database next to PostgreSQL).
    "REGISTRY_TASK_QUEUE_URL": None,
    "REGISTRY_TASK_WORKERS": 1,
    "REGISTRY_TASK_MAX_ATTEMPTS": 3,
    "REGISTRY_TASK_RETRY_SECONDS": 30.0,
    "REGISTRY_TASK_STALE_SECONDS": 120.0,
    "REGISTRY_TASK_IMPORTS": [],
    # Notification e-mail over SMTP (registry/notifications): unset host, notifications stay
    # in the app. STARTTLS is asked for unless turned off; a user name logs in after it.
    "REGISTRY_SMTP_HOST": None,
    "REGISTRY_SMTP_PORT": 587,
    "REGISTRY_SMTP_USERNAME": "",
    "REGISTRY_SMTP_PASSWORD": "",
    "REGISTRY_SMTP_STARTTLS": True,
    "REGISTRY_SMTP_FROM": "",
    # Reading the text on artwork (registry/textcheck): Tesseract's tessdata folder and the
    # Vietnamese word list (unset: Debian's), the working image's long side and the cap height
    # lines are read at.
    "REGISTRY_TESSDATA": None,
    "REGISTRY_VIETNAMESE_WORDLIST": None,
    "REGISTRY_OCR_WORK_PX": 2400,
    "REGISTRY_OCR_LETTER_PX": 44,
    # The approval document (Nghị định 30/2020/NĐ-CP layout). What the clerk (văn thư) decides
    # is a setting: the number's pattern ({number} runs from 1 each year), names and titles.
    "REGISTRY_DOCUMENT_NUMBER_PATTERN": "{number:02d}/SVHTT-QLVH",
    "REGISTRY_DOCUMENT_PARENT_BODY": "UBND TỈNH AN GIANG",  # not interface: a document
    "REGISTRY_DOCUMENT_ISSUING_BODY": "SỞ VĂN HÓA VÀ THỂ THAO",  # not interface: a document
    "REGISTRY_DOCUMENT_DIVISION": "Phòng Quản lý Văn hóa",  # not interface: a document
    "REGISTRY_DOCUMENT_PLACE": "An Giang",
    "REGISTRY_DOCUMENT_AUTHORITY": "TL. GIÁM ĐỐC",  # not interface: a document
    "REGISTRY_DOCUMENT_SIGNER_TITLE": "TRƯỞNG PHÒNG QUẢN LÝ VĂN HÓA",  # not interface: a document
    "REGISTRY_DOCUMENT_ARCHIVE": "Lưu: VT, QLVH.",  # not interface: a document
    # A TrueType family with full Vietnamese coverage, metric-compatible with Times New Roman
    # (Debian fonts-liberation2: version 2 covers Vietnamese, version 1 does not; installed by
    # scripts/serve and .ci/services.sh).
    "REGISTRY_DOCUMENT_FONT_DIR": "/usr/share/fonts/truetype/liberation2",
    "REGISTRY_DOCUMENT_FONT": "LiberationSerif",
    # PAdES signing of the approval document (registry/documents/keys.py), with a key from
    # either a PKCS#12 file (.p12/.pfx) and its password, or a PKCS#11 token (a CA's USB token:
    # its module's .so, the token's label, the certificate's and key's labels, the PIN or a
    # file holding it). Neither set, the document is issued marked "bản không ký số".
    "REGISTRY_SIGNING_PKCS12": None,
    "REGISTRY_SIGNING_PASSWORD": "",
    "REGISTRY_SIGNING_PKCS11_MODULE": None,
    "REGISTRY_SIGNING_PKCS11_TOKEN_LABEL": None,
    "REGISTRY_SIGNING_PKCS11_CERT_LABEL": None,
    "REGISTRY_SIGNING_PKCS11_KEY_LABEL": None,
    "REGISTRY_SIGNING_PKCS11_PIN": None,
    "REGISTRY_SIGNING_PKCS11_PIN_FILE": None,
    # Certificates whose signatures stay valid besides those the registry signed with (it keeps
    # every one): a PEM/DER file or a folder of them (registry/documents/trust.py).
    "REGISTRY_SIGNING_TRUST_ROOTS": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    # No pool_pre_ping: registry.outages pings a connection only after it was idle.
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "API_TITLE": "Artwork registry API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}

# Set from the instance folder's path in load_config; listed so that they count as read.
PATH_KEYS = ("REGISTRY_LOCAL_STORAGE_PATH", "REGISTRY_UPLOAD_STAGING_PATH")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def as_bool(key: str, text: str) -> bool:
    """Read a yes/no setting given as text; anything unclear stops the start."""
    value = text.strip().lower()
    if value not in _TRUE | _FALSE:
        raise ValueError(f"{key} must be true or false, not {text!r}")
    return value in _TRUE


def _typed(key: str, value: object) -> object:
    """A value given as text, read as the type of its default (bool, int, float or a list)."""
    default = DEFAULTS.get(key)
    if not isinstance(value, str) or default is None or isinstance(default, str):
        return value
    if isinstance(default, bool):
        return as_bool(key, value)
    if isinstance(default, int | float):
        try:
            return type(default)(value)
        except ValueError:
            raise ValueError(f"{key} must be a number, not {value!r}") from None
    if isinstance(default, list):
        return [part.strip() for part in value.split(",") if part.strip()]
    raise ValueError(f"{key} is set in instance/config.py, not in the environment")


def load_config(app: Flask, overrides: dict | None = None) -> None:
    """Fill app.config from defaults, instance/config.py, the environment and overrides."""
    app.config.from_mapping(DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(
        Path(app.instance_path) / "registry.sqlite3"
    )
    app.config["REGISTRY_LOCAL_STORAGE_PATH"] = str(Path(app.instance_path) / "storage")
    app.config["REGISTRY_UPLOAD_STAGING_PATH"] = str(Path(app.instance_path) / "uploads-staging")
    app.config.from_pyfile("config.py", silent=True)
    _load_environment(app)
    if overrides:
        app.config.from_mapping(overrides)
    for key in DEFAULTS:
        app.config[key] = _typed(key, app.config[key])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    secure = bool(app.config["REGISTRY_SECURE_COOKIES"])
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SECURE"] = secure
    # Werkzeug refuses bodies above this while streaming (413); the print-file routes raise it.
    app.config["MAX_CONTENT_LENGTH"] = body_limit(app.config["REGISTRY_MAX_UPLOAD_MB"])


def _load_environment(app: Flask) -> None:
    env = os.environ
    if env.get("REGISTRY_DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = env["REGISTRY_DATABASE_URL"]
    if env.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = env["SECRET_KEY"]
    for key in [*DEFAULTS, *PATH_KEYS]:
        if key.startswith("REGISTRY_") and key in env:
            app.config[key] = env[key]


def _instance_secret_key(instance: Path) -> str:
    """Read the generated secret key from instance/, creating it on first run."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: two workers starting at once must agree on one key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
