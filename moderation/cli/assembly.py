"""The ``modq`` command line assembled: every command and group, in the order ``modq --help`` lists them.

Each module of this package holds one area's commands (and its groups); what they share is in
``moderation.cli.common``. To add a command, write it in the module of its area (or a new one) and attach it
here. ``modq tui`` comes from ``tui.cli``, which opens the TUI only when that command runs.
"""

from __future__ import annotations

import typer

from moderation.cli import (
    accounts,
    alerts,
    comments,
    complaints,
    demo,
    ledger,
    limits,
    notes,
    people,
    records,
    replies,
    report,
    rules,
    setup,
    suppression_orders,
    webhooks,
    worker,
)
from tui import cli as tui_cli

app = typer.Typer(
    help="modq: the moderation queue for the department's official social accounts.",
    no_args_is_help=True,
    add_completion=False,
)

# Commands (typer lists the commands first, then the groups, each in the order they are attached).
app.command("init")(setup.init)
app.command("ingest")(comments.ingest)
app.command("triage")(comments.triage)
app.command("queue")(comments.queue)
app.command("show")(comments.show)
app.command("decide")(comments.decide)
app.command("undo")(comments.undo)
app.command("poll")(accounts.poll)
app.command("apply")(accounts.apply)
app.command("demo")(demo.demo)
app.command("check")(rules.check)
app.command("eval")(rules.evaluate)
app.command("run")(worker.run)
app.command("status")(worker.status)
app.command("report")(report.report)
app.command("reply")(replies.reply)
tui_cli.register(app)  # tui

# Groups.
app.add_typer(setup.db_app, name="db")
app.add_typer(ledger.ledger_app, name="ledger")
app.add_typer(people.moderators_app, name="moderators")
app.add_typer(accounts.accounts_app, name="accounts")
accounts.accounts_app.command("subscribe")(webhooks.subscribe)
app.add_typer(accounts.automation_app, name="automation")
app.add_typer(rules.policy_app, name="policy")
app.add_typer(suppression_orders.orders_app, name="orders")
app.add_typer(limits.limits_app, name="limits")
app.add_typer(limits.overrides_app, name="overrides")
app.add_typer(worker.workers_app, name="workers")
app.add_typer(webhooks.webhooks_app, name="webhooks")
app.add_typer(complaints.complaints_app, name="complaints")
app.add_typer(notes.notes_app, name="notes")
app.add_typer(records.records_app, name="records")
app.add_typer(alerts.alerts_app, name="alerts")
app.add_typer(replies.spokespeople_app, name="spokespeople")
app.add_typer(replies.replies_app, name="replies")


def main() -> None:
    app()
