"""A comment's lifecycle: one pure function says what every event does to a comment.

``transition(before, event)`` takes where the comment stands (its state, whether we mean it hidden, the route
of its open escalation, whether its text names a person protected by a suppression order in force) and one
event, and returns every effect: the new state and intended visibility, the platform action to queue, the
change to its escalation, the decision to record and the ledger event's kind. The service's applier
(``moderation.services.transitions``) writes exactly these effects and nothing else writes a state.

Two promises live here and nowhere else:

* **The law first.** A comment naming a protected person is never meant visible unless a legal reviewer
  approves it: whatever else happens to it (triage, a person's decision, an undo, a re-route, an edit, the
  platform showing it) it ends hidden, and escalated to legal when it was not already decided by legal.
* **Undo is exact.** An undo goes back to the state *and* the visibility recorded on the undone decision,
  reopening or withdrawing the escalation that decision resolved or opened; when going back would show a
  name protected since, the comment stays hidden (and an undo back to ``approved`` is refused).

See docs/states.md for the table of states, events and effects.

``events`` names the snapshot, the events and the effects; ``transitions`` holds ``transition`` and the rule for
each event.
"""

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
from .transitions import PLATFORM_FAILED, transition

__all__ = [
    "Decided",
    "Edited",
    "Effects",
    "EscalationChange",
    "Event",
    "OrderMatched",
    "OrderRevoked",
    "PLATFORM_FAILED",
    "PlatformDrift",
    "PlatformFailed",
    "Rerouted",
    "Snapshot",
    "Triaged",
    "Undone",
    "Upheld",
    "transition",
]
