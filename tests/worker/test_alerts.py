"""Alerts reach people: the worker's alerts job finds what needs a person and mails it as a digest, once, over
STARTTLS, to a real SMTP server (aiosmtpd) started here on loopback with a throwaway certificate authority."""

from __future__ import annotations

import email
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from typer.testing import CliRunner

from moderation.alerting import MailSettings, run_alerts
from moderation.alerting.mail import MailError, send
from moderation.cli import app
from moderation.domain import ConfigError, NotFoundError, RoleError

from .conftest import TOKEN
from .test_automation import _comments

USER, PASSWORD = "modq-alerts", "s3cret-mail-password"


@dataclass
class Inbox:
    messages: list[Message] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)  # (user, over TLS)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def alert_ids(self) -> list[list[int]]:
        return [[int(i) for i in m["X-Modq-Alerts"].split(",")] for m in self.messages]


@dataclass
class Smtp:
    inbox: Inbox
    port: int
    ca_file: Path

    def settings(self, **changes: Any) -> MailSettings:
        values: dict[str, Any] = {
            "smtp_host": "127.0.0.1",
            "smtp_port": self.port,
            "smtp_username": USER,
            "smtp_password": PASSWORD,
            "smtp_ca_file": self.ca_file,
            "smtp_timeout": 10,
            "alert_from": "modq@department.example",
            "alert_to": "moderators@department.example, legal@department.example",
        }
        values.update(changes)
        return MailSettings(**values)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(inbox: Inbox, tls: ssl.SSLContext | None) -> Controller:
    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (USER.encode(), PASSWORD.encode())
        inbox.logins.append((data.login.decode() if isinstance(data, LoginPassword) else "?", session.ssl is not None))
        return AuthResult(success=ok, handled=False)

    kwargs: dict[str, Any] = {
        "authenticator": authenticator,
        "auth_require_tls": True,
        "auth_exclude_mechanism": ["LOGIN"],
    }
    if tls is not None:
        kwargs.update(tls_context=tls, require_starttls=True, auth_required=True)
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), **kwargs)
    controller.start()
    return controller


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    authority = trustme.CA()
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return authority, path


@pytest.fixture
def smtp(ca: tuple[trustme.CA, Path]) -> Iterator[Smtp]:
    authority, ca_file = ca
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    inbox = Inbox()
    controller = _serve(inbox, context)
    yield Smtp(inbox=inbox, port=controller.port, ca_file=ca_file)
    controller.stop()


def _kinds(alerts: list[Any]) -> list[str]:
    return sorted(a.kind for a in alerts)


def test_each_alert_is_mailed_once_in_a_digest(wsvc: Any, site: Any, smtp: Smtp, clock: Any) -> None:
    mail = smtp.settings()
    inbox = smtp.inbox
    # Nothing needs anyone yet: no message at all.
    assert run_alerts(wsvc, mail).mail == "nothing" and inbox.messages == []

    # A circuit breaker trips; automation is paused; the Page's token expires; a worker is running.
    wsvc.set_limit("breaker.share", 0.3, "alice")
    wsvc.set_limit("breaker.min_comments", 10, "alice")
    _comments(wsvc, [f"you rotten scoundrel {i}" for i in range(4)] + [f"a fine day {i}" for i in range(6)], "b")
    assert wsvc.check_circuit_breakers()
    wsvc.set_automation(True, "alice", "incident on the Page")
    site.fake.expire_token(TOKEN)
    assert wsvc.poll_account(site.account_id).error.startswith("AuthExpired")
    wsvc.heartbeat()
    # A comment escalated to legal now: its SLA (4 hours) is not close yet.
    (legal,) = _comments(wsvc, ["the minister is a crook and stole the money"], "l")
    wsvc.decide(legal, "escalate", "mo", clause="1", route="legal", note="allegation")

    first = run_alerts(wsvc, mail)
    assert (first.new, first.emailed, first.mail) == (2, 3, "sent")  # the breaker wrote its own alert
    assert len(inbox.messages) == 1
    msg = inbox.messages[0]
    assert msg["To"] == "moderators@department.example, legal@department.example"
    assert msg["Subject"].startswith("modq: 3 alerts")
    text = msg.get_payload()
    assert "Circuit breaker tripped" in text and "Automation paused" in text and "Platform tokens refused" in text
    assert smtp.inbox.logins == [(USER, True)]  # logged in, and only after STARTTLS

    # The next run finds nothing new and sends nothing.
    again = run_alerts(wsvc, mail)
    assert (again.new, again.emailed, again.mail) == (0, 0, "nothing") and len(inbox.messages) == 1

    # Three hours and ten minutes later: the legal escalation is due within the hour, and the account has not
    # been polled for far longer than twice its 10-second interval.
    clock.advance(hours=3, minutes=10)
    second = run_alerts(wsvc, mail)
    assert _kinds(wsvc.digest_due()) == [] and second.emailed == 2 and len(inbox.messages) == 2
    body = inbox.messages[1].get_payload()
    assert "legal escalation" in body and "is due at" in body and "has not been polled" in body
    # Times in the department's zone (Melbourne is UTC+11 in November).
    assert "AEDT" in body

    # Someone acknowledges the silent account before the next digest; the escalation then breaches.
    silent = [a for a in wsvc.alerts() if a.kind == "worker_silent"]
    assert wsvc.acknowledge_alerts([silent[0].id], "mo") == [silent[0].id]
    clock.advance(minutes=55)
    third = run_alerts(wsvc, mail)
    assert third.emailed == 1 and len(inbox.messages) == 3
    assert "breached its SLA" in inbox.messages[2].get_payload()

    # Automation resumed and paused again: a new episode, a new alert, mailed once.
    wsvc.set_automation(False, "alice")
    assert run_alerts(wsvc, mail).emailed == 0
    wsvc.set_automation(True, "alice", "again")
    assert run_alerts(wsvc, mail).emailed == 1
    assert run_alerts(wsvc, mail).emailed == 0

    # Every alert of a mailed kind reached people in exactly one message; nothing was mailed twice.
    mailed = [i for ids in inbox.alert_ids() for i in ids]
    assert len(mailed) == len(set(mailed)) == 7
    every = {a.id: a for a in wsvc.alerts(include_acknowledged=True)}
    assert {every[i].kind for i in mailed} == {
        "circuit_breaker",
        "automation_paused",
        "token_expired",
        "sla_due",
        "sla_breach",
        "worker_silent",
    }
    assert all(every[i].emailed_at is not None for i in mailed)


def test_a_failed_send_keeps_the_alerts_for_the_next_run(wsvc: Any, smtp: Smtp, ca: tuple[Any, Path]) -> None:
    wsvc.set_automation(True, "alice", "incident")
    plain = Inbox()
    no_tls = _serve(plain, None)
    try:
        run = run_alerts(wsvc, smtp.settings(smtp_port=no_tls.port))
    finally:
        no_tls.stop()
    assert run.mail == "failed" and "offers no STARTTLS" in (run.error or "")
    assert plain.messages == [] and plain.logins == []  # nothing, not even the login, went in the clear

    # A wrong password: refused, nothing sent.
    run = run_alerts(wsvc, smtp.settings(smtp_password="wrong"))
    assert run.mail == "failed" and "refused the login" in (run.error or "") and smtp.inbox.messages == []
    # A certificate the client does not trust: refused before anything is sent.
    run = run_alerts(wsvc, smtp.settings(smtp_ca_file=None))
    assert run.mail == "failed" and "TLS" in (run.error or "") and smtp.inbox.messages == []

    [waiting] = wsvc.digest_due()
    run = run_alerts(wsvc, smtp.settings())
    assert run.emailed == 1 and smtp.inbox.alert_ids() == [[waiting.id]]


def test_mail_settings_are_checked() -> None:
    with pytest.raises(ConfigError, match="MODQ_ALERT_TO"):
        MailSettings(smtp_host="mail.example", alert_from="modq@x.example").check()
    with pytest.raises(ConfigError, match="MODQ_SMTP_PASSWORD"):
        MailSettings(
            smtp_host="mail.example", alert_from="m@x.example", alert_to="a@x.example", smtp_username="u"
        ).check()
    MailSettings().check()  # mail off: nothing to check
    with pytest.raises(MailError, match="cannot reach"):
        send(
            MailSettings(
                smtp_host="127.0.0.1", smtp_port=_free_port(), alert_from="m@x.example", alert_to="a@x.example"
            ),
            email.message.EmailMessage(),
        )


def test_run_refuses_to_start_with_bad_mail_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MODQ_SMTP_HOST", "mail.example")
    monkeypatch.setenv("MODQ_SMTP_PORT", "submission")
    res = CliRunner().invoke(app, ["run", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 2
    assert " ".join(res.output.split()) == (
        "error: mail settings: MODQ_SMTP_PORT: Input should be a valid integer, unable to parse string as an integer"
    )


def test_acknowledging(wsvc: Any) -> None:
    wsvc.add_moderator("cora", "committee", "alice")
    wsvc.set_automation(True, "alice", "incident")
    [alert] = wsvc.scan_alerts()
    with pytest.raises(RoleError):
        wsvc.acknowledge_alerts([alert.id], "cora")
    with pytest.raises(NotFoundError, match="no alert 999"):
        wsvc.acknowledge_alerts([alert.id, 999], "mo")
    assert wsvc.alerts()[0].acknowledged_by is None  # nothing acknowledged by the refused call
    assert wsvc.acknowledge_alerts([alert.id], "mo") == [alert.id]
    assert wsvc.acknowledge_alerts([alert.id], "lee") == []  # the first acknowledgement stays
    assert wsvc.alerts() == [] and wsvc.alerts(include_acknowledged=True)[0].acknowledged_by == "mo"
    assert wsvc.digest_due() == []  # someone is on it: not mailed
    assert wsvc.scan_alerts() == []  # the condition goes on, but it was alerted


def test_alerts_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "demo.db"
    assert runner.invoke(app, ["demo", "--no-tui", "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["automation", "pause", "--db", str(db)]).exit_code == 0
    from moderation.bootstrap import make_service
    from moderation.config import Settings

    [alert] = make_service(Settings(), database_url=f"sqlite:///{db}").scan_alerts()
    listed = runner.invoke(app, ["alerts", "list", "--db", str(db)])
    assert listed.exit_code == 0 and "automation_paused" in listed.output
    assert runner.invoke(app, ["alerts", "ack", "--db", str(db)]).exit_code == 2
    assert runner.invoke(app, ["alerts", "ack", "424242", "--db", str(db)]).exit_code == 4
    refused = runner.invoke(app, ["alerts", "ack", str(alert.id), "--as", "demo-committee", "--db", str(db)])
    assert refused.exit_code == 3
    done = runner.invoke(app, ["alerts", "ack", str(alert.id), "--as", "demo-moderator", "--db", str(db)])
    assert done.exit_code == 0 and f"acknowledged 1 alert: {alert.id}" in done.output
    assert "no alert waiting" in runner.invoke(app, ["alerts", "list", "--db", str(db)]).output
    shown = runner.invoke(app, ["alerts", "list", "--all", "--json", "--db", str(db)])
    assert '"acknowledged_by": "demo-moderator"' in shown.output


def test_silence_needs_a_worker_that_ran(wsvc: Any, site: Any, clock: Any) -> None:
    clock.advance(hours=2)
    assert wsvc.scan_alerts() == []  # no worker ever ran here: nothing was meant to poll
    wsvc.heartbeat()
    assert _kinds(wsvc.scan_alerts()) == ["worker_silent"]
    wsvc.poll_account(site.account_id)
    assert wsvc.scan_alerts() == []
    [alert] = wsvc.alerts()
    assert alert.cleared_at is not None  # polls are back: the condition ended
    assert wsvc.digest_due() == []  # an ended condition is not mailed late


def test_alerts_send_mails_the_digest_without_a_worker(
    tmp_path: Path, smtp: Smtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    db = tmp_path / "demo.db"
    assert runner.invoke(app, ["demo", "--no-tui", "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["automation", "pause", "--db", str(db)]).exit_code == 0
    for key, value in smtp.settings().model_dump().items():
        if value not in (None, ""):
            monkeypatch.setenv(f"MODQ_{key.upper()}", str(value))
    monkeypatch.setenv("MODQ_SMTP_PASSWORD", PASSWORD)  # the settings show it as a secret
    sent = runner.invoke(app, ["alerts", "send", "--db", str(db)])
    assert sent.exit_code == 0, sent.output
    assert "digest of 1 sent to moderators@department.example, legal@department.example" in sent.output
    assert len(smtp.inbox.messages) == 1
    assert "Automation paused" in smtp.inbox.messages[0].get_payload()
    again = runner.invoke(app, ["alerts", "send", "--json", "--db", str(db)])
    assert again.exit_code == 0 and '"mail": "nothing"' in again.output
    assert len(smtp.inbox.messages) == 1  # each alert once


def test_alerts_send_keeps_the_alerts_when_the_server_is_down(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    db = tmp_path / "demo.db"
    assert runner.invoke(app, ["demo", "--no-tui", "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["automation", "pause", "--db", str(db)]).exit_code == 0
    monkeypatch.setenv("MODQ_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MODQ_SMTP_PORT", str(_free_port()))
    monkeypatch.setenv("MODQ_ALERT_FROM", "modq@department.example")
    monkeypatch.setenv("MODQ_ALERT_TO", "legal@department.example")
    down = runner.invoke(app, ["alerts", "send", "--db", str(db)])
    assert down.exit_code == 1
    assert "not sent" in down.output and "1 alert(s) wait for the next run" in " ".join(down.output.split())
    monkeypatch.setenv("MODQ_SMTP_PORT", "submission")
    bad = runner.invoke(app, ["alerts", "send", "--db", str(db)])
    assert bad.exit_code == 2 and "MODQ_SMTP_PORT" in bad.output
