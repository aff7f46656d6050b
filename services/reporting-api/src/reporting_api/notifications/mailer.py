"""Sending one e-mail through the configured SMTP server (aiosmtplib)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

from reporting_api.notifications.models import EmailOutbox
from reporting_api.settings import Settings


def build(email: EmailOutbox, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Message-ID"] = email.message_id
    message["Date"] = formatdate(localtime=False)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to these
    message.set_content(email.body)
    message["Content-Language"] = email.language  # after set_content, which replaces the Content-* headers
    return message


async def send(email: EmailOutbox, settings: Settings) -> None:
    """Hand the e-mail to the SMTP server; raises on any refusal or failure (the caller retries later)."""
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
    # Empty settings (an unset variable of a compose file) mean no sign-in, not signing in with empty names.
    login = bool(settings.smtp_username and password)
    await aiosmtplib.send(
        build(email, settings),
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username if login else None,
        password=password if login else None,
        use_tls=settings.smtp_security == "tls",
        start_tls=True if settings.smtp_security == "starttls" else False,
        timeout=settings.smtp_timeout_seconds,
    )
