"""The fake Facebook Graph API: Pages, Instagram accounts, their posts and comments, and the endpoints the
connectors call (objects, edges with cursor paging, hide, reply, webhook subscription)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode

from connectors.testing.fake_platform.state import PlatformState
from connectors.testing.fake_platform.wire import GRAPH_PERMISSIONS, _fb_time, _graph_error


class GraphApi(PlatformState):
    """Graph state and requests (Facebook Pages and Instagram accounts)."""

    # ------------------------------------------------------------ Graph state
    def add_graph_token(self, token: str, perms: set[str] | frozenset[str] = GRAPH_PERMISSIONS) -> str:
        with self.lock:
            self.graph_tokens[token] = set(perms)
        return token

    def expire_token(self, token: str) -> None:
        with self.lock:
            self.expired_tokens.add(token)

    def add_fb_page(self, page_id: str, name: str = "Department") -> str:
        with self.lock:
            self.fb_pages[page_id] = {"id": page_id, "name": name}
        return page_id

    def add_ig_user(self, ig_id: str, username: str = "department") -> str:
        with self.lock:
            self.ig_users[ig_id] = {"id": ig_id, "username": username}
        return ig_id

    def add_fb_post(self, page_id: str, message: str, created: datetime | None = None) -> str:
        when = created or self.clock()
        with self.lock:
            post_id = f"{page_id}_{self._id()}"
            self.posts[post_id] = {
                "id": post_id,
                "kind": "fb",
                "owner": page_id,
                "text": message,
                "created": when,
                "updated": when,
                "url": f"https://www.facebook.com/{post_id}",
            }
        return post_id

    def add_ig_media(self, ig_id: str, caption: str, created: datetime | None = None) -> str:
        when = created or self.clock()
        with self.lock:
            media_id = self._id()
            self.posts[media_id] = {
                "id": media_id,
                "kind": "ig",
                "owner": ig_id,
                "text": caption,
                "created": when,
                "updated": when,
                "url": f"https://www.instagram.com/p/{media_id}/",
            }
        return media_id

    def add_fb_comment(
        self,
        post_id: str,
        text: str,
        author: tuple[str, str] = ("u1", "A Person"),
        parent: str | None = None,
        created: datetime | None = None,
    ) -> str:
        return self._add_comment("fb", post_id, text, author, parent, created)

    def add_ig_comment(
        self,
        media_id: str,
        text: str,
        username: str = "someone",
        parent: str | None = None,
        created: datetime | None = None,
    ) -> str:
        return self._add_comment("ig", media_id, text, (f"ig-{username}", username), parent, created)

    def _add_comment(
        self, kind: str, post_id: str, text: str, author: tuple[str, str], parent: str | None, created: datetime | None
    ) -> str:
        when = created or self.clock()
        with self.lock:
            post = self.posts[post_id]
            cid = f"{post_id.split('_')[-1]}_{self._id()}" if kind == "fb" else self._id()
            self.comments[cid] = {
                "id": cid,
                "kind": kind,
                "post": post_id,
                "parent": parent,
                "text": text,
                "author_id": author[0],
                "author_name": author[1],
                "created": when,
                "hidden": False,
                "deleted": False,
            }
            post["updated"] = max(post["updated"], when)
            self._children.setdefault(post_id, []).append(cid)
            if parent is not None:
                self._children.setdefault(parent, []).append(cid)
            added = self.comments[cid]
        self._notify("add", added)
        return cid

    # ------------------------------------------------------------ Graph API
    def _graph(
        self, method: str, path: str, query: dict[str, str], headers: Any, body: bytes, fault: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        match = re.match(r"^/v\d+\.\d+/(.+?)/?$", path)
        if not match:
            raise _graph_error(2500, "Unknown path components", subcode=None)
        form = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()} if body else {}
        token = form.get("access_token") or query.get("access_token")
        if not token:
            raise _graph_error(104, "An access token is required to request this resource.")
        if token in self.expired_tokens:
            raise _graph_error(190, "Error validating access token: Session has expired.", subcode=463)
        perms = self.graph_tokens.get(token)
        if perms is None:
            raise _graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        parts = match.group(1).split("/")
        with self.lock:
            if parts == ["me", "permissions"]:
                data = [{"permission": p, "status": "granted"} for p in sorted(perms)]
                return 200, {"data": data}, self._usage_headers()
            if parts == ["me"]:
                first = next(iter(self.fb_pages.values()), {"id": "0", "name": "nobody"})
                return 200, {"id": first["id"], "name": first["name"]}, self._usage_headers()
            if len(parts) == 1 and method == "GET":
                return 200, self._graph_object(parts[0], perms), self._usage_headers()
            if len(parts) == 1 and method == "POST":
                return 200, self._graph_hide(parts[0], form, perms), self._usage_headers()
            if len(parts) == 2 and parts[1] in ("comments", "replies") and method == "POST":
                return 200, self._graph_reply(parts[0], parts[1], form, perms), self._usage_headers()
            if len(parts) == 2 and parts[1] == "subscribed_apps" and method == "POST":
                return 200, self._subscribe_app(parts[0], form, perms), self._usage_headers()
            if len(parts) == 2 and method == "GET":
                items = self._graph_edge(parts[0], parts[1], query, perms)
                page, start, nxt = self._page(items, query, "limit", "after", fault, 25)
                paging: dict[str, Any] = {
                    "cursors": {
                        "before": self._token(start),
                        "after": self._token(nxt if nxt is not None else start + len(page)),
                    }
                }
                if nxt is not None:
                    next_query = {k: v for k, v in query.items() if k != "after"}
                    next_query.update({"access_token": token, "after": self._token(nxt)})
                    host = headers.get("Host", "graph.facebook.com")
                    paging["next"] = f"http://{host}{path}?{urlencode(next_query)}"
                if parts[1] == "comments" and "replies{" in query.get("fields", "") and self.expand_replies:
                    page = [self._with_inline_replies(item, token, headers) for item in page]
                payload: dict[str, Any] = {"data": page, "paging": paging}
                if query.get("summary") == "true":
                    payload["summary"] = {"order": query.get("order", "chronological"), "total_count": len(items)}
                return 200, payload, self._usage_headers()
        raise _graph_error(100, f"(#100) Unsupported {method} request.", subcode=None)

    def _need(self, perms: set[str], perm: str, code: int = 10) -> None:
        if perm not in perms:
            raise _graph_error(code, f"(#{code}) This endpoint requires the '{perm}' permission.", status=403)

    def _graph_object(self, object_id: str, perms: set[str]) -> dict[str, Any]:
        if object_id in self.comments and not self.comments[object_id]["deleted"]:
            comment = self.comments[object_id]
            self._need(perms, "pages_read_engagement" if comment["kind"] == "fb" else "instagram_basic")
            return self._comment_json(comment)
        if object_id in self.posts:
            return self._post_json(self.posts[object_id])
        if object_id in self.fb_pages:
            return dict(self.fb_pages[object_id])
        if object_id in self.ig_users:
            return dict(self.ig_users[object_id])
        raise _graph_error(
            100,
            f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be "
            "loaded due to missing permissions, or does not support this operation.",
            subcode=33,
            kind="GraphMethodException",
        )

    def _graph_hide(self, object_id: str, form: dict[str, str], perms: set[str]) -> dict[str, Any]:
        comment = self.comments.get(object_id)
        if comment is None or comment["deleted"]:
            raise _graph_error(
                100,
                f"Unsupported post request. Object with ID '{object_id}' does not exist",
                subcode=33,
                kind="GraphMethodException",
            )
        field = "is_hidden" if comment["kind"] == "fb" else "hide"
        if field not in form:
            raise _graph_error(100, f"(#100) Param {field} is required for this object")
        self._need(perms, "pages_manage_engagement" if comment["kind"] == "fb" else "instagram_manage_comments", 200)
        value = form[field].lower() == "true"
        comment["hidden"] = value
        (self.hide_calls if value else self.unhide_calls)[object_id] += 1
        self._notify("hide" if value else "unhide", comment)
        return {"success": True}

    def _graph_reply(self, object_id: str, edge: str, form: dict[str, str], perms: set[str]) -> dict[str, Any]:
        """The account's reply under a comment: Facebook ``/{comment}/comments``, Instagram ``/{comment}/replies``."""
        comment = self.comments.get(object_id)
        if comment is None or comment["deleted"]:
            raise _graph_error(
                100,
                f"Unsupported post request. Object with ID '{object_id}' does not exist",
                subcode=33,
                kind="GraphMethodException",
            )
        if edge != ("comments" if comment["kind"] == "fb" else "replies"):
            raise _graph_error(100, f"(#100) Unsupported post request: no edge {edge} on this object")
        message = form.get("message", "")
        if not message.strip():
            raise _graph_error(100, "(#100) Param message must be non-empty")
        self._need(perms, "pages_manage_engagement" if comment["kind"] == "fb" else "instagram_manage_comments", 200)
        owner = self.posts[comment["post"]]["owner"]
        name = (self.fb_pages.get(owner) or {}).get("name") or (self.ig_users.get(owner) or {}).get("username", "")
        self.reply_calls[object_id] += 1
        reply_id = self._add_comment(comment["kind"], comment["post"], message, (owner, str(name)), object_id, None)
        return {"id": reply_id}

    def _subscribe_app(self, page_id: str, form: dict[str, str], perms: set[str]) -> dict[str, Any]:
        if page_id not in self.fb_pages:
            raise _graph_error(100, f"Unsupported post request. Object with ID '{page_id}' does not exist", subcode=33)
        self._need(perms, "pages_manage_metadata", 200)
        fields = form.get("subscribed_fields", "")
        if not fields:
            raise _graph_error(100, "(#100) Param subscribed_fields is required")
        self.subscribed_apps[page_id] = fields
        return {"success": True}

    def _graph_edge(self, object_id: str, edge: str, query: dict[str, str], perms: set[str]) -> list[Any]:
        if edge in ("published_posts", "feed", "posts") and object_id in self.fb_pages:
            self._need(perms, "pages_read_engagement")
            posts = [p for p in self.posts.values() if p["owner"] == object_id and p["kind"] == "fb"]
            if query.get("since"):
                posts = [p for p in posts if p["created"].timestamp() >= float(query["since"])]
            posts.sort(key=lambda p: p["created"], reverse=True)
            return [self._post_json(p) for p in posts]
        if edge == "media" and object_id in self.ig_users:
            self._need(perms, "instagram_basic")
            media = [p for p in self.posts.values() if p["owner"] == object_id and p["kind"] == "ig"]
            media.sort(key=lambda p: p["created"], reverse=True)
            return [self._post_json(p) for p in media]
        if edge == "comments" and object_id in self.posts:
            post = self.posts[object_id]
            self._need(perms, "pages_read_user_content" if post["kind"] == "fb" else "instagram_basic")
            comments = [c for c in self._comments_on(object_id) if c["post"] == object_id]
            if post["kind"] == "ig" or query.get("filter") != "stream":
                comments = [c for c in comments if c["parent"] is None]
            comments.sort(key=lambda c: (c["created"], c["id"]), reverse=query.get("order") == "reverse_chronological")
            return [self._comment_json(c) for c in comments]
        if edge == "comments" and object_id in self.comments and self.comments[object_id]["kind"] == "fb":
            self._need(perms, "pages_read_user_content")
            replies = [c for c in self._comments_on(object_id) if c["parent"] == object_id]
            replies.sort(key=lambda c: (c["created"], c["id"]))
            return [self._comment_json(c) for c in replies]
        if edge == "replies" and object_id in self.comments:
            self._need(perms, "instagram_basic")
            replies = [c for c in self._comments_on(object_id) if c["parent"] == object_id]
            replies.sort(key=lambda c: (c["created"], c["id"]))
            return [self._comment_json(c) for c in replies]
        raise _graph_error(
            100,
            f"Unsupported get request. Object with ID '{object_id}' does not exist, or has no edge {edge}",
            subcode=33,
            kind="GraphMethodException",
        )

    def _with_inline_replies(self, item: dict[str, Any], token: str, headers: Any) -> dict[str, Any]:
        """Instagram field expansion ``replies{...}``: up to ``inline_replies`` inline, omitted when none."""
        comment = self.comments.get(item["id"])
        if comment is None or comment["kind"] != "ig":
            return item
        replies = sorted(
            (c for c in self._comments_on(item["id"]) if c["parent"] == item["id"]),
            key=lambda c: (c["created"], c["id"]),
        )
        if not replies:
            return item
        shown = replies[: self.inline_replies]
        block: dict[str, Any] = {"data": [self._comment_json(c) for c in shown]}
        if len(replies) > len(shown):
            after = self._token(len(shown))
            host = headers.get("Host", "graph.facebook.com")
            block["paging"] = {
                "cursors": {"after": after},
                "next": f"http://{host}/v23.0/{item['id']}/replies?"
                f"{urlencode({'access_token': token, 'after': after})}",
            }
        return dict(item, replies=block)

    def _comments_on(self, object_id: str) -> list[dict[str, Any]]:
        found = (self.comments[cid] for cid in self._children.get(object_id, []))
        return [c for c in found if not c["deleted"]]

    def _post_json(self, post: dict[str, Any]) -> dict[str, Any]:
        if post["kind"] == "fb":
            return {
                "id": post["id"],
                "message": post["text"],
                "created_time": _fb_time(post["created"]),
                "updated_time": _fb_time(post["updated"]),
                "permalink_url": post["url"],
            }
        count = len(self._comments_on(post["id"]))
        return {
            "id": post["id"],
            "caption": post["text"],
            "timestamp": _fb_time(post["created"]),
            "permalink": post["url"],
            "comments_count": count,
            "media_type": "IMAGE",
        }

    def _comment_json(self, comment: dict[str, Any]) -> dict[str, Any]:
        if comment["kind"] == "fb":
            out: dict[str, Any] = {
                "id": comment["id"],
                "message": comment["text"],
                "created_time": _fb_time(comment["created"]),
                "from": {"id": comment["author_id"], "name": comment["author_name"]},
                "is_hidden": comment["hidden"],
                "can_hide": True,
                "permalink_url": f"https://www.facebook.com/{comment['post']}?comment_id={comment['id']}",
            }
            if comment["parent"]:
                out["parent"] = {"id": comment["parent"]}
            return out
        out = {
            "id": comment["id"],
            "text": comment["text"],
            "timestamp": _fb_time(comment["created"]),
            "username": comment["author_name"],
            "from": {"id": comment["author_id"], "username": comment["author_name"]},
            "hidden": comment["hidden"],
            "like_count": 0,
        }
        if comment["parent"]:
            out["parent_id"] = comment["parent"]
        return out
