"""Reply templates: what a spokesperson may say to an author under a hidden or queued comment.

Why templates: anything published on an official account is said by the department, so replies are written in
advance by comms staff (text files in ``policies/replies/``), checked by ``modq policy check``, and sent only by a
person an admin has authorised. A template is never filled with the comment's own words: the placeholders below
are the only values a reply can carry, so a reply cannot repeat a protected name or detail from the comment.

A template file ``policies/replies/NAME.txt``::

    clause: 5
    for: hidden
    ---
    Hi {author_name}, we have hidden your comment because it includes personal information ...

The header holds ``clause`` (the policy clause the reply cites, required), ``for`` (the comment states it fits:
``hidden``, ``queued`` or both, comma-separated, required) and an optional ``title``. The body follows the
``---`` line. ``{{`` and ``}}`` stand for literal braces. Pure: no files, no clock (the service reads the files).
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass

# The values a reply may carry, and what each is.
PLACEHOLDERS: dict[str, str] = {
    "author_name": "the name the author shows on the platform",
    "clause": "the clause's number in the published policy",
    "clause_title": "the clause's title in the published policy",
    "policy_version": "the published policy's version",
}
# A reply under a comment about a suppression order greets no one by name: the name an author shows can itself be
# the protected detail.
ORDER_PLACEHOLDERS = frozenset({"clause", "clause_title", "policy_version"})
STATES = ("hidden", "queued")
HEADER_KEYS = ("clause", "for", "title")
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
# X allows 280 characters in a post; every template must fit with the longest name X allows (50 characters).
MAX_CHARS = 280
LONGEST_AUTHOR_NAME = 50


class TemplateError(ValueError):
    """A template that cannot be used; the message names the file and what to change."""


@dataclass(frozen=True)
class ReplyTemplate:
    name: str
    clause: str
    states: tuple[str, ...]
    body: str
    title: str = ""

    @property
    def placeholders(self) -> list[str]:
        return placeholders_in(self.body)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(f"{self.clause}\n{','.join(self.states)}\n{self.body}".encode()).hexdigest()


def placeholders_in(body: str) -> list[str]:
    """The placeholder names a body uses, in order, once each. Raises ``TemplateError`` on a malformed one."""
    found: list[str] = []
    try:
        parsed = list(string.Formatter().parse(body))
    except ValueError as exc:
        raise TemplateError(f"a brace is not closed or not doubled ({exc}); write {{{{ and }}}} for braces") from None
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field or spec or conversion or not field.isidentifier():
            raise TemplateError(f"'{{{field}}}' is not a placeholder; use one of {', '.join(PLACEHOLDERS)}")
        if field not in found:
            found.append(field)
    return found


def parse_template(name: str, text: str) -> ReplyTemplate:
    """Read one template file's text. Raises ``TemplateError`` naming the problem."""
    if not NAME.match(name):
        raise TemplateError(
            f"'{name}' is not a usable template name: lower-case letters, digits, '-' and '_' (the file's name "
            "without .txt)"
        )
    lines = text.replace("\r\n", "\n").split("\n")
    try:
        cut = next(i for i, line in enumerate(lines) if line.strip() == "---")
    except StopIteration:
        raise TemplateError("no '---' line between the header (clause:, for:) and the reply's text") from None
    head, body = "\n".join(lines[:cut]), "\n".join(lines[cut + 1 :])
    header: dict[str, str] = {}
    for number, raw in enumerate(head.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, colon, value = line.partition(":")
        key = key.strip().lower()
        if not colon or key not in HEADER_KEYS:
            raise TemplateError(f"header line {number} {line!r}: expected one of {', '.join(HEADER_KEYS)}, then ':'")
        if key in header:
            raise TemplateError(f"header line {number}: '{key}' is given twice")
        header[key] = value.strip()
    clause = header.get("clause", "")
    if not clause:
        raise TemplateError("the header has no 'clause:' (the policy clause the reply cites)")
    states = tuple(s.strip() for s in header.get("for", "").split(",") if s.strip())
    if not states:
        raise TemplateError(f"the header has no 'for:' (the comment states it fits: {' or '.join(STATES)})")
    unknown = [s for s in states if s not in STATES]
    if unknown:
        raise TemplateError(f"'for: {', '.join(unknown)}' is not a state a reply fits; use {' and/or '.join(STATES)}")
    body = body.strip()
    if not body:
        raise TemplateError("the reply's text is empty")
    placeholders_in(body)  # malformed braces are refused here
    return ReplyTemplate(name=name, clause=clause, states=states, body=body, title=header.get("title", ""))


def check_template(template: ReplyTemplate, clauses: dict[str, str], order_clause: str | None) -> list[str]:
    """What is wrong with a parsed template against the published policy (``clauses``: id -> title)."""
    problems: list[str] = []
    if template.clause not in clauses:
        problems.append(f"clause '{template.clause}' is not in the published policy (clauses: {', '.join(clauses)})")
    used = template.placeholders
    unknown = [p for p in used if p not in PLACEHOLDERS]
    if unknown:
        problems.append(
            f"unknown placeholder {', '.join('{' + u + '}' for u in unknown)}; "
            f"use {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
        )
    if order_clause is not None and template.clause == order_clause:
        personal = [p for p in used if p in PLACEHOLDERS and p not in ORDER_PLACEHOLDERS]
        if personal:
            problems.append(
                f"a reply citing clause {order_clause} (suppression orders) may not use "
                f"{', '.join('{' + p + '}' for p in personal)}: it must not repeat anything that could be the "
                "protected detail"
            )
    if not unknown and template.clause in clauses:
        longest = render(
            template,
            author_name="W" * LONGEST_AUTHOR_NAME,
            clause_title=clauses[template.clause],
            policy_version="2099.12.99",
        )
        if len(longest) > MAX_CHARS:
            problems.append(
                f"the reply can be {len(longest)} characters long (with a {LONGEST_AUTHOR_NAME}-character author "
                f"name); X allows {MAX_CHARS}: shorten it"
            )
    return problems


def render(template: ReplyTemplate, *, author_name: str, clause_title: str, policy_version: str) -> str:
    """The reply's text. The values are plain text: a brace in an author's name is not a placeholder."""
    values = {
        "author_name": " ".join(author_name.split()) or "there",
        "clause": template.clause,
        "clause_title": clause_title,
        "policy_version": policy_version,
    }
    return template.body.format_map(values)
