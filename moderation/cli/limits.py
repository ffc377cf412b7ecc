"""``modq limits show|set`` (circuit breaker and calibration limits) and ``modq overrides list|clear`` (rules
automation demoted)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from moderation.cli.common import AsOpt, DbOpt, JsonOpt, actor, emit_json, handled, out, service

limits_app = typer.Typer(
    help="Limits of the circuit breaker, overturn calibration and reconciliation.", no_args_is_help=True
)
overrides_app = typer.Typer(
    help="Rules automation demoted (circuit breaker, overturn calibration).", no_args_is_help=True
)


@limits_app.command("show")
@handled
def limits_show(db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """The current limits."""
    limits = service(db).limits()
    if as_json:
        emit_json(limits)
        return
    for k, v in limits.items():
        out.print(f"{k:28} {v:g}")


@limits_app.command("set")
@handled
def limits_set(key: str, value: float, as_: str | None = AsOpt, db: Path | None = DbOpt) -> None:
    """Change a limit (admins only), e.g. 'modq limits set breaker.share 0.4'."""
    service(db).set_limit(key, value, actor(as_))
    out.print(f"{key} = {value:g}")


@overrides_app.command("list")
@handled
def overrides_list(db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """Rules running in shadow or queue-only because automation demoted them, and why."""
    rows = service(db).overrides()
    if as_json:
        emit_json([r.to_dict() for r in rows])
        return
    if not rows:
        out.print("no rule is demoted")
    for r in rows:
        out.print(f"{escape(r.rule_id)}: {r.mode} since {r.created_at:%Y-%m-%d %H:%M} UTC — {escape(r.reason)}")


@overrides_app.command("clear")
@handled
def overrides_clear(
    rule: str,
    reason: str = typer.Option("", help="Why (kept in the ledger)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Give a demoted rule back its own mode (admins only)."""
    service(db).clear_override(rule, actor(as_), reason)
    out.print(f"rule {rule} restored")
