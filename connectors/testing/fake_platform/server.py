"""The fake platform as one server: both APIs behind 127.0.0.1, the request entry and its faults, demo data,
and the standalone command."""

from __future__ import annotations

import argparse
import json
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from connectors.testing.fake_platform.graph import GraphApi
from connectors.testing.fake_platform.wire import _graph_error, _Reply, _x_error
from connectors.testing.fake_platform.x import XApi


class FakePlatform(GraphApi, XApi):
    """The platforms' state, the HTTP server that serves it, and the faults to inject."""

    # ------------------------------------------------------------ lifecycle
    def start(self, port: int = 0) -> str:
        platform = self

        class Handler(_Handler):
            fake = platform

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-platform", daemon=True)
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakePlatform:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ shared state helpers
    def edit(self, item_id: str, text: str) -> str:
        """Edit a comment (same id) or a tweet (new version id, returned)."""
        with self.lock:
            if item_id in self.tweets:
                return self.edit_tweet(item_id, text)
            self.comments[item_id]["text"] = text
            edited = self.comments[item_id]
        self._notify("edited", edited)
        return item_id

    def delete(self, item_id: str) -> None:
        with self.lock:
            if item_id in self.tweets:
                for version in self.tweets[item_id]["edit_history_tweet_ids"]:
                    self.tweets[version]["deleted"] = True
            else:
                self.comments[item_id]["deleted"] = True
                removed = self.comments[item_id]
        if item_id not in self.tweets:
            self._notify("remove", removed)

    def replies_to(self, item_id: str) -> list[str]:
        """The texts of the replies under a comment or tweet (every author), oldest first."""
        with self.lock:
            if item_id in self.tweets:
                return [
                    t["text"]
                    for t in sorted(self._visible(), key=lambda t: int(t["id"]))
                    if any(r.get("id") == item_id for r in t.get("referenced_tweets") or [])
                ]
            return [c["text"] for c in self._comments_on(item_id) if c["parent"] == item_id]

    def hidden_ids(self) -> set[str]:
        with self.lock:
            return {c["id"] for c in self.comments.values() if c["hidden"]} | {
                tid for tid, hidden in self.x_hidden.items() if hidden
            }

    def latest_tweet_id(self, original: str) -> str:
        with self.lock:
            return self.tweets[original]["edit_history_tweet_ids"][-1]

    # ------------------------------------------------------------ request entry
    def handle(self, method: str, raw_path: str, headers: Any, body: bytes) -> tuple[int, dict[str, str], bytes]:
        parsed = urlparse(raw_path)
        query = {k: v[-1] for k, v in parse_qs(parsed.query, keep_blank_values=True).items()}
        path = parsed.path
        line = f"{method} {path}"
        if path == "/_fake/state":  # for demos and black-box checks: what the "platform" now holds
            with self.lock:
                state = {
                    "hidden_ids": sorted(self.hidden_ids()),
                    "hide_calls": dict(self.hide_calls),
                    "unhide_calls": dict(self.unhide_calls),
                    "reply_calls": dict(self.reply_calls),
                    "requests": len(self.requests),
                    "faults": dict(self.fault_log),
                }
            return 200, {"content-type": "application/json"}, json.dumps(state).encode()
        with self.lock:
            self.requests.append(line)
            auth = (headers.get("Authorization") or "").split(" ", 1)[0]
            self.request_log.append((line, headers.get("User-Agent") or "", auth))
        is_x = path.startswith("/2/")
        fault = self._take_fault(line)
        try:
            if fault and fault not in ("slow", "duplicate", "out_of_order"):
                self._raise_fault(fault, is_x)
            if is_x:
                status, payload, extra = self._x(method, path, query, headers, body, fault)
            else:
                status, payload, extra = self._graph(method, path, query, headers, body, fault)
            out_headers = {"content-type": "application/json; charset=UTF-8", **extra}
            if fault == "slow":
                time.sleep(self.slow_seconds)
            return status, out_headers, json.dumps(payload).encode()
        except _Reply as reply:
            if reply.ctype == "html":
                return reply.status, {"content-type": "text/html; charset=utf-8", **reply.headers}, reply.body
            if reply.ctype == "raw":
                return reply.status, {"content-type": "application/json", **reply.headers}, reply.body
            return (
                reply.status,
                {"content-type": "application/json; charset=UTF-8", **reply.headers},
                json.dumps(reply.body).encode(),
            )

    def _raise_fault(self, kind: str, is_x: bool) -> None:
        reset = int(self.clock().timestamp()) + 60
        if kind == "429":
            if is_x:
                raise _Reply(
                    429,
                    {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
                    {"x-rate-limit-limit": "50", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
                )
            raise _Reply(
                429, {"error": {"message": "(#4) Application request limit reached", "code": 4}}, {"Retry-After": "60"}
            )
        if kind == "429_noreset":
            body = (
                {
                    "title": "UsageCapExceeded",
                    "detail": "Usage cap exceeded: Monthly product cap",
                    "type": "https://api.twitter.com/2/problems/usage-capped",
                }
                if is_x
                else {"error": {"message": "Too many requests", "code": 4}}
            )
            raise _Reply(429, body)
        if kind == "rate_code":
            if is_x:
                raise _Reply(
                    429,
                    {"title": "Too Many Requests"},
                    {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
                )
            usage = json.dumps(
                {
                    "1001": [
                        {
                            "type": "pages",
                            "call_count": 100,
                            "total_cputime": 40,
                            "total_time": 40,
                            "estimated_time_to_regain_access": 5,
                        }
                    ]
                }
            )
            reply = _graph_error(32, "(#32) Page request limit reached")
            reply.headers["X-Business-Use-Case-Usage"] = usage
            raise reply
        if kind == "5xx":
            if is_x:
                raise _x_error(503, "Service Unavailable", "Service Unavailable")
            raise _graph_error(
                2, "An unexpected error has occurred. Please retry your request later.", status=500, transient=True
            )
        if kind == "html":
            raise _Reply(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", ctype="html")
        if kind == "malformed":
            raise _Reply(200, b'{"data": [{"id": "1", "text": "trunc', ctype="raw")
        if kind == "expired":
            if is_x:
                raise _x_error(401, "Unauthorized", "Unauthorized")
            raise _graph_error(190, "Error validating access token: Session has expired.", subcode=463)
        if kind == "forbidden":
            if is_x:
                raise _x_error(403, "Forbidden", "You are not permitted to perform this action.")
            raise _graph_error(200, "(#200) Permissions error", status=403)

    # ------------------------------------------------------------ demo data
    def seed_demo(self) -> dict[str, str]:
        """A Page, an Instagram account and an X account with a few comments, some abusive."""
        now = self.clock()
        self.add_graph_token("fb-demo-token")
        page = self.add_fb_page("1001", "Department of Roads (demo)")
        post = self.add_fb_post(page, "Road closures on the Westgate this weekend", now - timedelta(hours=5))
        c1 = self.add_fb_comment(
            post, "Thanks for the heads up", ("u1", "Sam Citizen"), created=now - timedelta(hours=4)
        )
        self.add_fb_comment(
            post, "you useless idiots, fix the potholes", ("u2", "Angry Person"), created=now - timedelta(hours=3)
        )
        self.add_fb_comment(post, "Agreed, thanks", ("u3", "Lee"), parent=c1, created=now - timedelta(hours=2))
        ig = self.add_ig_user("17841400000000999", "department_demo")
        media = self.add_ig_media(ig, "New tram stop opening", now - timedelta(hours=6))
        top = self.add_ig_comment(media, "Looks great", "tram_fan", created=now - timedelta(hours=5))
        self.add_ig_comment(media, "this is garbage, morons", "grump", parent=top, created=now - timedelta(hours=4))
        self.add_x_user("1500000000000000001", "VicRoadsDemo", "Roads Demo")
        self.add_x_user("1500000000000000002", "citizen_a", "Citizen A")
        self.add_x_user("1500000000000000003", "other_org", "Other Org")
        self.add_x_token("x-demo-token", "1500000000000000001")
        root = self.add_tweet("1500000000000000001", "Westgate closed this weekend", created=now - timedelta(hours=3))
        self.add_tweet(
            "1500000000000000002", "@VicRoadsDemo you are all clowns", reply_to=root, created=now - timedelta(hours=2)
        )
        theirs = self.add_tweet("1500000000000000003", "Traffic chaos again", created=now - timedelta(hours=2))
        self.add_tweet(
            "1500000000000000002",
            "@other_org @VicRoadsDemo idiots the lot of you",
            reply_to=theirs,
            created=now - timedelta(hours=1),
        )
        return {
            "facebook_page": page,
            "facebook_token": "fb-demo-token",
            "instagram_user": ig,
            "instagram_token": "fb-demo-token",
            "x_user": "1500000000000000001",
            "x_token": "x-demo-token",
        }


class _Handler(BaseHTTPRequestHandler):
    fake: FakePlatform
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            status, headers, payload = self.fake.handle(self.command, self.path, self.headers, body)
        except Exception as exc:  # a bug in the fake must show up as a clear 500, not a hung test
            status, headers = 500, {"content-type": "application/json"}
            payload = json.dumps({"error": {"message": f"fake server bug: {exc!r}", "code": 1}}).encode()
        try:
            # One write for head and body, and TCP_NODELAY (see setup): otherwise Nagle's algorithm and
            # delayed ACKs add ~40 ms to every loopback request.
            head = [f"HTTP/1.1 {status} {self.responses.get(status, ('Status',))[0]}"]
            head += [f"{name}: {value}" for name, value in headers.items()]
            head += [f"Content-Length: {len(payload)}", "Connection: keep-alive", "", ""]
            self.wfile.write("\r\n".join(head).encode("latin-1") + payload)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a "slow" fault): nothing to do

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake Graph API / X API v2 server for modq demos and tests")
    parser.add_argument("--port", type=int, default=8999)
    parser.add_argument("--seed-demo", action="store_true", help="load a demo Page, Instagram and X account")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of requests to fail at random")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    fake = FakePlatform(seed=args.seed)
    ids = fake.seed_demo() if args.seed_demo else {}
    if args.fault_rate:
        fake.random_faults(args.fault_rate, kinds=("429", "5xx", "html", "malformed", "duplicate", "out_of_order"))
    base = fake.start(args.port)
    print(f"fake platform listening on {base}", flush=True)
    for key, value in ids.items():
        print(f"  {key}: {value}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
