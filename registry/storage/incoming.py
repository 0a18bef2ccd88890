"""Storing an upload while its body still arrives: the spool feeds a background put.

The request's thread writes the body to the spool file and says how far it got; a thread of
the request reads the file behind it (never more than one part in memory) and hands it to the
store, part by part (MinIO: a multipart upload). Nothing is visible until the request finishes
the put; a refusal, a broken body or a client gone aborts it (the multipart upload is dropped).
No Flask here.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any


class UploadAbandoned(Exception):
    """The request gave the upload up: the put reading its spool must stop and leave nothing."""


class SpoolTail:
    """A reader of a growing file: read(n) waits until n more bytes were written, the writer
    finished (then it returns what is left, b"" at the end) or abandoned the upload (raises)."""

    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        self._cond = threading.Condition()
        self._written = self._offset = 0
        self._finished = self._abandoned = False

    def grew(self, written: int) -> None:
        """Tell the reader that the file's first `written` bytes are flushed."""
        with self._cond:
            self._written = written
            self._cond.notify_all()

    def finish(self) -> None:
        """Tell the reader the file is complete."""
        with self._cond:
            self._finished = True
            self._cond.notify_all()

    def abandon(self) -> None:
        """Make the reader's next (or current) read raise UploadAbandoned."""
        with self._cond:
            self._abandoned = True
            self._cond.notify_all()

    def read(self, size: int = -1) -> bytes:
        """Read up to size bytes (all when negative), waiting for them to be written."""
        with self._cond:
            while not (self._abandoned or self._finished) and (
                size < 0 or self._written - self._offset < size
            ):
                self._cond.wait()
            if self._abandoned:
                raise UploadAbandoned("the upload was refused or cut off")
            available = self._written - self._offset
            count = available if size < 0 else min(size, available)
        data = os.pread(self._fd, count, self._offset) if count else b""
        self._offset += len(data)
        return data

    def close(self) -> None:
        """Close the reader's own file descriptor (the spool keeps its own); safe to repeat."""
        fd, self._fd = self._fd, -1
        if fd >= 0:
            os.close(fd)


class BackgroundPut:
    """put(tail) run in a thread of its own; finish() waits for its result, abort() drops it."""

    def __init__(
        self,
        key: str,
        tail: SpoolTail,
        put: Callable[[SpoolTail], Any],
        errors: Callable[[], AbstractContextManager[None]],
    ) -> None:
        self.key, self._tail, self._put, self._errors = key, tail, put, errors
        self._result: Any = None
        self._error: BaseException | None = None
        self.is_done = False
        self._thread = threading.Thread(target=self._run, name="registry-put", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._result = self._put(self._tail)
        except BaseException as error:  # re-raised in the request's thread by finish()
            self._error = error

    @property
    def failed(self) -> bool:
        """Report whether the put has already failed (the store refused or is unreachable)."""
        return self._error is not None

    def grew(self, written: int) -> None:
        """Pass on how much of the spool is written."""
        self._tail.grew(written)

    def finish(self) -> Any:
        """Mark the spool complete, wait for the put and return its result (or raise, as the
        store's own error, in the caller's thread)."""
        if self.is_done:
            raise UploadAbandoned("the put was already finished or aborted")
        self.is_done = True
        self._tail.finish()
        self._thread.join()
        self._tail.close()
        if self._error is not None:
            with self._errors():
                raise self._error
        return self._result

    def abort(self) -> None:
        """Abandon the put and wait until the store has dropped what it received; a put already
        finished or aborted is left alone."""
        if self.is_done:
            return
        self.is_done = True
        self._tail.abandon()
        self._thread.join()
        self._tail.close()
