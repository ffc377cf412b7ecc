"""Sending the alert digest by SMTP with STARTTLS, configured from the environment.

Settings (all ``MODQ_``; mail is off while ``MODQ_SMTP_HOST`` is unset, and alerts are then only listed by
``modq alerts list``, ``modq status`` and the terminal):

* ``MODQ_SMTP_HOST``, ``MODQ_SMTP_PORT`` (587): the submission server;
* ``MODQ_SMTP_USERNAME``, ``MODQ_SMTP_PASSWORD``: logged in with only after STARTTLS (no login without them);
* ``MODQ_SMTP_CA_FILE``: a PEM file of the certificate authority the server's certificate is checked against,
  for a department's own CA (default: the system's trusted authorities);
* ``MODQ_SMTP_TIMEOUT`` (30 seconds);
* ``MODQ_ALERT_FROM``, ``MODQ_ALERT_TO`` (comma-separated): sender and recipients;
* ``MODQ_ALERT_MINUTES`` (5): how often the worker looks for alerts and mails what is new, as one digest (so a
  burst of alerts is one message, and a legal escalation is announced at least 55 minutes before it is due).

The connection is always upgraded with STARTTLS and the server's certificate and name are always checked: a
server that offers no STARTTLS, or a certificate that does not verify, is an error and nothing is sent in the
clear (the digest names escalations and accounts, and the login would travel with it).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from moderation.domain import ConfigError, ModqError


class MailError(ModqError):
    """The mail server could not be reached, refused STARTTLS or the login, or refused the message."""


class MailSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MODQ_", extra="ignore")

    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_ca_file: Path | None = None
    smtp_timeout: float = 30.0
    alert_from: str = ""
    alert_to: str = ""
    # How often the worker looks for alerts and sends what is new, in one digest.
    alert_minutes: float = 5.0

    @property
    def enabled(self) -> bool:
        return bool(self.smtp_host.strip())

    def recipients(self) -> list[str]:
        return [addr for _, addr in getaddresses([self.alert_to]) if addr]

    def check(self) -> None:
        """Raises ``ConfigError`` naming the setting that is missing or wrong (mail on only)."""
        if not self.enabled:
            return
        if not self.recipients():
            raise ConfigError("MODQ_ALERT_TO is empty: give the addresses that receive alerts, comma-separated")
        if not [addr for _, addr in getaddresses([self.alert_from]) if "@" in addr]:
            raise ConfigError("MODQ_ALERT_FROM must be the sender's address, e.g. modq@department.example")
        if bool(self.smtp_username) != bool(self.smtp_password.get_secret_value()):
            raise ConfigError("set both MODQ_SMTP_USERNAME and MODQ_SMTP_PASSWORD, or neither")
        if self.smtp_ca_file is not None and not self.smtp_ca_file.is_file():
            raise ConfigError(f"MODQ_SMTP_CA_FILE {self.smtp_ca_file} is not a file")
        if not 0.5 <= self.alert_minutes <= 30:
            raise ConfigError(f"MODQ_ALERT_MINUTES {self.alert_minutes:g} must be between 0.5 and 30")
        if not 0 < self.smtp_port < 65536:
            raise ConfigError(f"MODQ_SMTP_PORT {self.smtp_port} is not a port (1-65535)")


def mail_settings() -> MailSettings:
    """The mail settings from the environment, checked.

    Raises:
        ConfigError: naming the variable that is wrong and what it must be.
    """
    try:
        settings = MailSettings()
    except ValidationError as exc:
        problems = "; ".join(f"MODQ_{str(e['loc'][0]).upper()}: {e['msg']}" for e in exc.errors() if e.get("loc"))
        raise ConfigError(f"mail settings: {problems}") from None
    settings.check()
    return settings


def tls_context(settings: MailSettings) -> ssl.SSLContext:
    cafile = str(settings.smtp_ca_file) if settings.smtp_ca_file else None
    return ssl.create_default_context(cafile=cafile)


def send(settings: MailSettings, message: EmailMessage) -> None:
    """Deliver ``message`` to the submission server over STARTTLS.

    Raises:
        ConfigError: a setting is missing or wrong.
        MailError: the server cannot be reached, offers no STARTTLS, fails the certificate check, refuses the
            login or the message.
    """
    settings.check()
    host = settings.smtp_host.strip()
    try:
        with smtplib.SMTP(host, settings.smtp_port, timeout=settings.smtp_timeout) as smtp:
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise MailError(f"{host}:{settings.smtp_port} offers no STARTTLS; nothing is sent unencrypted")
            smtp.starttls(context=tls_context(settings))
            smtp.ehlo()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            refused = smtp.send_message(message, from_addr=message["From"], to_addrs=settings.recipients())
            if refused:
                raise MailError(f"the mail server refused {', '.join(sorted(refused))}")
    except MailError:
        raise
    except ssl.SSLError as exc:
        raise MailError(f"TLS with {host}:{settings.smtp_port} failed: {exc.reason or exc}") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"{host} refused the login for {settings.smtp_username} ({exc.smtp_code})") from None
    except smtplib.SMTPException as exc:
        raise MailError(f"{host}:{settings.smtp_port}: {exc}") from None
    except OSError as exc:
        raise MailError(f"cannot reach {host}:{settings.smtp_port}: {exc.strerror or exc}") from None
