"""A comment's lifecycle: ``transition(before, event)`` and the rule for each event (see the package's docstring for
the two promises kept here: the law first, undo is exact)."""

from __future__ import annotations

from dataclasses import replace

from ..errors import TransitionError
from ..states import APPROVE, AUTO_HIDE, ESCALATE, HIDE, QUEUE, RESOLVE_APPROVE, RESOLVE_HIDE, UNDO, next_state
from ..values import Action, Route, State
from .events import (
    Decided,
    Edited,
    Effects,
    EscalationChange,
    Event,
    OrderMatched,
    OrderRevoked,
    PlatformDrift,
    PlatformFailed,
    Rerouted,
    Snapshot,
    Triaged,
    Undone,
    Upheld,
)

# Decision actions recorded for events that are not a person's choice.
ORDER_MATCH = ESCALATE  # a suppression-order sweep escalates (kept as "escalate" for the statistics)
PLATFORM_UNHIDDEN = "platform_unhidden"
PLATFORM_HIDDEN = "platform_hidden"
PLATFORM_FAILED = "platform_failed"
EDITED = "edited"
UPHELD = "complaint_upheld"

HELD_PRIORITY = 80  # an auto-hide held for a person (automation paused, or a backfill)
EDIT_PRIORITY = 50
FLAG_PRIORITY = 95  # the platform shows something other than what we decided
ORDER_PRIORITY = 100

PROTECTED = "names a person protected by a suppression order in force"


def _platform(before: bool, after: bool) -> str | None:
    if before == after:
        return None
    return "hide" if after else "unhide"


def _to_legal(before: Snapshot) -> EscalationChange | None:
    """The escalation change that puts a comment's open escalation with legal."""
    if before.escalation is Route.LEGAL:
        return None
    if before.escalation is None:
        return EscalationChange("open", Route.LEGAL)
    return EscalationChange("reroute", Route.LEGAL)


def _protect(before: Snapshot, step: str, ledger: str, note: str) -> Effects:
    """A protected comment not decided by legal: escalated to legal and hidden."""
    state = State.ESCALATED
    return Effects(
        step=step,
        state=state,
        hidden=True,
        platform=_platform(before.hidden, True),
        ledger=ledger,
        escalation=_to_legal(before) if before.state is State.ESCALATED else EscalationChange("open", Route.LEGAL),
        priority_floor=ORDER_PRIORITY,
        note=note,
    )


def transition(before: Snapshot, event: Event) -> Effects:
    """The effects of ``event`` on a comment that stands at ``before``.

    Raises:
        TransitionError: the event is not allowed in this state (the message says what is).
    """
    effects = _effects(before, event)
    legal_approval = (isinstance(event, Decided) and event.action == APPROVE and event.legal) or (
        isinstance(event, Upheld) and event.legal
    )
    if before.protected and effects.changed and not effects.hidden and not legal_approval:
        # The last word: whatever else the event does, a protected name is not left meant visible.
        effects = replace(effects, hidden=True, platform=_platform(before.hidden, True), decision=True)
    return effects


def _effects(before: Snapshot, event: Event) -> Effects:
    if isinstance(event, Triaged):
        return _triaged(before, event)
    if isinstance(event, Decided):
        return _decided(before, event)
    if isinstance(event, Undone):
        return _undone(before, event)
    if isinstance(event, Rerouted):
        return _rerouted(before, event)
    if isinstance(event, OrderMatched):
        return _order_matched(before)
    if isinstance(event, OrderRevoked):
        return _unchanged(before, "order_revoked")
    if isinstance(event, PlatformDrift):
        return _drift(before, event)
    if isinstance(event, PlatformFailed):
        return _failed(before, event)
    if isinstance(event, Edited):
        return _edited(before)
    if isinstance(event, Upheld):
        return _upheld(before, event)
    raise TypeError(f"not a lifecycle event: {event!r}")


def _unchanged(before: Snapshot, ledger: str) -> Effects:
    return Effects(
        step="", state=before.state, hidden=before.hidden, platform=None, ledger=ledger, decision=False, changed=False
    )


def _triaged(before: Snapshot, event: Triaged) -> Effects:
    if before.state is not State.NEW:
        raise TransitionError(f"only a new comment is triaged; this one is {before.state.value}")
    if before.protected:
        # Whatever the policy says (a policy without the order rule, automation paused, a backfill): the law first.
        step = ESCALATE
        next_state(before.state, step)
        return _protect(before, step, "triaged", "")
    action, note, floor = event.action, "", 0
    if action is Action.AUTO_HIDE and not event.automation_allowed:
        action, floor = Action.QUEUE, HELD_PRIORITY
        note = "automation would hide this; held for a person (automation paused or backfill)"
    step = {Action.AUTO_HIDE: AUTO_HIDE, Action.QUEUE: QUEUE, Action.ESCALATE: ESCALATE, Action.APPROVE: APPROVE}[
        action
    ]
    state = next_state(before.state, step)
    hidden = _visibility(state, before.hidden)
    escalation = None
    if state is State.ESCALATED:
        escalation = EscalationChange("open", event.route or Route.LEGAL)
        if event.hide_now and event.automation_allowed:
            hidden = True
    return Effects(
        step=step,
        state=state,
        hidden=hidden,
        platform=_platform(before.hidden, hidden),
        ledger="triaged",
        escalation=escalation,
        priority_floor=floor,
        note=note,
    )


def _visibility(state: State, hidden: bool) -> bool:
    """Approved means shown, hidden and auto-hidden mean hidden; other states keep what they had."""
    if state is State.APPROVED:
        return False
    if state in (State.HIDDEN, State.AUTO_HIDDEN):
        return True
    return hidden


def _decided(before: Snapshot, event: Decided) -> Effects:
    if event.action not in (APPROVE, HIDE, ESCALATE):
        raise TransitionError(f"unknown action '{event.action}': use approve, hide or escalate")
    step = event.action
    escalation: EscalationChange | None = None
    if before.state is State.ESCALATED and event.action in (APPROVE, HIDE):
        step = RESOLVE_APPROVE if event.action == APPROVE else RESOLVE_HIDE
        escalation = EscalationChange("resolve", resolution="approved" if event.action == APPROVE else "hidden")
    state = next_state(before.state, step)
    hidden = _visibility(state, before.hidden)
    if step == ESCALATE:
        route = event.route or Route.LEGAL
        if before.protected:
            route, hidden = Route.LEGAL, True
        escalation = EscalationChange("open", route)
    if before.protected and not hidden:
        if not event.legal:
            raise TransitionError(f"this comment {PROTECTED}: only legal can approve it; escalate it to legal")
    return Effects(
        step=step,
        state=state,
        hidden=hidden,
        platform=_platform(before.hidden, hidden),
        ledger="decided",
        escalation=escalation,
    )


def _undone(before: Snapshot, event: Undone) -> Effects:
    back, hidden = event.before_state, event.before_hidden
    if before.protected and not hidden:
        if back is State.APPROVED:
            raise TransitionError(
                f"undoing this would show the comment again, and it {PROTECTED}; decide it again instead"
            )
        hidden = True  # the state goes back; the protected name stays hidden
    escalation: EscalationChange | None = None
    if event.undone_action == ESCALATE:
        escalation = EscalationChange("withdraw")
    elif event.undone_action in (RESOLVE_APPROVE, RESOLVE_HIDE):
        escalation = EscalationChange("reopen")
    return Effects(
        step=UNDO,
        state=back,
        hidden=hidden,
        platform=_platform(before.hidden, hidden),
        ledger="undone",
        escalation=escalation,
    )


def _rerouted(before: Snapshot, event: Rerouted) -> Effects:
    if before.state is not State.ESCALATED or before.escalation is None:
        raise TransitionError(f"only an open escalation can be re-routed; the comment is {before.state.value}")
    if event.route is before.escalation:
        raise TransitionError(f"the escalation is already with {event.route.value}")
    if before.protected and event.route is not Route.LEGAL:
        raise TransitionError(f"this comment {PROTECTED}: it stays with legal")
    return Effects(
        step="reroute",
        state=before.state,
        hidden=before.hidden,
        platform=None,
        ledger="escalation_rerouted",
        escalation=EscalationChange("reroute", event.route),
        decision=False,
    )


def _order_matched(before: Snapshot) -> Effects:
    if before.state is State.NEW:
        return _unchanged(before, "order_matched")  # triage applies the orders in force itself
    if before.state is State.ESCALATED and before.escalation is Route.LEGAL and before.hidden:
        return _unchanged(before, "order_matched")  # already with legal, hidden
    if before.state is not State.ESCALATED:
        next_state(before.state, ESCALATE)
    return _protect(
        before, ORDER_MATCH, "order_matched", "suppression order sweep: a protected name in a stored comment"
    )


def _drift(before: Snapshot, event: PlatformDrift) -> Effects:
    step = PLATFORM_HIDDEN if event.platform_hidden else PLATFORM_UNHIDDEN
    if event.platform_hidden == before.hidden:
        return _unchanged(before, step)
    if before.protected and not event.platform_hidden:
        # Shown on the platform, but the law forbids it: hidden again at once, and legal is told.
        effects = _protect(before, step, step, "unhidden directly on the platform; it names a protected person")
        return Effects(
            step=effects.step,
            state=effects.state,
            hidden=True,
            platform="hide",  # a fresh hide: the platform shows it although we meant it hidden
            ledger=step,
            escalation=effects.escalation,
            priority_floor=FLAG_PRIORITY,
            note=effects.note,
        )
    return _back_to_people(
        before,
        step,
        event.platform_hidden,
        "hidden directly on the platform; a person decides whether it stays hidden"
        if event.platform_hidden
        else "unhidden directly on the platform; not re-hidden automatically: a person decides",
    )


def _failed(before: Snapshot, event: PlatformFailed) -> Effects:
    shows_hidden = event.action != "hide"
    note = f"the platform refused to {event.action} this comment"
    if before.protected and not shows_hidden:
        # We cannot hide it, and we still mean it hidden: legal is told, nothing is re-sent.
        effects = _protect(before, PLATFORM_FAILED, PLATFORM_FAILED, note)
        return Effects(
            step=PLATFORM_FAILED,
            state=State.ESCALATED,
            hidden=True,
            platform=None,
            ledger=PLATFORM_FAILED,
            escalation=effects.escalation,
            priority_floor=FLAG_PRIORITY,
            note=note,
        )
    if shows_hidden == before.hidden:
        return _unchanged(before, PLATFORM_FAILED)
    return _back_to_people(before, PLATFORM_FAILED, shows_hidden, note)


def _back_to_people(before: Snapshot, step: str, platform_hidden: bool, note: str) -> Effects:
    """The platform shows what we did not decide: we now mean what it shows, and a person decides again.

    Settled and auto-hidden comments go back to ``queued``; an escalated one stays with its reviewer (with a
    note on the escalation); a new one is left to triage.
    """
    state = before.state
    if state in (State.AUTO_HIDDEN, State.HIDDEN, State.APPROVED, State.QUEUED):
        state = State.QUEUED
    return Effects(
        step=step,
        state=state,
        hidden=platform_hidden,
        platform=None,  # the platform already shows it: nothing to send
        ledger=step,
        escalation=EscalationChange("note") if state is State.ESCALATED else None,
        priority_floor=FLAG_PRIORITY,
        note=note,
    )


def _edited(before: Snapshot) -> Effects:
    """An edited comment is looked at again: re-triaged if nobody decided yet, else back to a person."""
    state, floor = before.state, 0
    if state is State.QUEUED:
        state = State.NEW
    elif state in (State.APPROVED, State.HIDDEN, State.AUTO_HIDDEN):
        state, floor = State.QUEUED, EDIT_PRIORITY
    with_legal = before.state is State.ESCALATED and before.escalation is Route.LEGAL and before.hidden
    if before.protected and state is not State.NEW and not with_legal:
        # The new text names a protected person: hidden and with legal now, not at the next sweep.
        return _protect(before, ESCALATE, "comment_edited", "edited to name a person protected by a suppression order")
    return Effects(
        step=EDITED,
        state=state,
        hidden=before.hidden,
        platform=None,
        ledger="comment_edited",
        decision=False,
        priority_floor=floor,
    )


def _upheld(before: Snapshot, event: Upheld) -> Effects:
    """A complaint upheld: the settling decision is reversed (hidden or auto-hidden -> approved, approved ->
    hidden). Only a settled comment: an open escalation or a comment nobody decided has nothing to reverse."""
    if before.state in (State.HIDDEN, State.AUTO_HIDDEN):
        state, hidden = State.APPROVED, False
        if before.protected and not event.legal:
            raise TransitionError(
                f"this comment {PROTECTED}: only legal can restore it; dismiss the complaint or ask legal to review it"
            )
    elif before.state is State.APPROVED:
        state, hidden = State.HIDDEN, True
    else:
        raise TransitionError(
            f"a complaint can be upheld only against a settled decision (approved, hidden or auto-hidden); "
            f"the comment is {before.state.value}"
        )
    return Effects(
        step=UPHELD,
        state=state,
        hidden=hidden,
        platform=_platform(before.hidden, hidden),
        ledger=UPHELD,
    )
