"""The HTTP side of Meta's webhooks, on Starlette: the verification handshake and signed deliveries.

``POST /webhooks/meta`` answers 200 only once the delivery is stored durably; everything else (parsing, ingest,
triage, hiding) happens after the answer, on the processor's thread. A body without a valid
``X-Hub-Signature-256`` is refused with 401 and stored nowhere; a body over the size cap with 413.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from connectors.meta_webhooks import SIGNATURE_HEADER, handshake, signature_valid

log = logging.getLogger("modq.webhooks")
MAX_BODY = 1_000_000  # Meta batches at most 1,000 changes; a comment is at most ~8,000 characters


class TooLarge(Exception):
    pass


async def _read_capped(request: Request, cap: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def make_app(
    service: Any,
    *,
    store: Callable[[bytes], Awaitable[int | None]] | None = None,
    app_secret: str,
    verify_token: str,
    on_stored: Callable[[], None] = lambda: None,
    lifespan: Callable[[Starlette], Any] | None = None,
    max_body: int = MAX_BODY,
) -> Starlette:
    async def store_one(body: bytes) -> int | None:
        return await run_in_threadpool(service.accept_delivery, body)  # type: ignore[no-any-return]

    store = store or store_one

    async def verify(request: Request) -> Response:
        challenge = handshake(dict(request.query_params), verify_token)
        if challenge is None:
            log.warning("webhook handshake refused (wrong mode or verify token)")
            return PlainTextResponse("forbidden", status_code=403)
        return PlainTextResponse(challenge)

    async def receive(request: Request) -> Response:
        try:
            body = await _read_capped(request, max_body)
        except TooLarge:
            log.warning("webhook delivery refused: body over %s bytes", max_body)
            return PlainTextResponse("payload too large", status_code=413)
        if not signature_valid(app_secret, body, request.headers.get(SIGNATURE_HEADER)):
            log.warning("webhook delivery refused: missing or invalid %s", SIGNATURE_HEADER)
            return PlainTextResponse("invalid signature", status_code=401)
        try:
            stored = await store(body)
        except Exception:
            log.exception("a webhook delivery could not be stored; Meta will send it again")
            return PlainTextResponse("not stored", status_code=503)
        if stored is not None:
            on_stored()
        return PlainTextResponse("EVENT_RECEIVED")

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    routes = [
        Route("/webhooks/meta", verify, methods=["GET"]),
        Route("/webhooks/meta", receive, methods=["POST"]),
        Route("/healthz", health, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def serving_app(service: Any, *, app_secret: str, verify_token: str, idle_seconds: float = 5.0) -> Starlette:
    """The app with its processor: started with the server, stopped (after its current pass) on shutdown."""
    from .processor import Processor
    from .writer import GroupWriter

    processor = Processor(service, idle_seconds=idle_seconds)
    writer = GroupWriter(service)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        writer.start()
        processor.start()
        processor.wake.set()  # deliveries stored before a restart are processed at once
        try:
            yield
        finally:
            await run_in_threadpool(writer.stop)
            await run_in_threadpool(processor.stop)

    app = make_app(
        service,
        store=writer.store,
        app_secret=app_secret,
        verify_token=verify_token,
        on_stored=processor.wake.set,
        lifespan=lifespan,
    )
    app.state.processor = processor
    return app
