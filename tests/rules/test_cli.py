"""The rules commands through Typer's test runner: check, --json, --jsonl, eval, policy check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from moderation.cli.rules import register

from .support import POLICIES

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test root."""

    register(app)
    return app


APP = _app()


def test_check_explains(tmp_path: Path) -> None:
    res = runner.invoke(APP, ["check", "Go fuck yourself, ring 0491 570 156"])
    assert res.exit_code == 0, res.output
    assert "auto_hide" in res.output and "offensive.directed" in res.output and "privacy.phone" in res.output
    assert "clause 1 (Offensive and obscene language)" in res.output


def test_check_json_shape() -> None:
    res = runner.invoke(APP, ["check", "--json", "what a cunt"])
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert data["action"] == "queue"  # severe obscenity not aimed at anyone: a person decides
    f = data["findings"][0]
    assert {"rule", "clause", "severity", "start", "end", "match"} <= set(f)
    assert (f["rule"], f["clause"], f["start"], f["end"], f["match"]) == ("offensive.severe", "1", 7, 11, "cunt")
    directed = json.loads(runner.invoke(APP, ["check", "--json", "shut up you cunt"]).output)
    assert directed["action"] == "auto_hide"
    assert [(f["rule"], f["match"]) for f in directed["findings"]][0] == ("offensive.directed_insult", "you cunt")


def test_check_jsonl_streams_results_with_ids() -> None:
    lines = [
        {"id": "a", "text": "Thanks for the update"},
        {"id": "b", "text": "Claim here", "author": {"id": "5", "name": "DCW Victoria Official"}},
        {"id": "c", "text": "kys"},
    ]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\n"
    res = runner.invoke(APP, ["check", "--jsonl"], input=stdin)
    assert res.exit_code == 0, res.output
    out = [json.loads(x) for x in res.output.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert out[0]["action"] == "queue" and out[0]["findings"] == []
    assert out[1]["action"] == "escalate" and out[1]["route"] == "media"
    assert out[2]["action"] == "auto_hide"
    # Read without knowing the actions: no finding is not flagged though it waits in the queue; a hide is both.
    assert [(o["flagged"], o["hidden"]) for o in out] == [(False, False), (True, False), (True, True)]


def test_check_jsonl_bad_line_reports_and_continues() -> None:
    res = runner.invoke(APP, ["check", "--jsonl"], input='{"id": 1, "text": "hi"}\nnot json\n{"id": 2, "text": "x"}\n')
    assert res.exit_code == 1
    out = [json.loads(x) for x in res.output.splitlines()]
    assert out[0]["id"] == 1 and "error" in out[1] and out[2]["id"] == 2


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('{"id": 3, "text": "ok", "author": "bob"}', '"author" is a str, not an object'),
        ('{"id": 3, "text": 5}', '"text" is a number, not a string'),
        ('{"id": 3}', '"text" is missing'),
        ("[1, 2]", "not a JSON object"),
        ("{oops", "not JSON"),
        ('{"id": 3, "text": "ok", "repeat_count": "lots"}', "whole numbers"),
    ],
)
def test_check_jsonl_says_what_is_wrong_with_a_line_and_keeps_going(line: str, said: str) -> None:
    res = runner.invoke(
        APP, ["check", "--jsonl"], input=f'{{"id": 1, "text": "hi"}}\n{line}\n{{"id": 2, "text": "x"}}\n'
    )
    assert res.exit_code == 1, res.output
    out = [json.loads(x) for x in res.output.splitlines()]
    assert [o.get("id") for o in out][::2] == [1, 2] and "action" in out[0] and "action" in out[2]
    assert out[1]["line"] == 2 and said in out[1]["error"], out[1]
    if "numbers" not in said:  # what a line holds, said beside what was wrong
        assert '"text" string' in out[1]["error"]


def test_check_jsonl_reads_a_file_in_batches_with_the_same_results(tmp_path: Path) -> None:
    texts = ["Thanks for the update", "kys", "you are a fuckwit", "I will kill every one of you", "not json", "hello"]
    lines = [json.dumps({"id": i, "text": t}) if t != "not json" else t for i, t in enumerate(texts)]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    piped = runner.invoke(APP, ["check", "--jsonl", "--batch", "1"], input=src.read_text())
    from_file = runner.invoke(APP, ["check", "--jsonl", str(src), "--batch", "4"])
    assert piped.exit_code == from_file.exit_code == 1  # one bad line
    assert piped.output == from_file.output
    out = [json.loads(x) for x in from_file.output.splitlines()]
    assert [o.get("id") for o in out] == [0, 1, 2, 3, None, 5]
    assert out[4] == {"id": None, "line": 5, "error": out[4]["error"]} and "not JSON" in out[4]["error"]
    assert out[1]["action"] == out[3]["action"] == "auto_hide"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["check", "--jsonl", "no-such-file.jsonl"], "no such file: 'no-such-file.jsonl'"),
        (["check", "--batch", "5", "hello"], "--batch goes with --jsonl"),
        (["check"], "give a TEXT to check"),
    ],
)
def test_check_refuses_what_it_cannot_read(args: list[str], said: str) -> None:
    res = runner.invoke(APP, args, input="")
    assert res.exit_code == 2, res.output
    assert said in res.output


def test_check_jsonl_answers_each_line_as_it_arrives(tmp_path: Path) -> None:
    """A program that writes one line and waits for its answer (a co-process) is answered at once, not after a
    batch fills; a file piped in gives what the file read by name gives."""
    import os
    import select
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "moderation", "check", "--jsonl"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for i, text in enumerate(["kys", "Thanks for the update"]):
            proc.stdin.write((json.dumps({"id": i, "text": text}) + "\n").encode())
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 60)
            assert ready, "no answer to a single line within 60 s"
            answer = json.loads(proc.stdout.readline())
            assert answer["id"] == i
            assert answer["action"] == ("auto_hide" if i == 0 else "queue")
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": f"line {i} you idiot"}) + "\n" for i in range(1200)))
    piped = subprocess.run(
        [sys.executable, "-m", "moderation", "check", "--jsonl"],
        stdin=src.open("rb"),
        capture_output=True,
        env=env,
        timeout=300,
    )
    named = subprocess.run(
        [sys.executable, "-m", "moderation", "check", "--jsonl", str(src)], capture_output=True, env=env, timeout=300
    )
    assert piped.returncode == named.returncode == 0
    assert piped.stdout == named.stdout and len(piped.stdout.splitlines()) == 1200


def test_check_jsonl_reports_a_line_that_is_not_utf8_and_reads_the_rest(tmp_path: Path) -> None:
    src = tmp_path / "latin1.jsonl"
    src.write_bytes(b'{"id": 1, "text": "kys"}\n{"id": 2, "text": "caf\xe9"}\n{"id": 3, "text": "hello"}')
    res = runner.invoke(APP, ["check", "--jsonl", str(src)])
    assert res.exit_code == 1, res.output
    out = [json.loads(x) for x in res.output.splitlines()]
    assert [o.get("id") for o in out] == [1, None, 3]
    assert out[1]["line"] == 2 and "not UTF-8" in out[1]["error"]
    assert out[0]["action"] == "auto_hide" and out[2]["action"] == "queue"


def test_check_escapes_terminal_controls() -> None:
    res = runner.invoke(APP, ["check", "hello \x1b]8;;http://x.example\x1b\\ link \u202e"])
    assert res.exit_code == 0
    assert "\x1b" not in res.output and "\u202e" not in res.output
    assert "\\x1b" in res.output


def test_check_with_orders_file() -> None:
    res = runner.invoke(
        APP, ["check", "--json", "--orders", str(POLICIES / "example_orders.toml"), "it was J0rdan M1lls"]
    )
    data = json.loads(res.output)
    assert data["action"] == "escalate" and data["hide_now"] and data["findings"][0]["match"] == "J0rdan M1lls"
    res = runner.invoke(
        APP,
        ["check", "--json", "--orders", str(POLICIES / "example_orders.toml"), "--at", "2030-01-01", "Jordan Mills"],
    )
    assert json.loads(res.output)["findings"] == []


def test_policy_check_passes_on_the_shipped_policy() -> None:
    res = runner.invoke(APP, ["policy", "check"])
    assert res.exit_code == 0, res.output
    assert "OK" in res.output


def test_policy_check_fails_with_exit_1(policy_copy: Path) -> None:
    rules = policy_copy / "rules" / "offensive.toml"
    rules.write_text(rules.read_text().replace('"You absolute cunt",', '"You absolute legend",', 1))
    res = runner.invoke(APP, ["policy", "check", "--policy", str(policy_copy)])
    assert res.exit_code == 1
    assert "should match" in res.output and "You absolute legend" in res.output


def test_policy_errors_exit_2(policy_copy: Path) -> None:
    (policy_copy / "rules" / "bad.toml").write_text('[[rule]]\nid = "x.y"\nclause = "1"\nwords = ["a b"]\n')
    for args in (["policy", "check"], ["check", "hello"]):
        res = runner.invoke(APP, [*args, "--policy", str(policy_copy)])
        assert res.exit_code == 2
        assert "bad.toml" in res.output


def test_eval_on_a_jsonl_file(tmp_path: Path) -> None:
    data = tmp_path / "mini.jsonl"
    rows = [
        {"id": 1, "text": "shut up you cunt", "label": "OFF"},
        {"id": 2, "text": "lovely day at the clinic", "label": "NOT"},
        {"id": 3, "text": "you are all terrible people", "label": "OFF"},
        {"id": 4, "text": "this is crap", "label": "NOT"},
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    res = runner.invoke(APP, ["eval", str(data), "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    assert rep["count"] == 4 and rep["positives"] == 2
    assert rep["flagged"]["tp"] == 1 and rep["flagged"]["fp"] == 1 and rep["flagged"]["fn"] == 1
    assert rep["auto_hidden"]["precision"] == 1.0
    assert rep["worst_false_negatives"][0]["id"] == "3"
    res = runner.invoke(APP, ["eval", str(data)])
    assert "flagged" in res.output and "precision 0.500" in res.output


def test_eval_missing_file_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(APP, ["eval", str(tmp_path / "nope.csv")]).exit_code == 2
