"""Alerts that reach people by email: the digest (``digest``) and the SMTP client that sends it (``mail``).

The service finds and records alerts (``moderation.services.alerts``); this package only tells people, and is
called by the worker's ``alerts`` job.
"""

from .digest import AlertRun, run_alerts
from .mail import MailError, MailSettings, mail_settings

__all__ = ["AlertRun", "MailError", "MailSettings", "mail_settings", "run_alerts"]
