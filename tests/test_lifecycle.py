"""The lifecycle function on its own (no database): every state, every event, its promises as properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from moderation.domain import Action, Route, State, TransitionError
from moderation.domain.lifecycle import (
    Decided,
    Edited,
    Effects,
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
    transition,
)
from moderation.domain.states import APPROVE, ESCALATE, HIDE, RESOLVE_APPROVE, RESOLVE_HIDE

routes = st.sampled_from(list(Route))


@st.composite
def snapshots(draw: st.DrawFn) -> Snapshot:
    state = draw(st.sampled_from(list(State)))
    hidden = {State.APPROVED: False, State.HIDDEN: True, State.AUTO_HIDDEN: True}.get(state, draw(st.booleans()))
    escalation = draw(routes) if state is State.ESCALATED else None
    return Snapshot(state, hidden, escalation, draw(st.booleans()))


events: st.SearchStrategy[Event] = st.one_of(
    st.builds(Triaged, st.sampled_from(list(Action)), st.none() | routes, st.booleans(), st.booleans()),
    st.builds(Decided, st.sampled_from([APPROVE, HIDE, ESCALATE]), st.none() | routes, st.booleans()),
    st.builds(
        lambda action, snap: Undone(action, snap.state, snap.hidden),
        st.sampled_from([APPROVE, HIDE, ESCALATE, RESOLVE_APPROVE, RESOLVE_HIDE]),
        snapshots(),
    ),
    st.builds(Rerouted, routes),
    st.just(OrderMatched()),
    st.just(OrderRevoked()),
    st.builds(PlatformDrift, st.booleans()),
    st.builds(PlatformFailed, st.sampled_from(["hide", "unhide"])),
    st.just(Edited()),
    st.builds(Upheld, st.booleans()),
)


def _run(before: Snapshot, event: Event) -> Effects | None:
    try:
        return transition(before, event)
    except TransitionError:
        return None


@given(snapshots(), events)
def test_a_protected_name_is_shown_only_by_a_legal_approval(before: Snapshot, event: Event) -> None:
    effects = _run(before, event)
    if effects is None or not before.protected or effects.hidden:
        return
    if not effects.changed:
        assert not before.hidden  # left as it was, nothing written
        return
    legal_approval = isinstance(event, Decided) and event.action == APPROVE and event.legal
    legal_uphold = isinstance(event, Upheld) and event.legal
    assert legal_approval or legal_uphold, (before, event, effects)


@given(snapshots(), events)
def test_states_and_visibility_agree_and_the_platform_action_follows_the_change(before: Snapshot, event: Event) -> None:
    effects = _run(before, event)
    if effects is None or not effects.changed:
        return
    if effects.state is State.APPROVED and not isinstance(event, Undone):
        assert not effects.hidden
    if effects.state in (State.HIDDEN, State.AUTO_HIDDEN):
        assert effects.hidden
    if effects.platform == "unhide":
        assert before.hidden and not effects.hidden
    if effects.platform == "hide":
        assert effects.hidden
    if effects.platform is not None:
        assert effects.decision, "every platform action has its decision"
    if before.hidden != effects.hidden and not isinstance(event, PlatformDrift | PlatformFailed):
        assert effects.platform is not None, "a change of intended visibility is sent to the platform"


@given(snapshots(), st.sampled_from([APPROVE, HIDE, ESCALATE, RESOLVE_APPROVE, RESOLVE_HIDE]), st.booleans())
def test_undo_goes_back_exactly_or_keeps_a_protected_name_hidden(before: Snapshot, undone: str, hidden: bool) -> None:
    back = State.QUEUED if undone in (APPROVE, HIDE, ESCALATE) else State.ESCALATED
    effects = _run(before, Undone(undone, back, hidden))
    assert effects is not None
    assert effects.state is back
    assert effects.hidden == (hidden or before.protected)


def test_undo_of_a_legal_approval_hides_again() -> None:
    """Issue 12 defect 1, in the domain: escalated and hidden -> approved -> undo -> escalated and hidden."""
    start = Snapshot(State.ESCALATED, True, Route.LEGAL, protected=True)
    approved = transition(start, Decided(APPROVE, legal=True))
    assert (approved.state, approved.hidden, approved.platform) == (State.APPROVED, False, "unhide")
    after = Snapshot(approved.state, approved.hidden, None, protected=True)
    undone = transition(after, Undone(approved.step, start.state, start.hidden))
    assert (undone.state, undone.hidden, undone.platform) == (State.ESCALATED, True, "hide")
    assert undone.escalation is not None and undone.escalation.kind == "reopen"


def test_a_moderator_cannot_show_a_protected_name() -> None:
    for state, hidden in ((State.QUEUED, False), (State.AUTO_HIDDEN, True)):
        try:
            transition(Snapshot(state, hidden, None, protected=True), Decided(APPROVE, legal=False))
        except TransitionError as exc:
            assert "protected" in str(exc)
        else:
            raise AssertionError("approved")


def test_someone_unhiding_a_protected_name_on_the_platform_is_hidden_again() -> None:
    effects = transition(Snapshot(State.HIDDEN, True, None, protected=True), PlatformDrift(False))
    assert (effects.state, effects.hidden, effects.platform) == (State.ESCALATED, True, "hide")
    assert effects.escalation is not None and effects.escalation.route is Route.LEGAL
    plain = transition(Snapshot(State.HIDDEN, True, None, protected=False), PlatformDrift(False))
    assert (plain.state, plain.hidden, plain.platform) == (State.QUEUED, False, None)


def test_an_order_match_moves_a_privacy_escalation_to_legal() -> None:
    effects = transition(Snapshot(State.ESCALATED, True, Route.PRIVACY, protected=True), OrderMatched())
    assert effects.escalation is not None and (effects.escalation.kind, effects.escalation.route) == (
        "reroute",
        Route.LEGAL,
    )
    assert not transition(Snapshot(State.ESCALATED, True, Route.LEGAL, protected=True), OrderMatched()).changed


@given(snapshots(), st.booleans())
def test_an_upheld_complaint_reverses_a_settled_decision_and_nothing_else(before: Snapshot, legal: bool) -> None:
    effects = _run(before, Upheld(legal))
    if before.state not in (State.APPROVED, State.HIDDEN, State.AUTO_HIDDEN):
        assert effects is None, "only a settled decision can be reversed"
        return
    if before.protected and before.hidden and not legal:
        assert effects is None, "only legal restores a protected name"
        return
    assert effects is not None and effects.decision and effects.escalation is None
    if before.state is State.APPROVED:
        assert (effects.state, effects.hidden) == (State.HIDDEN, True)
    else:
        assert (effects.state, effects.hidden) == (State.APPROVED, False)
        assert effects.platform == "unhide"
