"""Loading is strict: every problem names the file, the rule and the line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from moderation.domain import ConfigError
from moderation.rules import load_policy

GOOD = """
[[rule]]
id = "test.one"
clause = "1"
words = ["badword"]
action = "queue"
severity = "low"

[rule.examples]
match = ["a badword here"]
no_match = ["fine"]
"""


def _write(policy_copy: Path, body: str) -> Path:
    path = policy_copy / "rules" / "zz_test.toml"
    path.write_text(body, encoding="utf-8")
    return path


def _error(policy_copy: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_policy(policy_copy)
    return str(info.value)


def test_good_extra_rule_loads(policy_copy: Path) -> None:
    _write(policy_copy, GOOD)
    policy = load_policy(policy_copy)
    assert policy.by_id["test.one"].clause == "1"
    assert any(f.rule_id == "test.one" for f in policy.check("a badword here").findings)


@pytest.mark.parametrize(
    ("change", "message", "line_of"),
    [
        (('action = "queue"', 'actoin = "queue"'), "unknown key", "actoin"),
        (('clause = "1"', 'clause = "99"'), "clause '99' is not in clauses.toml", "clause"),
        (('clause = "1"\n', ""), "missing clause", "[[rule]]"),
        (('action = "queue"', 'action = "delete"'), "action 'delete' is not one of", "action"),
        (('severity = "low"', 'severity = "huge"'), "severity 'huge' is not one of", "severity"),
        (('action = "queue"', 'action = "escalate"'), "escalate needs a route", "action"),
        (('words = ["badword"]', "regex = '(?<=x)y'"), "lookbehind", "regex"),
        (('words = ["badword"]', "regex = 'x(?!y)'"), "lookahead", "regex"),
        (('words = ["badword"]', "regex = '(x)\\1'"), "backreferences", "regex"),
        (('words = ["badword"]', "regex = '(unclosed'"), "does not compile", "regex"),
        (('words = ["badword"]', 'detector = "telepathy"'), "unknown detector", "detector"),
        (('words = ["badword"]', 'words_file = "lexicons/missing.txt"'), "not found", "words_file"),
        (('match = ["a badword here"]', "match = []"), "at least one example", "[rule.examples]"),
        (('id = "test.one"', 'id = "Bad Id!"'), "id must be", "id"),
        (('severity = "low"', 'severity = "low"\nwhen = { weekday = "monday" }'), "unknown key", "when"),
    ],
)
def test_errors_name_file_rule_and_line(policy_copy: Path, change: tuple[str, str], message: str, line_of: str) -> None:
    body = GOOD.replace(*change)
    path = _write(policy_copy, body)
    err = _error(policy_copy)
    assert str(path) in err
    assert message in err
    m = re.search(r"zz_test\.toml:(\d+):", err)
    assert m, err
    line = int(m.group(1))
    lines = body.splitlines()
    assert line_of in lines[line - 1] or lines[line - 1].strip() == "[[rule]]", (err, lines[line - 1])
    if "Bad Id" not in body:
        assert "'test.one'" in err


def test_duplicate_rule_id(policy_copy: Path) -> None:
    _write(policy_copy, GOOD.replace("test.one", "offensive.severe"))
    assert "already used" in _error(policy_copy)


def test_bad_toml_names_the_file(policy_copy: Path) -> None:
    path = _write(policy_copy, "[[rule]\nid = ")
    err = _error(policy_copy)
    assert str(path) in err and "not valid TOML" in err


def test_word_file_errors_name_the_line(policy_copy: Path) -> None:
    (policy_copy / "lexicons" / "bad.txt").write_text("# comment\nok word\nmi*ddle\n", encoding="utf-8")
    _write(policy_copy, GOOD.replace('words = ["badword"]', 'words_file = "lexicons/bad.txt"'))
    err = _error(policy_copy)
    assert "bad.txt:3" in err and "test.one" in err


def test_unknown_clause_key_and_missing_metadata(policy_copy: Path) -> None:
    clauses = policy_copy / "clauses.toml"
    clauses.write_text(clauses.read_text() + '\n[[clause]]\nid = "99"\ntitle = "X"\nexplained = true\n')
    err = _error(policy_copy)
    assert "clauses.toml" in err and "explained" in err
    clauses.write_text('[[clause]]\nid = "1"\ntitle = "Only"\n')
    (policy_copy / "policy.toml").write_text('[policy]\ndate = "2026-01-01"\n')
    assert "version" in _error(policy_copy)


def test_brace_expansion(policy_copy: Path) -> None:
    _write(policy_copy, GOOD.replace('words = ["badword"]', 'words = ["{big|small|} {red|blue} badword"]'))
    rule = load_policy(policy_copy).by_id["test.one"]
    assert set(rule.terms) == {
        "big red badword",
        "big blue badword",
        "small red badword",
        "small blue badword",
        "red badword",
        "blue badword",
    }


def test_hash_changes_with_content_not_with_examples(policy_copy: Path) -> None:
    _write(policy_copy, GOOD)
    first = load_policy(policy_copy).by_id["test.one"].hash
    _write(policy_copy, GOOD.replace('no_match = ["fine"]', 'no_match = ["fine", "also fine"]'))
    assert load_policy(policy_copy).by_id["test.one"].hash == first
    _write(policy_copy, GOOD.replace('severity = "low"', 'severity = "medium"'))
    assert load_policy(policy_copy).by_id["test.one"].hash != first
    assert re.fullmatch(r"[0-9a-f]{64}", first)


def test_word_list_edit_changes_the_hash(policy_copy: Path) -> None:
    before = load_policy(policy_copy).by_id["offensive.severe"].hash
    lex = policy_copy / "lexicons" / "obscene_severe.txt"
    lex.write_text(lex.read_text() + "newobscenity\n")
    assert load_policy(policy_copy).by_id["offensive.severe"].hash != before


def test_env_variable_selects_the_directory(policy_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(policy_copy, GOOD)
    monkeypatch.setenv("MODQ_POLICY_DIR", str(policy_copy))
    assert "test.one" in load_policy().by_id


def test_missing_directory() -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_policy(Path("/nonexistent/policies"))


def test_word_lists_can_include_other_lists(policy_copy: Path) -> None:
    lexicons = policy_copy / "lexicons"
    (lexicons / "base.txt").write_text("# base\nbadword*\nworse one\n", encoding="utf-8")
    (lexicons / "aimed.txt").write_text("{you|u} {@base.txt}\n{@base.txt} like you\n", encoding="utf-8")
    _write(policy_copy, GOOD.replace('words = ["badword"]', 'words_file = "lexicons/aimed.txt"'))
    terms = set(load_policy(policy_copy).by_id["test.one"].terms)
    # The "any ending" star stays only where the included list ends the entry.
    assert terms == {
        "you badword*",
        "u badword*",
        "you worse one",
        "u worse one",
        "badword like you",
        "worse one like you",
    }
    # Editing the included list changes what (and so the hash of what) the including rule matches.
    before = load_policy(policy_copy).by_id["test.one"].hash
    (lexicons / "base.txt").write_text("badword*\n", encoding="utf-8")
    assert load_policy(policy_copy).by_id["test.one"].hash != before


@pytest.mark.parametrize(
    ("base", "message"),
    [(None, "'missing.txt' not found"), ("{a|b} word\n", "cannot use {...} itself"), ("# nothing\n", "is empty")],
)
def test_bad_includes_name_the_file_and_line(policy_copy: Path, base: str | None, message: str) -> None:
    lexicons = policy_copy / "lexicons"
    if base is not None:
        (lexicons / "missing.txt").write_text(base, encoding="utf-8")
    (lexicons / "aimed.txt").write_text("# aimed\nyou {@missing.txt}\n", encoding="utf-8")
    _write(policy_copy, GOOD.replace('words = ["badword"]', 'words_file = "lexicons/aimed.txt"'))
    err = _error(policy_copy)
    assert message in err and "test.one" in err
    assert "aimed.txt:2" in err or "missing.txt:1" in err
