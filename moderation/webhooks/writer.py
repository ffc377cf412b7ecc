"""Group commit for deliveries: requests that arrive together are stored in one transaction.

Each request waits for the commit that holds its delivery, so a 200 still means "stored durably"; under load a
commit carries hundreds of deliveries instead of one, which keeps a flood from queueing behind the database.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from typing import Any

log = logging.getLogger("modq.webhooks")
MAX_BATCH = 500


class GroupWriter:
    def __init__(self, service: Any, max_batch: int = MAX_BATCH) -> None:
        self.service = service
        self.max_batch = max_batch
        self._queue: queue.Queue[tuple[bytes, asyncio.Future[int | None], asyncio.AbstractEventLoop] | None] = (
            queue.Queue()
        )
        self._thread = threading.Thread(target=self._run, name="modq-webhook-writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Store everything already handed over, then stop."""
        self._queue.put(None)
        self._thread.join(timeout)

    async def store(self, body: bytes) -> int | None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int | None] = loop.create_future()
        self._queue.put((body, future, loop))
        return await future

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is None:
                break
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                    break
                batch.append(item)
            self._write(batch)

    def _write(self, batch: list[tuple[bytes, asyncio.Future[int | None], asyncio.AbstractEventLoop]]) -> None:
        try:
            ids = self.service.accept_deliveries([body for body, _f, _l in batch])
        except Exception as exc:
            log.exception("storing %s webhook deliveries failed", len(batch))
            for _body, future, loop in batch:
                loop.call_soon_threadsafe(_fail, future, exc)
            return
        for (_body, future, loop), stored in zip(batch, ids, strict=True):
            loop.call_soon_threadsafe(_done, future, stored)


def _done(future: asyncio.Future[int | None], value: int | None) -> None:
    if not future.done():
        future.set_result(value)


def _fail(future: asyncio.Future[int | None], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)
