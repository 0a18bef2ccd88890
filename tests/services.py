"""Settings of the real PostgreSQL and MinIO the suite runs against (given by .ci/run)."""

from __future__ import annotations

import os

import pytest

MINIO_KEYS = (
    "REGISTRY_TEST_MINIO_ENDPOINT",
    "REGISTRY_TEST_MINIO_ACCESS_KEY",
    "REGISTRY_TEST_MINIO_SECRET_KEY",
)
DATABASE_KEY = "REGISTRY_TEST_DATABASE_URL"


def require_services(*keys: str) -> dict[str, str]:
    """Return the settings, or skip loudly (fail when CI=true) if a service is not configured."""
    missing = [k for k in keys if not os.environ.get(k)]
    if missing:
        reason = (
            f"{', '.join(missing)} not set: the PostgreSQL/MinIO variant of this test "
            "did NOT run (bash .ci/run starts both services)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true requires the real services. " + reason, pytrace=False)
        pytest.skip(reason)
    return {k: os.environ[k] for k in keys}
