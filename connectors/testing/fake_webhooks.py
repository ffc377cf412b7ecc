"""Signed webhook deliveries from the fake platform, as Meta sends them, with the faults Meta's can have.

``WebhookSender(platform, url, secret).start()`` posts one delivery for every comment added, edited, removed,
hidden or unhidden on the fake's Facebook Pages (object ``page``, field ``feed``) and every comment added on its
Instagram accounts (object ``instagram``, field ``comments``), signed with ``X-Hub-Signature-256``. Faults, each a
probability: ``bad_signature`` (a forged delivery, signed with the wrong secret), ``unsigned``, ``duplicate`` (sent
twice), ``out_of_order`` (held back and sent after the next one), ``malformed`` (a delivery whose change is
missing its ids, beside a good one in the same body). Deliveries go out on a thread of their own, in order.
"""

from __future__ import annotations

import json
import queue
import random
import threading
import time
from collections import Counter
from typing import Any

import requests

from connectors.meta_webhooks import SIGNATURE_HEADER, sign

from .fake_platform import FakePlatform

FAULTS = ("bad_signature", "unsigned", "duplicate", "out_of_order", "malformed")


class WebhookSender:
    def __init__(self, platform: FakePlatform, url: str, secret: str, *, seed: int = 0, timeout: float = 10.0) -> None:
        self.platform = platform
        self.url = url
        self.secret = secret
        self.timeout = timeout
        self.rng = random.Random(seed)
        self.faults: dict[str, float] = {}
        self.sent: Counter[str] = Counter()  # by outcome: ok, forged, unsigned, duplicate, malformed, error, …
        self.statuses: Counter[int] = Counter()
        self.latencies: list[float] = []
        self._queue: queue.Queue[tuple[bytes, str | None] | None] = queue.Queue()
        self._held: tuple[bytes, str | None] | None = None
        self._thread = threading.Thread(target=self._run, name="fake-webhooks", daemon=True)
        self._session = requests.Session()

    # ------------------------------------------------------------ lifecycle
    def start(self) -> WebhookSender:
        self.platform.listeners.append(self.on_change)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self.on_change in self.platform.listeners:
            self.platform.listeners.remove(self.on_change)
        self._queue.put(None)
        self._thread.join(10)

    def drain(self, timeout: float = 30.0) -> bool:
        """Wait until every queued delivery has been sent (a held out-of-order one is sent too)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._queue.unfinished_tasks == 0:
                if self._held is None:
                    return True
                held, self._held = self._held, None
                self._queue.put(held)
            time.sleep(0.01)
        return False

    # ------------------------------------------------------------ building deliveries
    def on_change(self, verb: str, comment: dict[str, Any]) -> None:
        body = self.payload(verb, comment)
        if body is not None:
            self.enqueue(body)

    def payload(self, verb: str, comment: dict[str, Any]) -> dict[str, Any] | None:
        post = self.platform.posts.get(comment["post"], {})
        owner = str(post.get("owner", ""))
        when = int(self.platform.clock().timestamp())
        if comment["kind"] == "ig":
            if verb != "add":
                return None  # Instagram pushes new comments only
            value: dict[str, Any] = {
                "id": comment["id"],
                "text": comment["text"],
                "from": {"id": comment["author_id"], "username": comment["author_name"]},
                "media": {"id": comment["post"], "media_product_type": "FEED"},
            }
            if comment.get("parent"):
                value["parent_id"] = comment["parent"]
            change = {"field": "comments", "value": value}
            return {"object": "instagram", "entry": [{"id": owner, "time": when, "changes": [change]}]}
        value = {
            "item": "comment",
            "verb": verb,
            "comment_id": comment["id"],
            "post_id": comment["post"],
            "parent_id": comment.get("parent") or comment["post"],
            "created_time": int(comment["created"].timestamp()),
            "from": {"id": comment["author_id"], "name": comment["author_name"]},
        }
        if verb in ("add", "edited"):
            value["message"] = comment["text"]
        return {
            "object": "page",
            "entry": [{"id": owner, "time": when, "changes": [{"field": "feed", "value": value}]}],
        }

    def enqueue(self, payload: dict[str, Any]) -> None:
        roll = self.rng.random
        if roll() < self.faults.get("malformed", 0.0):
            entry = payload["entry"][0]
            entry["changes"].append(
                {"field": entry["changes"][0]["field"], "value": {"item": "comment", "verb": "add"}}
            )
            self.sent["malformed"] += 1
        body = json.dumps(payload).encode("utf-8")
        signature: str | None = sign(self.secret, body)
        if roll() < self.faults.get("bad_signature", 0.0):
            signature = sign(self.secret + "-wrong", body)
            self.sent["forged"] += 1
        elif roll() < self.faults.get("unsigned", 0.0):
            signature = None
            self.sent["unsigned"] += 1
        item = (body, signature)
        if roll() < self.faults.get("out_of_order", 0.0) and self._held is None:
            self._held = item
            self.sent["held"] += 1
            return
        self._queue.put(item)
        if roll() < self.faults.get("duplicate", 0.0):
            self._queue.put(item)
            self.sent["duplicate"] += 1
        if self._held is not None:
            held, self._held = self._held, None
            self._queue.put(held)

    # ------------------------------------------------------------ sending
    def post(self, body: bytes, signature: str | None) -> int:
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers[SIGNATURE_HEADER] = signature
        started = time.monotonic()
        try:
            status = self._session.post(self.url, data=body, headers=headers, timeout=self.timeout).status_code
        except requests.RequestException:
            status = 0
        self.latencies.append(time.monotonic() - started)
        self.statuses[status] += 1
        return status

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                self.post(*item)
            finally:
                self._queue.task_done()
