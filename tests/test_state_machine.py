"""Random sequences of everything that can happen to comments, on SQLite and PostgreSQL and against the fake
platform server, with the lifecycle's promises checked after every step (hypothesis ``RuleBasedStateMachine``).

Steps: ingest (a poll, with or without triage), triage, a person's decision (approve, hide, escalate), resolve,
undo, re-route, an order added (in force now or later) and revoked, apply (the outbox, over HTTP), reconcile,
a change made directly on the platform, an edit, a worker crash around a platform call, and time passing (with
the worker's due sweep). After every step:

* a comment naming a person protected by an order in force is never meant visible, nor visible on the platform,
  unless a legal reviewer approved it after it became protected (comments not yet triaged aside: the engine has
  not seen them, and triage applies the orders first);
* every platform action has exactly one decision and one ledger event saying why, and one event when it was
  done; nothing reached the platform twice;
* an undo returns the state and the intended visibility from before the undone decision;
* states, visibility and escalations agree; the ledger verifies.

A short run is part of ``make test``. ``MODQ_SM_STEPS=10000`` runs at least that many steps per backend and
prints the count (``pytest tests/test_state_machine.py -m slow -s``).
"""

from __future__ import annotations

import os
import shutil
import textwrap
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlmodel import col, select

from connectors.testing.fake_platform import FakePlatform
from moderation.domain import DomainError, ModqError
from moderation.store.tables import Comment, Decision, Escalation, LedgerEvent, OutboxAction

TOKEN = "fb-state-machine-token-0123456789"
TOKEN_ENV = "MODQ_TEST_SM_FB_TOKEN"
NAMES = ["Jordan Mills", "Quentin Hale"]
TEXTS = [
    "thanks for the update on the road works",
    "you rotten scoundrel",
    "my card number is on the form, please call",
    "everyone knows Jordan Mills did it",
    "Quentin Hale was at the meeting",
    "rotten scoundrel Quentin Hale",
    "when does the road reopen?",
]
PEOPLE = ["mo", "lee", "alice"]  # moderator, legal, admin
LEGAL = {"lee", "alice"}
ROUTES = ["media", "privacy", "legal"]
WEIGHTS = {
    "ingest": 4,
    "triage": 1,
    "decide": 4,
    "resolve": 3,
    "undo": 3,
    "reroute": 1,
    "order_add": 1,
    "order_revoke": 1,
    "apply": 3,
    "reconcile": 1,
    "platform_drift": 1,
    "edit": 1,
    "worker_crash": 1,
    "time_passes": 1,
}
PLAN = [kind for kind, weight in WEIGHTS.items() for _ in range(weight)]

POLICY = {
    "policy.toml": """
        [policy]
        version = "sm.1"
        date = "2026-11-21"
        [defaults]
        no_finding_action = "queue"
        no_finding_priority = 10
    """,
    "clauses.toml": """
        [[clause]]
        id = "1"
        title = "Offensive language"
        [[clause]]
        id = "5"
        title = "Personal information"
        [[clause]]
        id = "7"
        title = "Suppression orders"
    """,
    "rules/test.toml": """
        [[rule]]
        id = "t.abuse"
        clause = "1"
        words = ["rotten scoundrel"]
        action = "auto_hide"
        severity = "high"
        [rule.examples]
        match = ["you rotten scoundrel"]

        [[rule]]
        id = "t.card"
        clause = "5"
        words = ["card number"]
        action = "escalate"
        route = "privacy"
        hide_now = true
        severity = "high"
        [rule.examples]
        match = ["my card number is"]

        [[rule]]
        id = "t.order"
        clause = "7"
        detector = "suppression_order"
        action = "escalate"
        route = "legal"
        hide_now = true
        priority = 100
        severity = "critical"
        [rule.examples]
        match = ["Jordan Mills did it"]
    """,
}

STEPS = int(os.environ.get("MODQ_SM_STEPS", "0") or 0)


def _write_policy(base: Path) -> Path:
    for name, body in POLICY.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return base


class Clock:
    def __init__(self) -> None:
        self.value = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.value


class Databases:
    """A fresh, migrated database for every example: a copied SQLite file or a PostgreSQL template copy."""

    def __init__(self, backend: str, tmp: Path, pg_template: str | None) -> None:
        self.backend, self.tmp, self.pg_template = backend, tmp, pg_template
        self.template_file: Path | None = None
        if backend == "sqlite":
            from moderation.store.db import make_engine
            from moderation.store.migrate import upgrade

            self.template_file = tmp / "template.db"
            engine = make_engine(f"sqlite:///{self.template_file}")
            upgrade(engine)
            engine.dispose()

    def new(self) -> str:
        name = uuid.uuid4().hex[:12]
        if self.backend == "sqlite":
            assert self.template_file is not None
            path = self.tmp / f"sm_{name}.db"
            shutil.copyfile(self.template_file, path)
            return f"sqlite:///{path}"
        import psycopg

        url = os.environ["MODQ_TEST_PG_URL"]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "sm_{name}" TEMPLATE "{self.pg_template}"')
        return url.rsplit("/", 1)[0] + f"/sm_{name}"

    def drop(self, db_url: str) -> None:
        if self.backend == "sqlite":
            Path(db_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
            return
        import psycopg

        with psycopg.connect(os.environ["MODQ_TEST_PG_URL"], autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_url.rsplit("/", 1)[1]}" WITH (FORCE)')


class Tally:
    steps = 0
    examples = 0
    by_rule: dict[str, int] = {}


class LifecycleMachine(RuleBasedStateMachine):
    databases: Databases
    policy_dir: Path
    tally: type[Tally] = Tally

    def __init__(self) -> None:
        super().__init__()
        from moderation.bootstrap import make_service
        from moderation.config import Settings

        self.clock = Clock()
        self.url = self.databases.new()
        self.svc: Any = make_service(
            Settings(policy_dir=self.policy_dir), database_url=self.url, migrate=False, clock=self.clock
        )
        self.fake = FakePlatform(seed=1, clock=self.clock)
        self.fake.start()
        self.fake.add_graph_token(TOKEN)
        page = self.fake.add_fb_page("3001", "Department")
        self.post = self.fake.add_fb_post(page, "Road closures this weekend", created=self.clock() - timedelta(days=2))
        self.svc.ensure_first_admin("alice")
        self.svc.add_moderator("lee", "legal", "alice")
        self.svc.add_moderator("mo", "moderator", "alice")
        account = self.svc.add_account(
            "facebook",
            page,
            "Department",
            "alice",
            token_env=TOKEN_ENV,
            api_base=self.fake.base_url,
            poll_seconds=10,
            activated_at=self.clock() - timedelta(days=1),
        )
        self.account = account.id
        self.ext: list[str] = []  # external ids, in the order they arrived
        self.orders: list[tuple[int, str, datetime, bool]] = []  # id, name, starts, revoked
        self.before: dict[int, tuple[str, bool]] = {}  # decision id -> (state, intended hidden) before it
        self.marks: dict[int, int] = {}  # comment id -> last decision id when it became protected
        self.drifted: set[str] = set()  # changed directly on the platform, not yet seen to agree again
        self.crash_calls: dict[str, int] = {}  # platform calls a crashed worker made
        self.step_start_decision = 0
        self.recent: list[tuple[int, str]] = []  # (comment id, actor) of the last few decisions
        self.tally.examples += 1

    def teardown(self) -> None:
        self.fake.stop()
        self.svc.engine.dispose()
        if self.svc.read_engine is not self.svc.engine:
            self.svc.read_engine.dispose()
        self.databases.drop(self.url)

    # ------------------------------------------------------------ helpers
    def _count(self, name: str) -> None:
        self.tally.steps += 1
        self.tally.by_rule[name] = self.tally.by_rule.get(name, 0) + 1
        with self.svc.tx() as s:
            last = s.exec(select(Decision.id).order_by(col(Decision.id).desc())).first()
        self.step_start_decision = last or 0

    def _count_ok(self, name: str) -> None:
        key = "done:" + name
        self.tally.by_rule[key] = self.tally.by_rule.get(key, 0) + 1

    def _cid(self, i: int) -> int | None:
        if not self.ext:
            return None
        ext = self.ext[i % len(self.ext)]
        with self.svc.tx() as s:
            return s.exec(select(Comment.id).where(Comment.external_id == ext)).first()

    def _row(self, cid: int) -> Comment:
        with self.svc.tx() as s:
            row = s.get(Comment, cid)
            assert row is not None
            s.expunge(row)
            return row

    def _in_force(self) -> list[str]:
        now = self.clock()
        return [name for _id, name, starts, revoked in self.orders if not revoked and starts <= now]

    def _protected(self, text: str) -> bool:
        folded = text.casefold()
        return any(name.casefold() in folded for name in self._in_force())

    # ------------------------------------------------------------ steps
    @rule(
        kind=st.sampled_from(PLAN),
        i=st.integers(0, 200),
        flag=st.booleans(),
        who=st.sampled_from(PEOPLE),
        action=st.sampled_from(["approve", "hide", "escalate"]),
        route=st.sampled_from(ROUTES),
        text=st.sampled_from(TEXTS),
        minutes=st.sampled_from([1, 30, 150]),
    )
    def step(self, kind: str, i: int, flag: bool, who: str, action: str, route: str, text: str, minutes: int) -> None:
        """One thing happening, chosen with the weights of ``PLAN`` (so people's decisions and undos are frequent)."""
        self._count(kind)
        if kind == "ingest":
            self.do_ingest(text, flag)
        elif kind == "triage":
            self.do_triage()
        elif kind == "decide":
            self.do_decide(i, action, who, route)
        elif kind == "resolve":
            self.do_resolve(i, "approve" if flag else "hide", who)
        elif kind == "undo":
            self.do_undo(i, flag or who == "alice", who)
        elif kind == "reroute":
            self.do_reroute(i, route, who)
        elif kind == "order_add":
            self.do_order_add(NAMES[i % len(NAMES)], flag)
        elif kind == "order_revoke":
            self.do_order_revoke(i)
        elif kind == "apply":
            self.do_apply()
        elif kind == "reconcile":
            self.do_reconcile()
        elif kind == "platform_drift":
            self.do_platform_drift(i)
        elif kind == "edit":
            self.do_edit(i, text)
        elif kind == "worker_crash":
            self.do_worker_crash(i, flag)
        elif kind == "time_passes":
            self.do_time_passes(minutes)
        else:
            raise AssertionError(kind)

    def do_ingest(self, text: str, triage: bool) -> None:
        self.ext.append(self.fake.add_fb_comment(self.post, text, author=("u9", "A Person")))
        self.svc.poll_account(self.account, triage=triage)

    def do_triage(self) -> None:
        self.svc.triage_pending()

    def do_decide(self, i: int, action: str, who: str, route: str) -> None:
        cid = self._cid(i)
        if cid is not None:
            self._decide(cid, action, who, route)

    def _decide(self, cid: int, action: str, who: str, route: str) -> None:
        row = self._row(cid)
        try:
            dec = self.svc.decide(
                cid,
                action,
                who,
                clause="1" if action == "hide" else None,
                route=route if action == "escalate" else None,
            )
        except ModqError:
            return
        self._count_ok(dec.action)
        self.before[dec.id] = (row.state, row.intended_hidden)
        self.recent = [*self.recent[-2:], (cid, who)]

    def do_resolve(self, i: int, action: str, who: str) -> None:
        with self.svc.tx() as s:
            ids = list(s.exec(select(Comment.id).where(Comment.state == "escalated").order_by(col(Comment.id))).all())
        if ids:
            self._decide(ids[i % len(ids)], action, who, "legal")

    def do_undo(self, i: int, same: bool, who: str) -> None:
        """Undo one of the last few decisions, mostly by the person who made it."""
        if not self.recent:
            return
        cid, actor = self.recent[-1 - i % len(self.recent)]
        who = actor if same else who
        try:
            dec = self.svc.undo(cid, who)
        except ModqError:
            return
        self._count_ok("undo")
        state, hidden = self.before[dec.undo_of]
        row = self._row(cid)
        assert row.state == state, f"undo of decision {dec.undo_of} gave {row.state}, not {state}"
        if self._protected(row.text) and not hidden:
            assert row.intended_hidden, "an undo made a protected name visible"
        else:
            assert row.intended_hidden == hidden, f"undo of decision {dec.undo_of} did not restore the visibility"

    def do_reroute(self, i: int, route: str, who: str) -> None:
        with self.svc.tx() as s:
            ids = list(s.exec(select(Escalation.id).where(Escalation.status == "open").order_by(col(Escalation.id))))
        if not ids:
            return
        try:
            self.svc.reroute_escalation(ids[i % len(ids)], route, who)
        except ModqError:
            return

    def do_order_add(self, name: str, later: bool) -> None:
        starts = self.clock() + (timedelta(hours=2) if later else -timedelta(hours=1))
        try:
            view = self.svc.add_order(f"R v {name}", "Supreme Court", [name], starts, actor="lee")
        except DomainError as exc:
            # the same order twice is refused while one is in force or to come
            assert "already protects these names" in str(exc), exc
            assert any(n == name and not revoked for _id, n, _s, revoked in self.orders), exc
            return
        self.orders.append((view.id, name, starts, False))

    def do_order_revoke(self, i: int) -> None:
        live = [k for k, o in enumerate(self.orders) if not o[3]]
        if not live:
            return
        k = live[i % len(live)]
        oid, name, starts, _ = self.orders[k]
        self.svc.revoke_order(oid, "lee", reason="set aside on appeal")
        self.orders[k] = (oid, name, starts, True)

    def do_apply(self) -> None:
        self.svc.apply_outbox(limit=500)

    def do_reconcile(self) -> None:
        self.svc.reconcile()

    def do_platform_drift(self, i: int) -> None:
        """Someone hides or unhides the comment directly on the platform."""
        if not self.ext:
            return
        ext = self.ext[i % len(self.ext)]
        with self.fake.lock:
            self.fake.comments[ext]["hidden"] = not self.fake.comments[ext]["hidden"]
        self.drifted.add(ext)

    def do_edit(self, i: int, text: str) -> None:
        if not self.ext:
            return
        ext = self.ext[i % len(self.ext)]
        self.fake.edit(ext, text + " (edited)")
        self.svc.poll_account(self.account, triage=True)

    def do_worker_crash(self, i: int, after_call: bool) -> None:
        """A worker claims a platform action and dies before (or right after) the platform call; the next worker
        recovers the action."""
        with self.svc.tx() as s:
            ids = list(
                s.exec(select(OutboxAction.id).where(OutboxAction.status == "pending").order_by(col(OutboxAction.id)))
            )
        if ids:
            status, row, comment, account = self.svc.parts.outbox._claim(ids[i % len(ids)])
            if status == "claimed" and after_call:
                connector = self.svc.connector_factory(account)
                (connector.hide if row.action == "hide" else connector.unhide)(comment.external_id)
                self.crash_calls[comment.external_id] = self.crash_calls.get(comment.external_id, 0) + 1
        self.svc.recover_outbox()

    def do_time_passes(self, minutes: int) -> None:
        """Time passes; the worker sweeps for orders that came into force."""
        self.clock.value += timedelta(minutes=minutes)
        self.svc.sweep_due()

    # ------------------------------------------------------------ invariants
    @invariant()
    def ledger_verifies(self) -> None:
        result = self.svc.ledger_verify()
        assert result.ok, result.problem

    @invariant()
    def states_visibility_and_escalations_agree(self) -> None:
        with self.svc.tx() as s:
            rows = s.exec(select(Comment.id, Comment.state, Comment.intended_hidden)).all()
            open_by: dict[int, int] = {}
            for cid in s.exec(select(Escalation.comment_id).where(Escalation.status == "open")).all():
                open_by[cid] = open_by.get(cid, 0) + 1
        for cid, state, hidden in rows:
            if state == "approved":
                assert not hidden, f"comment {cid} is approved but meant hidden"
            if state in ("hidden", "auto_hidden"):
                assert hidden, f"comment {cid} is {state} but meant visible"
            want = 1 if state == "escalated" else 0
            assert open_by.get(cid, 0) == want, f"comment {cid} is {state} with {open_by.get(cid, 0)} open escalations"

    @invariant()
    def every_platform_action_has_one_decision_and_one_event_and_is_sent_once(self) -> None:
        import json

        with self.svc.tx() as s:
            actions = s.exec(select(OutboxAction)).all()
            events = s.exec(select(LedgerEvent.kind, LedgerEvent.payload, LedgerEvent.comment_id)).all()
            ext_of = dict(s.exec(select(Comment.id, Comment.external_id)).all())
        intents: dict[str, int] = {}
        done: dict[int, int] = {}
        sent: dict[int, int] = {}
        for kind, payload, comment_id in events:
            body = json.loads(payload)
            if "outbox" in body and isinstance(body["outbox"], str):
                intents[body["outbox"]] = intents.get(body["outbox"], 0) + 1
            if kind in ("platform_hide", "platform_unhide"):
                done[body["outbox"]] = done.get(body["outbox"], 0) + 1
                if not body["already"]:
                    sent[comment_id] = sent.get(comment_id, 0) + 1
        decisions = [a.decision_id for a in actions]
        assert None not in decisions, "a platform action without a decision"
        assert len(set(decisions)) == len(decisions), "a decision with two platform actions"
        for a in actions:
            assert intents.get(a.key) == 1, f"outbox {a.key} has {intents.get(a.key, 0)} ledger events saying why"
            assert done.get(a.id, 0) == (1 if a.status == "confirmed" else 0), f"outbox {a.id} is {a.status}"
        for cid, ext in ext_of.items():
            calls = self.fake.hide_calls[ext] + self.fake.unhide_calls[ext]
            expected = sent.get(cid, 0) + self.crash_calls.get(ext, 0)
            assert calls == expected, f"comment {cid}: {calls} platform calls for {expected} actions"

    @invariant()
    def a_protected_name_is_never_shown_without_legal_approval(self) -> None:
        with self.svc.tx() as s:
            rows = s.exec(select(Comment)).all()
            approvals = s.exec(
                select(Decision.comment_id, Decision.id).where(
                    col(Decision.action).in_(["approve", "resolve_approve"]),
                    col(Decision.actor).in_(sorted(LEGAL)),
                    col(Decision.undone).is_(False),
                )
            ).all()
            live = set(
                s.exec(select(OutboxAction.comment_id).where(col(OutboxAction.status).in_(["pending", "sent"]))).all()
            )
        latest: dict[int, int] = {}
        for cid, did in approvals:
            latest[cid] = max(latest.get(cid, 0), did)
        platform_hidden = self.fake.hidden_ids()
        for row in rows:
            cid = row.id or 0
            if not self._protected(row.text):
                self.marks.pop(cid, None)
                continue
            self.marks.setdefault(cid, self.step_start_decision)
            if row.state == "new":
                continue  # not triaged yet: triage applies the orders first
            approved = row.state == "approved" and latest.get(cid, 0) > self.marks[cid]
            if approved:
                continue
            assert row.intended_hidden, f"comment {cid} names a protected person and is meant visible ({row.state})"
            if cid not in live and row.external_id not in self.drifted:
                assert row.external_id in platform_hidden, f"comment {cid} names a protected person and is shown"

    @invariant()
    def the_platform_shows_what_we_decided(self) -> None:
        with self.svc.tx() as s:
            rows = s.exec(select(Comment.id, Comment.external_id, Comment.intended_hidden)).all()
            live = set(
                s.exec(select(OutboxAction.comment_id).where(col(OutboxAction.status).in_(["pending", "sent"]))).all()
            )
        shown_hidden = self.fake.hidden_ids()
        for cid, ext, hidden in rows:
            agrees = (ext in shown_hidden) == hidden
            if ext in self.drifted:
                if agrees and cid not in live:
                    self.drifted.discard(ext)
                continue
            if cid not in live:
                assert agrees, f"comment {cid}: we mean it {'hidden' if hidden else 'visible'}, the platform differs"


def _run(backend: str, tmp_path: Path, pg_template: str | None, steps: int, examples: int) -> None:
    if backend == "postgresql" and (not os.environ.get("MODQ_TEST_PG_URL") or not pg_template):
        pytest.skip("PostgreSQL runs under `make test`, which starts a server and sets MODQ_TEST_PG_URL")
    os.environ[TOKEN_ENV] = TOKEN

    class Tally_(Tally):
        steps = 0
        examples = 0
        by_rule: dict[str, int] = {}

    class Machine(LifecycleMachine):
        databases = Databases(backend, tmp_path, pg_template)
        policy_dir = _write_policy(tmp_path / "policy")
        tally = Tally_

    config = settings(
        max_examples=examples,
        stateful_step_count=30,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    failures = 0
    try:
        while True:
            run_state_machine_as_test(Machine, settings=config)
            if Tally_.steps >= steps:
                break
    except BaseException:
        failures = 1
        raise
    finally:
        print(
            f"\nstate machine on {backend}: {Tally_.steps} steps in {Tally_.examples} runs, "
            f"invariant failures: {failures}; steps by kind: {dict(sorted(Tally_.by_rule.items()))}"
        )


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_lifecycle_state_machine_short(backend: str, tmp_path: Path, pg_template: str | None) -> None:
    _run(backend, tmp_path, pg_template, steps=150, examples=8)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_lifecycle_state_machine_long(backend: str, tmp_path: Path, pg_template: str | None) -> None:
    steps = STEPS or 10_000
    _run(backend, tmp_path, pg_template, steps=steps, examples=min(100, max(10, steps // 25)))
