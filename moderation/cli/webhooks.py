"""``modq webhooks serve`` (Meta's comment webhooks) and ``modq accounts subscribe`` (subscribe a Page to them)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import typer
from rich.markup import escape

from moderation.cli.common import LOG_LEVELS, AsOpt, DbOpt, actor, err, handled, one_of, out, service

webhooks_app = typer.Typer(help="Real-time comment changes pushed by Meta (Facebook Pages, Instagram).")

SECRET_ENV = "MODQ_META_APP_SECRET"
TOKEN_ENV = "MODQ_META_VERIFY_TOKEN"


@webhooks_app.command("serve")
@handled
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (put a TLS reverse proxy in front)."),
    port: int = typer.Option(8787, min=1, max=65535, help="Port to listen on."),
    db: Path | None = DbOpt,
    log_level: str = typer.Option(
        "info", callback=one_of(LOG_LEVELS, "log level", "--log-level"), help="debug, info, warning or error."
    ),
) -> None:
    """Receive Meta's webhooks at /webhooks/meta: answer the verification handshake with MODQ_META_VERIFY_TOKEN,
    accept only deliveries signed with MODQ_META_APP_SECRET (X-Hub-Signature-256), store each before answering
    200, then ingest, triage and hide through the same path as polling. Stops cleanly on SIGTERM."""
    import uvicorn

    from moderation.webhooks.app import serving_app
    from moderation.worker import log as worker_log

    secret, token = os.environ.get(SECRET_ENV, ""), os.environ.get(TOKEN_ENV, "")
    missing = [name for name, value in ((SECRET_ENV, secret), (TOKEN_ENV, token)) if not value]
    if missing:
        err.print(f"[red]error:[/red] set {' and '.join(missing)} (the app secret and the verify token from Meta)")
        raise typer.Exit(2)
    if log_level not in ("debug", "info", "warning", "error"):
        err.print("[red]error:[/red] --log-level must be one of debug, info, warning, error")
        raise typer.Exit(2)
    worker_log.configure(log_level)
    worker_log.add_secrets([secret, token])
    svc = service(db)
    app = serving_app(svc, app_secret=secret, verify_token=token)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="on")
    # uvicorn shuts down gracefully on SIGTERM / Ctrl-C, then raises the signal again for the handler it found:
    # with these, that second delivery is a no-op and a clean stop exits 0.
    signal.signal(signal.SIGTERM, lambda *_: None)
    signal.signal(signal.SIGINT, lambda *_: None)
    try:
        uvicorn.Server(config).run()
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot listen on {host}:{port}: {escape(str(exc))}")
        raise typer.Exit(2) from None


@handled
def subscribe(
    ref: str = typer.Argument(..., help="Account id, external id or name."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Subscribe a Facebook Page (or an Instagram account's linked Page) to the app's webhooks; name what is
    missing when the platform refuses."""
    report = service(db).subscribe_account(ref, actor(as_))
    if report is None:
        err.print("[red]error:[/red] this platform sends no webhooks to modq (X is polled)")
        raise typer.Exit(2)
    out.print(("subscribed: " if report.ok else "not subscribed: ") + escape(report.detail))
    for missing in report.missing:
        out.print(f"  missing: {escape(missing)}")
    if not report.ok:
        raise typer.Exit(1)
