"""The records ledger: a hash chain of every state change whose sensitive values can be lawfully redacted.

``chain`` appends and verifies; ``seal`` decides what is sensitive and seals it; ``records`` opens events for
staff, renders the public form, and redacts. Callers import from here.
"""

from .chain import (
    GENESIS,
    REDACTED,
    Appended,
    Pending,
    Redaction,
    VerifyResult,
    alias_key,
    append,
    append_event,
    append_many,
    canonical,
    chain_hash,
    events_between,
    fields_for,
    verify,
)
from .records import WITHHELD, OpenEvent, PublicForm, internal_row, kept_fields, open_events, redact, redactable
from .seal import free_text

__all__ = [
    "GENESIS",
    "REDACTED",
    "WITHHELD",
    "Appended",
    "OpenEvent",
    "Pending",
    "PublicForm",
    "Redaction",
    "VerifyResult",
    "alias_key",
    "append",
    "append_event",
    "append_many",
    "canonical",
    "chain_hash",
    "events_between",
    "fields_for",
    "free_text",
    "internal_row",
    "kept_fields",
    "open_events",
    "redact",
    "redactable",
    "verify",
]
