"""``modq check``, ``modq eval`` and ``modq policy check``: the policy's own tools, for comms and legal staff.

They need no database: they load the policy files and run the pipeline. Exit codes: 0 ok, 1 a check failed,
2 a bad policy, input file or option.
"""

from __future__ import annotations

import json
import tomllib
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from moderation.cli.check_jsonl import check_jsonl, verdict_json
from moderation.cli.common import DATA_FORMATS, PLATFORMS, one_of
from moderation.domain import ConfigError, SuppressionOrder, Verdict
from moderation.rules.labelled_sets import SETS, SPLIT_NAMES

policy_app = typer.Typer(help="The executable moderation policy in policies/.", no_args_is_help=True)

POLICY_OPTION = typer.Option(
    None, "--policy", help="Policy directory (default: MODQ_POLICY_DIR, else the policy shipped with modq)."
)
ORDERS_OPTION = typer.Option(
    None, "--orders", help="TOML file of suppression orders ([[order]] id, case, court, terms, starts, until)."
)
AT_OPTION = typer.Option(
    None, "--at", help="Moment to test orders at (ISO 8601; default: the file's check_at, or now)."
)


def _safe(text: str) -> str:
    """Show control, format and bidi characters as escapes so a comment cannot drive the terminal."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append("\u21b5")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") or ch in "\u2028\u2029":
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def _load(policy_dir: Path | None) -> Any:
    from moderation.rules import load_policy

    try:
        return load_policy(policy_dir)
    except ConfigError as exc:
        typer.echo(f"policy error: {exc}", err=True)
        raise typer.Exit(2) from exc


def read_orders(path: Path) -> tuple[list[SuppressionOrder], datetime | None]:
    """Suppression orders from a TOML file, and its optional ``check_at`` moment."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        orders = [
            SuppressionOrder(
                id=int(o["id"]),
                case=str(o["case"]),
                court=str(o["court"]),
                terms=tuple(o["terms"]),
                starts=o["starts"],
                until=o.get("until"),
                revoked=bool(o.get("revoked", False)),
            )
            for o in data.get("order", [])
        ]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read suppression orders: {exc}") from exc
    at = None
    for o in data.get("order", []):
        at = o.get("check_at", at)
    return orders, at


def _orders(path: Path | None, at: str | None) -> tuple[list[SuppressionOrder], datetime | None]:
    if path is None:
        return [], None
    try:
        orders, file_at = read_orders(path)
    except ConfigError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    if at:
        try:
            when = datetime.fromisoformat(at)
        except ValueError as exc:
            typer.echo(f"--at: not an ISO 8601 date-time: {at!r}", err=True)
            raise typer.Exit(2) from exc
    elif file_at is not None:
        when = file_at
    else:
        # The command line is the shell around the pipeline: it may read the clock, the rules never do.
        naive = bool(orders) and orders[0].starts.tzinfo is None
        when = datetime.now() if naive else datetime.now(UTC)
    return orders, when


def _highlight(text: str, spans: list[tuple[int, int]]) -> Text:
    out = Text()
    marks = sorted({p for s, e in spans if e > s for p in (s, e)} | {0, len(text)})
    for a, b in zip(marks, marks[1:], strict=False):
        hot = any(s <= a and b <= e for s, e in spans)
        out.append(_safe(text[a:b]), style="bold reverse red" if hot else "")
    return out


def _explain(policy: Any, text: str, v: Verdict, console: Console) -> None:
    head = f"{v.action.value}"
    if v.route:
        head += f" -> {v.route.value}"
    if v.hide_now:
        head += " (hide now)"
    console.print(Text(f"verdict: {head}   priority {v.priority}   policy {v.policy_version}", style="bold"))
    console.print(_highlight(text, [(f.start, f.end) for f in v.findings]))
    if not v.findings:
        console.print("no rule fired (the policy's default for such comments applies)")
    for f in v.findings:
        clause = policy.clauses.get(f.clause)
        title = clause.title if clause else "?"
        console.print(
            Text(
                f"  {f.rule_id}  clause {f.clause} ({title})  {f.severity.value}  {f.action.value}"
                f"  [{f.start}:{f.end}] {_safe(f.match)!r}  confidence {f.confidence:.2f}"
            )
        )
        if f.explanation:
            console.print(Text(f"      {_safe(f.explanation)}", style="dim"))
    for f in v.shadow_findings:
        console.print(Text(f"  (shadow) {f.rule_id}  clause {f.clause}  [{f.start}:{f.end}] {_safe(f.match)!r}"))


def check(
    text: str | None = typer.Argument(
        None, help="The comment text to check; with --jsonl, a JSON Lines file ('-' or nothing: standard input)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the verdict as JSON."),
    jsonl: bool = typer.Option(
        False,
        "--jsonl",
        help="Read {id, text, author} objects, one per line, from FILE or standard input; write one result per line.",
    ),
    batch: int | None = typer.Option(
        None,
        "--batch",
        min=1,
        max=100_000,
        help="With --jsonl: the most lines evaluated together (default 500); lines that arrive together are "
        "evaluated together, so a line written alone is answered at once.",
    ),
    author: str = typer.Option("", "--author", help="Author display name (for impersonation rules)."),
    handle: str = typer.Option("", "--handle", help="Author handle."),
    platform: str = typer.Option(
        "facebook", "--platform", callback=one_of(PLATFORMS, "platform", "--platform"), help="facebook, instagram or x."
    ),
    policy_dir: Path | None = POLICY_OPTION,
    orders_file: Path | None = ORDERS_OPTION,
    at: str | None = AT_OPTION,
) -> None:
    """Explain which rules fire on TEXT, with the matched spans highlighted."""
    from moderation.domain import CommentInput

    if batch is not None and not jsonl:
        typer.echo("--batch goes with --jsonl (it sets how many lines are evaluated together)", err=True)
        raise typer.Exit(2)
    if not jsonl and text is None:
        typer.echo("give a TEXT to check, or --jsonl to read comments from a file or standard input", err=True)
        raise typer.Exit(2)
    policy = _load(policy_dir)
    orders, when = _orders(orders_file, at)
    if jsonl:
        check_jsonl(policy, text, orders, when, batch)
        return
    assert text is not None
    item = CommentInput(text=text, platform=platform, author_name=author, author_handle=handle)
    v = policy.evaluate(item, orders, when)
    if as_json:
        typer.echo(json.dumps(verdict_json(v), ensure_ascii=False))
        return
    _explain(policy, text, v, Console(highlight=False))


def evaluate(
    file: Path | None = typer.Argument(None, help="Labelled CSV (Davidson), TSV (OLID) or JSONL file."),
    set_name: str | None = typer.Option(
        None,
        "--set",
        callback=one_of(SETS, "labelled set", "--set"),
        help="A shared labelled set instead of a file: davidson, olid, hatexplain, ghc, implicit_hate.",
    ),
    split: str = typer.Option(
        "dev",
        "--split",
        callback=one_of(SPLIT_NAMES, "split", "--split"),
        help="With --set: train, dev or test (the checked-in splits).",
    ),
    data: Path | None = typer.Option(
        None, "--data", help="With --set: where the shared sets live (default: MODQ_SHARED_DATA or ../shared/data)."
    ),
    peers: bool = typer.Option(
        True, "--peers/--no-peers", help="Also score better-profanity (and alt-profanity-check if installed)."
    ),
    fmt: str = typer.Option(
        "auto", "--format", callback=one_of(DATA_FORMATS, "format", "--format"), help="auto, davidson, olid or jsonl."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    worst: int = typer.Option(10, "--worst", help="How many false positives and negatives to list."),
    limit: int = typer.Option(0, "--limit", help="Only the first N comments (0: all)."),
    policy_dir: Path | None = POLICY_OPTION,
    orders_file: Path | None = ORDERS_OPTION,
    at: str | None = AT_OPTION,
) -> None:
    """Precision, recall and F1 of the policy over a labelled file or a shared set's split, per clause and per
    class, with the worst errors, beside better-profanity and alt-profanity-check on the same rows."""
    import itertools

    from moderation.rules.evaluation import Labelled, evaluate_items, peer_scores, read_labelled, render
    from moderation.rules.labelled_sets import as_comment, read_set

    if (file is None) == (set_name is None):
        typer.echo("give a FILE or --set NAME (not both)", err=True)
        raise typer.Exit(2)
    if file is not None and not file.is_file():
        typer.echo(f"{file}: no such file", err=True)
        raise typer.Exit(2)
    policy = _load(policy_dir)
    orders, when = _orders(orders_file, at)
    source = str(file) if file is not None else f"{set_name} ({split})"
    try:
        if file is not None:
            items: Any = read_labelled(file, fmt)
        else:
            assert set_name is not None
            rows = read_set(set_name, split, data)
            items = (Labelled(r.id, as_comment(r), r.positive, r.category) for r in rows)
        if limit:
            items = itertools.islice(items, limit)
        labelled = list(items)
        rep = evaluate_items(policy, labelled, source, orders, when)
    except (ValueError, KeyError) as exc:
        typer.echo(f"{source}: {exc}", err=True)
        raise typer.Exit(2) from exc
    if peers:
        rep.peers = peer_scores(labelled)
    if as_json:
        typer.echo(json.dumps(rep.as_dict(worst), ensure_ascii=False, indent=1))
    else:
        typer.echo(_safe_lines(render(rep, worst)))


def _safe_lines(text: str) -> str:
    return "\n".join(_safe(line) for line in text.split("\n"))


@policy_app.command("check")
def policy_check(
    policy_dir: Path | None = POLICY_OPTION,
    document: Path | None = typer.Option(None, "--document", help="The published policy (default: from policy.toml)."),
) -> None:
    """Every rule cites a clause, every clause is enforced or human-review-only, every example passes,
    no rule fires on the department's or the Minister's names alone, the published policy matches, and every reply
    template in replies/ cites a clause of the policy, uses only known placeholders, is not empty and fits an X post."""
    from moderation.reply_templates import read_templates
    from moderation.rules.checks import check_policy

    policy = _load(policy_dir)
    templates, template_problems = read_templates(policy)
    problems: list[Any] = [*check_policy(policy, document), *template_problems]
    for p in problems:
        typer.echo(_safe(str(p)))
    examples = sum(len(r.examples) for r in policy.rules)
    summary = (
        f"policy {policy.version}: {len(policy.rules)} rules, {len(policy.clauses)} clauses, "
        f"{examples} examples, {len(templates)} reply templates: "
        f"{'OK' if not problems else f'{len(problems)} problem(s)'}"
    )
    typer.echo(summary)
    if problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``check``, ``eval`` and ``policy check`` to the given Typer app: the rules commands alone, for tests and
    ``python -m moderation.cli.rules`` (``modq`` attaches them in ``moderation.cli.assembly``)."""
    app.command("check")(check)
    app.command("eval")(evaluate)
    app.add_typer(policy_app, name="policy")


if __name__ == "__main__":  # pragma: no cover
    _app = typer.Typer(no_args_is_help=True)
    register(_app)
    _app()
