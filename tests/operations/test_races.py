"""Uploads racing for one submission (found by bench/soak): one wins, the other is told it is a
duplicate, and no file a committed row points to is deleted by the loser's clean-up."""

from __future__ import annotations

import io
import threading

import pytest

from registry import imaging
from registry.storage.consistency import check_store
from tests import images
from tests.conftest import post_multipart


@pytest.mark.parametrize("app", ["services"], indirect=True)  # the row lock is PostgreSQL's
def test_identical_uploads_at_once_keep_the_winners_file(
    app, client, make_user, token_for, make_submission, monkeypatch
):
    designer = make_user("designer")
    headers = token_for(designer)
    submission_id = make_submission(designer).id  # read here: threads must not share the session
    data = images.png_bytes(1500, 1000, compress_level=1)  # not the factory's first version
    both_checked = threading.Barrier(2, timeout=30)
    read_header = imaging.read_header

    def read_header_together(*args, **kwargs):
        both_checked.wait()  # both requests have passed the early duplicate check
        return read_header(*args, **kwargs)

    monkeypatch.setattr(imaging, "read_header", read_header_together)
    answers: list[tuple[int, str | None]] = []

    def upload() -> None:
        try:
            with app.app_context():  # a thread of its own, as a second gunicorn worker
                answers.append(_upload())
        except Exception as error:  # noqa: BLE001  (shown by the assertion below)
            answers.append((0, repr(error)))

    def _upload() -> tuple[int, str | None]:
        response = post_multipart(
            app.test_client(),
            f"/api/v1/submissions/{submission_id}/versions",
            {"file": (io.BytesIO(data), "mau.png")},
            headers=headers,
        )
        code = response.json.get("error", {}).get("code") if response.status_code >= 400 else None
        return response.status_code, code

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) == [(201, None), (409, "duplicate")]
    assert check_store(app.extensions["registry_store"]).problems == []
