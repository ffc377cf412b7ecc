"""The alert digest: one email carrying every alert not yet sent, grouped by kind, times in the department's zone.

``run_alerts`` is what the worker's ``alerts`` job calls: find conditions that need a person, then send one
digest with everything not yet emailed, and record those alerts as emailed only once the mail server has accepted
the message. A run with nothing new sends nothing; a failed send leaves the alerts for the next run (so an alert
may reach people twice only if the worker dies between the server's acceptance and the record, never zero times).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from zoneinfo import ZoneInfo

from moderation.services.alerts import EMAILED_KINDS
from moderation.services.views import AlertView

from .mail import MailSettings, mail_settings, send

TITLES = {
    "sla_due": "Legal escalations due within the hour",
    "sla_breach": "Escalations past their SLA",
    "circuit_breaker": "Circuit breaker tripped (rule switched to shadow)",
    "calibration": "Rules demoted to queue-only (moderators overturned them)",
    "automation_paused": "Automation paused",
    "token_expired": "Platform tokens refused",
    "worker_silent": "Accounts not polled",
}
PER_KIND = 25  # lines per kind; the rest are counted and listed by 'modq alerts list'


@dataclass(frozen=True)
class AlertRun:
    new: int
    emailed: int
    waiting: int
    mail: str  # off, sent, nothing, failed
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"new": self.new, "emailed": self.emailed, "waiting": self.waiting, "mail": self.mail}


def subject(alerts: list[AlertView]) -> str:
    counts = {k: sum(1 for a in alerts if a.kind == k) for k in EMAILED_KINDS}
    parts = [f"{n} {TITLES[k].lower()}" for k, n in counts.items() if n]
    head = f"modq: {len(alerts)} alert{'s' if len(alerts) != 1 else ''}"
    return head + (" (" + "; ".join(parts[:3]) + (", ..." if len(parts) > 3 else "") + ")" if parts else "")


def body(alerts: list[AlertView], tz: ZoneInfo) -> str:
    lines = [
        "These alerts need a person. Each is sent once; acknowledge them with 'modq alerts ack ID ...' or in the",
        "terminal (g, alerts) once someone is on it.",
        "",
    ]
    for kind in EMAILED_KINDS:
        group = [a for a in alerts if a.kind == kind]
        if not group:
            continue
        lines.append(f"{TITLES[kind]} ({len(group)})")
        for a in group[:PER_KIND]:
            lines.append(f"  #{a.id} {_local(a.created_at, tz)}  {a.message}")
        if len(group) > PER_KIND:
            lines.append(f"  ... and {len(group) - PER_KIND} more: 'modq alerts list'")
        lines.append("")
    return "\n".join(lines)


def compose(alerts: list[AlertView], settings: MailSettings, tz: ZoneInfo, now: datetime) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject(alerts)
    msg["From"] = settings.alert_from
    msg["To"] = ", ".join(settings.recipients())
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid("modq-alerts")
    msg["X-Modq-Alerts"] = ",".join(str(a.id) for a in alerts)
    msg.set_content(body(alerts, tz))
    return msg


def run_alerts(svc: Any, settings: MailSettings | None = None) -> AlertRun:
    """Find new alerts, then email the digest (if mail is configured). Never raises for a mail failure: it is
    reported in the result and the alerts wait for the next run."""
    new = svc.scan_alerts()
    try:
        settings = settings or mail_settings()
    except Exception as exc:  # the worker checked them at start; someone changed the environment since
        return AlertRun(new=len(new), emailed=0, waiting=len(svc.digest_due()), mail="failed", error=str(exc))
    due = svc.digest_due()
    if not settings.enabled:
        return AlertRun(new=len(new), emailed=0, waiting=len(due), mail="off")
    if not due:
        return AlertRun(new=len(new), emailed=0, waiting=0, mail="nothing")
    from moderation.domain.days import zone

    message = compose(due, settings, zone(svc.settings.timezone), svc.now())
    try:
        send(settings, message)
    except Exception as exc:  # a mail or settings error must not stop the worker; the alerts wait
        return AlertRun(new=len(new), emailed=0, waiting=len(due), mail="failed", error=str(exc))
    svc.mark_emailed([a.id for a in due])
    return AlertRun(new=len(new), emailed=len(due), waiting=0, mail="sent")


def _local(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%d %b %H:%M %Z")
