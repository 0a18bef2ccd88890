"""Configuration: defaults in code, then instance/config.py, then REGISTRY_* environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from registry.storage.spool import body_limit

#: Minimum effective print resolution per format (pixels per physical inch). Practice, not law
#: (checklist MQ-07): the Department may change these in instance/config.py or the environment.
DEFAULT_MIN_PPI = {"pano": 72, "phuon": 150, "bang_ron": 150, "other": 100}

DEFAULTS = {
    "REGISTRY_STORAGE": "local",
    "REGISTRY_MINIO_ENDPOINT": "127.0.0.1:9000",
    "REGISTRY_MINIO_ACCESS_KEY": "",
    "REGISTRY_MINIO_SECRET_KEY": "",
    "REGISTRY_MINIO_SECURE": False,
    "REGISTRY_MINIO_REGION": None,
    "REGISTRY_UPLOADS_BUCKET": "registry-uploads",
    "REGISTRY_APPROVED_BUCKET": "registry-approved",
    "REGISTRY_MAX_UPLOAD_MB": 300,
    "REGISTRY_MAX_PRINT_FILE_MB": 2048,
    "REGISTRY_MAX_IMAGE_PIXELS": 200_000_000,
    "REGISTRY_MIN_PPI": DEFAULT_MIN_PPI,
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
    "REGISTRY_API_TOKEN_HOURS": 12,
    "REGISTRY_DOWNLOAD_URL_SECONDS": 300,
    "REGISTRY_PAGE_SIZE": 25,
    "REGISTRY_TIMEZONE": "Asia/Ho_Chi_Minh",
    # The address people reach the registry at (QR codes and verification links); unset, the
    # address of the current request is used, which is wrong behind a TLS proxy.
    "REGISTRY_PUBLIC_URL": None,
    "REGISTRY_SECURE_COOKIES": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "API_TITLE": "Artwork registry API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}

_BOOL_KEYS = {"REGISTRY_MINIO_SECURE", "REGISTRY_SECURE_COOKIES"}
_INT_KEYS = {
    "REGISTRY_MAX_UPLOAD_MB",
    "REGISTRY_MAX_PRINT_FILE_MB",
    "REGISTRY_MAX_IMAGE_PIXELS",
    "REGISTRY_PLACEMENT_DISTANCE_M",
    "REGISTRY_DISPLAY_HORIZON_YEARS",
    "REGISTRY_PHOTO_DISTANCE_M",
    "REGISTRY_REMIND_INSTALL_DAYS",
    "REGISTRY_LOGIN_MAX_FAILURES",
    "REGISTRY_LOGIN_WINDOW_SECONDS",
    "REGISTRY_API_TOKEN_HOURS",
    "REGISTRY_DOWNLOAD_URL_SECONDS",
    "REGISTRY_PAGE_SIZE",
}
_FLOAT_KEYS = {"REGISTRY_ASPECT_TOLERANCE"}


def load_config(app: Flask, overrides: dict | None = None) -> None:
    """Fill app.config from defaults, instance/config.py, the environment and overrides."""
    app.config.from_mapping(DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(
        Path(app.instance_path) / "registry.sqlite3"
    )
    app.config["REGISTRY_LOCAL_STORAGE_PATH"] = str(Path(app.instance_path) / "storage")
    app.config.from_pyfile("config.py", silent=True)
    _load_environment(app)
    if overrides:
        app.config.from_mapping(overrides)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    secure = bool(app.config["REGISTRY_SECURE_COOKIES"])
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SECURE"] = secure
    # Werkzeug refuses bodies above this while streaming (413); the print-file routes raise it.
    app.config["MAX_CONTENT_LENGTH"] = body_limit(app.config["REGISTRY_MAX_UPLOAD_MB"])
    if app.config["REGISTRY_STORAGE"] not in ("local", "minio"):
        raise ValueError("REGISTRY_STORAGE must be 'local' or 'minio'")


def _load_environment(app: Flask) -> None:
    env = os.environ
    if env.get("REGISTRY_DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = env["REGISTRY_DATABASE_URL"]
    if env.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = env["SECRET_KEY"]
    for key in list(DEFAULTS) + ["REGISTRY_LOCAL_STORAGE_PATH"]:
        if not key.startswith("REGISTRY_") or key not in env or key == "REGISTRY_MIN_PPI":
            continue
        value: object = env[key]
        if key in _BOOL_KEYS:
            value = env[key].strip().lower() in ("1", "true", "yes", "on")
        elif key in _INT_KEYS:
            value = int(env[key])
        elif key in _FLOAT_KEYS:
            value = float(env[key])
        app.config[key] = value


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
