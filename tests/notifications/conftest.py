"""A real SMTP server (aiosmtpd) for the notification tests, and the app pointed at it."""

from __future__ import annotations

import email
import socket
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from registry.extensions import db
from registry.tasks import Job
from registry.tasks.queue import run_job

PUBLIC_URL = "https://camdong.angiang.gov.vn"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None and body.get_content_subtype() == subtype, subtype
        return body.get_content()


class Inbox:
    """What the SMTP server received, in order."""

    def __init__(self) -> None:
        self.messages: list[Received] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.recipients]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_settings(app, monkeypatch):
    """Point the app's e-mail at 127.0.0.1:<port> (nothing listens there unless `inbox` runs)."""
    port = free_port()
    for key, value in {
        "REGISTRY_SMTP_HOST": "127.0.0.1",
        "REGISTRY_SMTP_PORT": port,
        "REGISTRY_SMTP_STARTTLS": False,
        "REGISTRY_SMTP_FROM": "thongbao@angiang.gov.vn",
        "REGISTRY_PUBLIC_URL": PUBLIC_URL,
        "REGISTRY_TASK_MAX_ATTEMPTS": 2,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    return port


@pytest.fixture
def inbox(smtp_settings):
    """A real SMTP server listening where the app sends its e-mail."""
    received = Inbox()
    controller = Controller(received, hostname="127.0.0.1", port=smtp_settings)
    controller.start()
    yield received
    controller.stop()


def email_jobs(name: str = "notifications.send_email") -> list[Job]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Job).where(Job.name == name).order_by(Job.id)))


def run_jobs(app, name: str = "notifications.send_email") -> None:
    """Run every queued job of that kind here, as the worker would."""
    for record in email_jobs(name):
        if record.status == "queued":
            run_job(app, record.id)
    db.session.expire_all()
