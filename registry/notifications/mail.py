"""E-mail over SMTP: one message in plain text and HTML, built with the standard library."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app
from flask_babel import gettext as _

SMTP_TIMEOUT_SECONDS = 30


def smtp_configured() -> bool:
    """Whether e-mail can go out at all (unset REGISTRY_SMTP_HOST: notifications stay in-app)."""
    return bool(current_app.config.get("REGISTRY_SMTP_HOST"))


def absolute(path: str) -> str:
    """A link back to the registry: REGISTRY_PUBLIC_URL (or localhost) and the path."""
    base = current_app.config.get("REGISTRY_PUBLIC_URL") or "http://localhost"
    return base.rstrip("/") + "/" + path.lstrip("/")


def sender() -> str:
    config = current_app.config
    address = config.get("REGISTRY_SMTP_FROM") or f"no-reply@{config['REGISTRY_SMTP_HOST']}"
    return formataddr((_("Kho mẫu cổ động trực quan"), address))


def build_message(to: str, subject: str, template: str, **context) -> EmailMessage:
    """A message whose plain-text and HTML parts are rendered from notifications/<template>."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender()
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="registry")
    # Sent by a program (RFC 3834): out-of-office replies stay away.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(_render(f"notifications/{template}.txt", context))
    message.add_alternative(_render(f"notifications/{template}.html", context), subtype="html")
    return message


def _render(name: str, context: dict) -> str:
    """A template rendered on its own: no request, so none of the pages' context processors
    (HTML is escaped, plain text is not, by the file's extension)."""
    return current_app.jinja_env.get_template(name).render(**context)


def send(message: EmailMessage) -> None:
    """Hand the message to the SMTP server; any failure raises (the job retries)."""
    config = current_app.config
    host, port = config["REGISTRY_SMTP_HOST"], int(config["REGISTRY_SMTP_PORT"])
    with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if config["REGISTRY_SMTP_STARTTLS"]:
            smtp.starttls()
        if config.get("REGISTRY_SMTP_USERNAME"):
            smtp.login(config["REGISTRY_SMTP_USERNAME"], config.get("REGISTRY_SMTP_PASSWORD") or "")
        smtp.send_message(message)
