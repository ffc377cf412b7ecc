"""The service is a thin facade over its collaborators: every method is a collaborator's own (same signature),
no method hands a database row to its caller, and a decision comes back as a frozen plain view."""

from __future__ import annotations

import dataclasses
import inspect
import io
import typing
from typing import Any

import pytest
from records import line
from sqlmodel import SQLModel

from moderation.services import DecisionResult, ModerationService
from moderation.services.base import Component, Core

# The shared core's plumbing, kept on the facade for tools and tests: a transaction.
PLUMBING = {"tx", "read"}


def _facade_methods() -> dict[str, Any]:
    out = {}
    for name, value in vars(ModerationService).items():
        if name.startswith("_") or isinstance(value, property) or name in PLUMBING:
            continue
        if callable(value) or isinstance(value, staticmethod):
            out[name] = value
    return out


def _tables_in(hint: Any) -> list[type]:
    found = []
    if isinstance(hint, type) and issubclass(hint, SQLModel):
        found.append(hint)
    for arg in typing.get_args(hint):
        found.extend(_tables_in(arg))
    return found


def test_every_facade_method_is_a_collaborators_method_with_its_signature() -> None:
    methods = _facade_methods()
    assert len(methods) > 80
    for name, value in methods.items():
        target = inspect.unwrap(value.__func__ if isinstance(value, staticmethod) else value)
        owner = target.__qualname__.split(".")[0]
        module = inspect.getmodule(target)
        assert module is not None and module.__name__.startswith("moderation.services."), name
        cls = getattr(module, owner)
        assert issubclass(cls, Component | Core), f"{name} is {owner}'s, not a collaborator's"
        assert target.__name__ == name


def test_no_facade_method_returns_a_database_row() -> None:
    leaks = {}
    for name, value in _facade_methods().items():
        target = inspect.unwrap(value.__func__ if isinstance(value, staticmethod) else value)
        module = inspect.getmodule(target)
        hints = typing.get_type_hints(target, vars(module))
        if tables := _tables_in(hints.get("return")):
            leaks[name] = [t.__name__ for t in tables]
    assert leaks == {}


def test_a_decision_and_its_undo_come_back_as_frozen_views(svc: Any) -> None:
    svc.add_moderator("bob", "moderator", "alice")
    svc.ingest_stream(io.StringIO(line("f1", "When does the pool open?") + "\n"))
    svc.triage_pending()
    cid = svc.find_comment("f1")
    before = svc.detail(cid).item.state
    dec = svc.decide(cid, "hide", "bob", clause="10", note="off topic")
    assert isinstance(dec, DecisionResult) and not isinstance(dec, SQLModel)
    assert (dec.comment_id, dec.actor, dec.action) == (cid, "bob", "hide")
    assert (dec.from_state, dec.to_state, dec.from_hidden, dec.to_hidden) == (before, "hidden", False, True)
    assert (dec.clauses, dec.note, dec.undo_of) == (["10"], "off topic", None)
    shown = svc.detail(cid).decisions[-1]
    assert (shown.id, shown.created_at) == (dec.id, dec.created_at) and dec.id > 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        dec.to_state = "approved"  # type: ignore[misc]
    undone = svc.undo(cid, "bob")
    assert isinstance(undone, DecisionResult)
    assert (undone.undo_of, undone.from_state, undone.to_state, undone.to_hidden) == (dec.id, "hidden", before, False)
    assert undone.to_dict()["undo_of"] == dec.id
