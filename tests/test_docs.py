"""The public surface is documented: every CLI command has help and appears in the README."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.main import get_command
from typer.testing import CliRunner

from moderation.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def command_paths() -> list[tuple[str, ...]]:
    root = get_command(app)
    paths: list[tuple[str, ...]] = []

    def walk(cmd, prefix: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, (*prefix, name))
        else:
            paths.append(prefix)

    walk(root, ())
    return paths


def test_there_are_commands() -> None:
    names = {" ".join(p) for p in command_paths()}
    assert {"init", "ingest", "queue", "show", "decide", "undo", "ledger verify", "ledger export", "demo"} <= names


def test_every_command_has_help_and_is_in_the_readme() -> None:
    runner = CliRunner()
    missing = []
    for path in command_paths():
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage" in result.output
        if f"modq {' '.join(path)}" not in README and not _grouped_in_readme(path):
            missing.append(" ".join(path))
    assert not missing, f"commands missing from README.md: {missing}"


def _grouped_in_readme(path: tuple[str, ...]) -> bool:
    # Rows such as "modq orders add|list|revoke|import" document several sub-commands at once.
    if len(path) < 2:
        return False
    head = f"modq {' '.join(path[:-1])} "
    return any(
        head in line and path[-1] in line.split(head, 1)[1].split("`")[0].replace("\\", "").split("|")
        for line in README.splitlines()
    )


def test_typer_app_is_a_typer() -> None:
    assert isinstance(app, typer.Typer)
