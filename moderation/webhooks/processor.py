"""The processing loop behind the webhook service: stored deliveries → ingest → triage → platform actions.

It runs on a thread of its own, woken as soon as a delivery is stored (and every few seconds in case one was
stored by another process), so the request handler only ever verifies, stores and answers.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from connectors.meta_webhooks import parse_delivery

log = logging.getLogger("modq.webhooks")


def process_pending(service: Any, limit: int = 200, apply: bool = True) -> dict[str, int]:
    """One pass: every stored, unprocessed delivery, then triage and the platform actions they caused."""
    totals = {"deliveries": 0, "events": 0, "added": 0, "updated": 0, "dropped": 0, "problems": 0, "confirmed": 0}
    accounts: set[int] = set()
    batch = []
    for delivery_id, body in service.pending_deliveries(limit):
        parsed = parse_delivery(body.encode("utf-8"))
        batch.append((delivery_id, parsed.events, parsed.problems, parsed.ignored))
    if batch:
        outcome = service.process_deliveries(batch)
        if not outcome.skipped:
            totals["deliveries"] += outcome.deliveries
            totals["events"] += outcome.events
            totals["added"] += outcome.added
            totals["updated"] += outcome.updated
            totals["dropped"] += outcome.dropped
            totals["problems"] += len(outcome.problems)
            accounts.update(outcome.accounts)
    if totals["added"] or totals["updated"]:
        service.triage_pending()
    if apply and accounts and service.connector_factory is not None:
        for account_id in sorted(accounts):
            report = service.apply_outbox(limit=500, account=account_id)
            totals["confirmed"] += report.confirmed
    return totals


class Processor:
    """Drains stored deliveries on a background thread until stopped."""

    def __init__(self, service: Any, idle_seconds: float = 5.0) -> None:
        self.service = service
        self.idle_seconds = idle_seconds
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="modq-webhooks", daemon=True)
        self.passes = 0

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self.stopping.set()
        self.wake.set()
        self.thread.join(timeout)

    def _run(self) -> None:
        try:  # load the policy now, not on the first comment (the service already answers meanwhile)
            _ = self.service.policy
        except Exception:
            log.exception("the policy could not be loaded; triage will report why on the first delivery")
        while not self.stopping.is_set():
            self.wake.wait(self.idle_seconds)
            self.wake.clear()
            try:
                while True:
                    totals = process_pending(self.service)
                    self.passes += 1
                    if totals["deliveries"]:
                        log.info("webhooks processed: %s", totals)
                    if not totals["deliveries"] or self.stopping.is_set():
                        break
            except Exception:  # keep serving: the deliveries stay stored and are retried on the next pass
                log.exception("webhook processing failed; the deliveries stay stored and will be retried")
