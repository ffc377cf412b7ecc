"""Instagram professional account connector (facebook-sdk 3.1.0 over the Graph API).

AccountConfig:
    external_id: the Instagram professional account's IG user id (linked to the Page).
    token: a Page (or user) access token with ``instagram_basic`` and ``pages_read_engagement`` (read) and
        ``instagram_manage_comments`` (hide).
    api_base / settings: as for Facebook (``graph_version``, ``lookback_days`` default 30, ``min_posts`` default 10,
        ``page_size``).

Poll: recent media from ``/{ig-user}/media``; for each, top-level comments from ``/{media}/comments`` and
their replies, asked for inline with field expansion (``fields=...,replies{...}``); where the server does not
expand them, or a comment has more replies than fit inline, from ``/{comment}/replies`` (one call per
comment: Instagram has no flattened stream). ``comments_count`` is not trusted to skip media (it lags).
De-duplicated within a poll; the account's own comments (its replies) are left out. Cursor: the newest comment
``timestamp`` seen, ISO-8601 (informational: every poll re-reads recent media, which is what notices edits).

Hide / unhide: ``POST /{comment}`` with ``hide=true|false`` (``hide``, not ``is_hidden``).

Reply: ``POST /{comment}/replies`` with ``message``; ``find_reply`` reads ``GET /{comment}/replies`` for one by
the account with the same text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from connectors.base import as_dict, parse_time
from connectors.facebook import graph_access_report
from connectors.graph import GraphConnectorBase
from moderation.ports import AccessReport, Capabilities, NotFound, Page, RemoteComment, RemoteState

MEDIA_FIELDS = "id,caption,timestamp,permalink,comments_count"
COMMENT_FIELDS = "id,text,timestamp,username,from,hidden,parent_id,like_count"
# Replies are asked for inline (field expansion), which saves one call per comment where the server supports it.
TOP_FIELDS = f"{COMMENT_FIELDS},replies{{{COMMENT_FIELDS}}}"


class InstagramConnector(GraphConnectorBase):
    platform = "instagram"
    hide_field = "hide"
    reply_edge = "replies"
    reply_fields = "id,text,username,from,timestamp"
    read_permissions = ("instagram_basic", "pages_read_engagement")
    hide_permissions = ("instagram_manage_comments",)

    def capabilities(self) -> Capabilities:
        return Capabilities(can_hide=True, own_conversations_only=False)

    def poll(self, cursor: str | None) -> Iterator[Page]:
        newest: datetime | None = parse_time(cursor) if cursor else None
        seen: set[str] = set()
        media = self._recent_media()
        for number, item in enumerate(media, 1):
            args = {"fields": TOP_FIELDS, "limit": self.page_size}
            for data in self.client.pages(f"{item['id']}/comments", args):
                batch: list[RemoteComment] = []
                # A server that expands ``replies`` omits the key on comments without replies; if no comment on
                # the page carries it, we cannot tell "no replies" from "not expanded", so we ask each comment.
                expanded = any(isinstance(raw.get("replies"), dict) for raw in data)
                for raw in data:
                    comment = self._comment(raw, item, raw.get("parent_id"))
                    if comment.id not in seen and comment.author_id != self.account:
                        seen.add(comment.id)
                        batch.append(comment)
                    if comment.parent_id:
                        continue  # a server that mixes replies into /comments: no /replies of replies
                    for reply_raw in self._replies(raw, expanded):
                        reply = self._comment(reply_raw, item, reply_raw.get("parent_id") or comment.id)
                        if reply.id not in seen and reply.author_id != self.account:  # not the account's own
                            seen.add(reply.id)
                            batch.append(reply)
                for comment in batch:
                    if newest is None or comment.created_at > newest:
                        newest = comment.created_at
                yield Page(comments=batch, progress=f"media {number}/{len(media)}")
        yield Page(
            comments=[],
            cursor=newest.isoformat() if newest else cursor,
            done=True,
            progress=f"{len(seen)} comments on {len(media)} media",
            complete_posts=[str(item["id"]) for item in media],
        )

    def _replies(self, raw: dict[str, Any], expanded: bool) -> Iterator[dict[str, Any]]:
        inline = raw.get("replies")
        if expanded and not isinstance(inline, dict):
            return  # the server expands replies and this comment has none
        args = {"fields": COMMENT_FIELDS, "limit": self.page_size}
        if isinstance(inline, dict) and isinstance(inline.get("data"), list):
            yield from (r for r in inline["data"] if isinstance(r, dict) and r.get("id") is not None)
            paging = as_dict(inline.get("paging"))
            if not paging.get("next"):
                return
            after = as_dict(paging.get("cursors")).get("after")
            if after:
                args["after"] = str(after)  # carry on where the inline replies stopped
        for replies in self.client.pages(f"{raw['id']}/replies", args):
            yield from replies

    def _recent_media(self) -> list[dict[str, Any]]:
        """Media posted within the lookback, and always the newest ``min_posts``."""
        cutoff = self._clock() - timedelta(days=self.lookback_days)
        media: dict[str, dict[str, Any]] = {}
        listed = 0
        for data in self.client.pages(f"{self.account}/media", {"fields": MEDIA_FIELDS, "limit": self.page_size}):
            all_old = True
            for item in data:
                recent = parse_time(item.get("timestamp")) >= cutoff
                all_old = all_old and not recent
                if str(item["id"]) in media:
                    continue
                if recent or listed < self.min_posts:
                    media[str(item["id"])] = item
                listed += 1
            if all_old and listed >= self.min_posts:
                break
        return list(media.values())

    def _comment(self, raw: dict[str, Any], media: dict[str, Any], parent_id: object) -> RemoteComment:
        author = as_dict(raw.get("from"))
        handle = str(raw.get("username") or author.get("username") or "")
        hidden = raw.get("hidden")
        return RemoteComment(
            platform=self.platform,
            account=self.account,
            id=str(raw["id"]),
            text=str(raw.get("text") or ""),
            created_at=parse_time(raw.get("timestamp")),
            post_id=str(media["id"]),
            post_text=str(media.get("caption") or ""),
            post_url=str(media.get("permalink") or ""),
            parent_id=str(parent_id) if parent_id else None,
            author_id=str(author.get("id") or ""),
            author_handle=handle,
            author_name="",
            url=str(media.get("permalink") or ""),
            hidden=bool(hidden) if hidden is not None else None,
        )

    def get_state(self, comment_id: str) -> RemoteState:
        try:
            item = self.client.read(comment_id, {"fields": "id,text,hidden,timestamp"})
        except NotFound:
            return RemoteState(exists=False)
        hidden = item.get("hidden")
        return RemoteState(
            exists=True, hidden=bool(hidden) if hidden is not None else None, text=str(item.get("text") or "")
        )

    def check_access(self) -> AccessReport:
        return graph_access_report(self, f"{self.account}/media")

    def subscribe_webhooks(self) -> AccessReport:
        """Install the app on the linked Page (setting ``page_id``); ``comments`` is chosen in the App Dashboard."""
        from connectors.meta_subscribe import subscribe_page

        page_id = (self.config.settings or {}).get("page_id", "")
        if not page_id:
            return AccessReport(
                ok=False,
                can_read=True,
                can_hide=True,
                missing=["the linked Facebook Page's id (modq accounts add ... --setting page_id=ID)"],
                detail="Instagram webhooks reach accounts whose linked Page has the app installed",
            )
        return subscribe_page(self.client, page_id, "feed")
