"""The one error a backup or restore stops with: a Vietnamese message for the operator."""


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why and what to do."""

    @property
    def message(self) -> str:
        """Return the operator-facing message."""
        return str(self.args[0])
