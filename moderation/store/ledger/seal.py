"""Which parts of a ledger event are sensitive, and how they are sealed before they enter the chain.

Why: the chain must never have to change for a lawful redaction, and the public record must never let anyone
confirm a guessed name. So every sensitive value (a person's name, free text, anything not known to be
harmless) is replaced in the chained payload by a commitment ``sha256(salt, field, value)`` with a fresh random
salt per field. The value and its salt are kept beside the chain (``ledger_field``); a redaction removes both,
after which the commitment says nothing about the value, and the chain still verifies.

Classes of field:

- ``public``: identifiers, states, counts, clause and rule ids, times: kept plain in the chain.
- ``text``: notes, reasons, case titles: sealed; shown in a public export unless withheld or redacted.
- ``staff`` and ``commenter``: names of people: sealed; a public export shows a stable pseudonym
  (``staff-…``/``commenter-…``: a keyed HMAC with the deployment's key, which is never exported).
- ``secret``: everything else (unknown keys included, so a new field is private until someone decides
  otherwise): sealed; never in a public export.

The acting person is sealed too: the chained ``actor`` of an event by a person is their pseudonym and the
payload's reserved ``actor`` key holds the commitment to their name.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

PUBLIC, TEXT, STAFF, COMMENTER, SECRET = "public", "text", "staff", "commenter", "secret"
SEAL = "$seal"
ALIAS = "alias"
ACTOR = "actor"
KEY_SETTING = "ledger:alias_key"

PUBLIC_KEYS = frozenset(
    {
        "account",
        "action",
        "channel",
        "clause",
        "clauses",
        "court",
        "created_at",
        "day",
        "due_at",
        "due_on",
        "event",
        "external_id",
        "field",
        "from",
        "from_state",
        "key",
        "kind",
        "mode",
        "on_time",
        "outcome",
        "outbox",
        "platform",
        "policy_version",
        "post",
        "received_on",
        "role",
        "route",
        "rule",
        "rule_id",
        "rules",
        "seen",
        "shadow_rules",
        "starts",
        "template",
        "to",
        "to_state",
        "until",
        "value",
        "via",
        "was",
        "was_due_at",
    }
)
TEXT_KEYS = frozenset({"note", "reason", "case", "message", "title", "resolution"})
STAFF_KEYS = frozenset({"name", "assignee", "moderator", "by"})
COMMENTER_KEYS = frozenset({"author_name", "author_handle", "author"})
# The same key can mean different things in different events.
KIND_KEYS: dict[tuple[str, str], str] = {("account_added", "name"): TEXT}

Screen = Callable[[str], bool]


def is_system(actor: str) -> bool:
    """Automation and the engine act under ``auto:…`` and ``system:…``; anything else is a person."""
    return actor.startswith(("auto:", "system:"))


def _plain_data(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | float):
        return True
    if isinstance(value, list):
        return all(_plain_data(v) for v in value)
    return False


def classify(kind: str, key: str, value: Any) -> str:
    if (kind, key) in KIND_KEYS:
        return KIND_KEYS[(kind, key)]
    if key in PUBLIC_KEYS:
        return PUBLIC
    if key in TEXT_KEYS:
        return TEXT
    if key in STAFF_KEYS:
        return STAFF
    if key in COMMENTER_KEYS:
        return COMMENTER
    return PUBLIC if _plain_data(value) else SECRET


# One encoder for every call (``json.dumps`` with options builds a new one each time; a batch seals thousands).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def dumps(value: Any) -> str:
    return _ENCODER.encode(value)


def commitment(salt_hex: str, name: str, value_json: str) -> str:
    data = bytes.fromhex(salt_hex) + b"\x00" + name.encode("utf-8") + b"\x00" + value_json.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def alias(key: str, kind: str, name: str) -> str:
    """A stable pseudonym for a person: the same name gives the same alias in every export of this deployment."""
    mac = hmac.new(bytes.fromhex(key), f"{kind}\x00{name}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}-{mac[:10]}"


def _alias(cache: dict[tuple[str, str], str] | None, key: str, kind: str, name: str) -> str:
    if cache is None:
        return alias(key, kind, name)
    found = cache.get((kind, name))
    if found is None:
        found = cache[(kind, name)] = alias(key, kind, name)
    return found


def salt_stream() -> Iterator[str]:
    """Fresh random salts, each as good as ``secrets.token_hex(16)``, drawn from the system 4 KiB at a time."""
    while True:
        block = secrets.token_hex(16 * 256)
        for i in range(0, len(block), 32):
            yield block[i : i + 32]


def new_key() -> str:
    return secrets.token_hex(32)


@dataclass(frozen=True)
class FieldValue:
    """One sealed field as stored beside the chain."""

    field: str
    kind: str
    value: str  # JSON
    salt: str
    withheld: bool


@dataclass(frozen=True)
class Sealed:
    actor: str
    payload: dict[str, Any]
    fields: list[FieldValue] = field(default_factory=list)

    @property
    def withheld(self) -> list[str]:
        return [f.field for f in self.fields if f.withheld]


def seal(
    kind: str,
    actor: str,
    payload: dict[str, Any],
    key: str,
    screen: Screen | None = None,
    aliases: dict[tuple[str, str], str] | None = None,
    salts: Iterator[str] | None = None,
) -> Sealed:
    """Split an event into what the chain holds and the sealed values kept beside it.

    ``screen`` answers whether a free-text value names a person protected by a suppression order; such a value
    is marked withheld (a public export never shows it). ``aliases``: pseudonyms already computed with ``key``
    (a batch of events names the same people again and again), filled as new ones are made. ``salts``: where
    the fresh random salts come from (``salt_stream``, for a batch); by default one is drawn for each field.
    """
    if ACTOR in payload:
        raise ValueError(f"'{ACTOR}' is reserved in ledger payloads for the acting person")
    chained: dict[str, Any] = {}
    fields: list[FieldValue] = []

    def put(name: str, cls: str, value: Any, shown_as: str | None = None) -> None:
        salt = next(salts) if salts is not None else secrets.token_hex(16)
        body = dumps(value)
        withheld = bool(cls == TEXT and screen is not None and isinstance(value, str) and screen(value))
        fields.append(FieldValue(name, cls, body, salt, withheld))
        marker: dict[str, str] = {SEAL: commitment(salt, name, body)}
        if shown_as is not None:
            marker[ALIAS] = shown_as
        chained[name] = marker

    for name, value in payload.items():
        cls = classify(kind, name, value)
        if cls == PUBLIC or value is None or value == "":
            chained[name] = value
        elif cls in (STAFF, COMMENTER) and isinstance(value, str):
            put(name, cls, value, _alias(aliases, key, cls, value))
        else:
            put(name, cls, value)
    public_actor = actor
    if not is_system(actor):
        public_actor = _alias(aliases, key, STAFF, actor)
        put(ACTOR, STAFF, actor)
    return Sealed(public_actor, chained, fields)


def markers(payload: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The sealed fields of a chained payload: field name -> its marker."""
    return {k: v for k, v in payload.items() if isinstance(v, dict) and SEAL in v}


def free_text(kind: str, payload: dict[str, Any]) -> bool:
    """Whether the event carries free text that must be screened before it is written."""
    return any(isinstance(v, str) and v and classify(kind, k, v) == TEXT for k, v in payload.items())
