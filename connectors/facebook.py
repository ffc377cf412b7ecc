"""Facebook Page connector (facebook-sdk 3.1.0 over the Graph API).

AccountConfig:
    external_id: the Page id.
    token: a Page access token with ``pages_read_engagement``, ``pages_read_user_content`` (read) and
        ``pages_manage_engagement`` (hide); the person behind it needs the MODERATE task on the Page.
    api_base: another host for ``https://graph.facebook.com`` (a proxy, or a fake server).
    settings:
        graph_version: Graph API version, default ``v23.0`` (``"23.0"`` is accepted too).
        lookback_days: posts created (or, per ``updated_time``, commented on) in the last N days are read,
            default 30.
        min_posts: the newest N posts are read whatever their age, default 10.
        page_size: ``limit`` per request, default 100.
        incremental: ``"true"`` stops reading a post's comments once they are older than the cursor minus
            ``overlap_minutes`` (default 60). Off by default: a full re-read of recent posts is what notices
            edited comments, and the caller's ingest is idempotent.

Poll: recent posts from ``/{page}/published_posts``, then every comment and reply on each from
``/{post}/comments?filter=stream`` (``parent`` set on replies). Items repeated across pages or out of order
are de-duplicated within one poll; the Page's own comments (its replies) are left out.
Cursor: the newest ``created_time`` seen, as an ISO-8601 string (only
used in incremental mode; a full re-read ignores it).

Hide / unhide: ``POST /{comment}`` with ``is_hidden=true|false``.

Reply: ``POST /{comment}/comments`` with ``message`` (a reply is a comment on the comment); ``find_reply`` reads
``GET /{comment}/comments`` for one by the Page with the same text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from connectors.base import as_dict, parse_time
from connectors.graph import GraphConnectorBase
from moderation.ports import (
    AccessReport,
    AuthExpired,
    Capabilities,
    ConnectorError,
    NotFound,
    Page,
    RemoteComment,
    RemoteState,
)

POST_FIELDS = "id,message,created_time,updated_time,permalink_url"
COMMENT_FIELDS = "id,message,from,created_time,is_hidden,can_hide,parent{id},permalink_url,attachment"


class FacebookConnector(GraphConnectorBase):
    platform = "facebook"
    hide_field = "is_hidden"
    reply_edge = "comments"
    reply_fields = "id,message,from,created_time"
    read_permissions = ("pages_read_engagement", "pages_read_user_content")
    hide_permissions = ("pages_manage_engagement",)

    def capabilities(self) -> Capabilities:
        return Capabilities(can_hide=True, own_conversations_only=False)

    # ------------------------------------------------------------ poll
    def poll(self, cursor: str | None) -> Iterator[Page]:
        previous = parse_time(cursor) if cursor else None
        newest = previous
        stop_before: datetime | None = None
        if previous is not None and (self.config.settings or {}).get("incremental", "").lower() == "true":
            stop_before = previous - timedelta(minutes=float(self.config.settings.get("overlap_minutes", "60")))
        seen: set[str] = set()
        complete: list[str] = []
        posts = self._recent_posts()
        for number, post in enumerate(posts, 1):
            args = {
                "filter": "stream",
                "order": "reverse_chronological",
                "summary": "true",
                "limit": self.page_size,
                "fields": COMMENT_FIELDS,
            }
            for data in self.client.pages(f"{post['id']}/comments", args):
                batch: list[RemoteComment] = []
                older = 0
                for item in data:
                    comment = self._comment(item, post)
                    if stop_before is not None and comment.created_at < stop_before:
                        older += 1
                    if comment.id in seen or comment.author_id == self.account:
                        continue  # a repeat, or the Page's own reply (not a comment to moderate)
                    seen.add(comment.id)
                    batch.append(comment)
                    if newest is None or comment.created_at > newest:
                        newest = comment.created_at
                yield Page(comments=batch, progress=f"post {number}/{len(posts)}")
                if data and older == len(data):
                    break
            else:
                complete.append(str(post["id"]))
        yield Page(
            comments=[],
            cursor=newest.isoformat() if newest else cursor,
            done=True,
            progress=f"{len(seen)} comments on {len(posts)} posts",
            complete_posts=complete,
        )

    def _recent_posts(self) -> list[dict[str, Any]]:
        """Posts created or commented on within the lookback, and always the newest ``min_posts``.

        The floor keeps a quiet Page (or test fixtures with fixed dates) from polling nothing at all.
        """
        cutoff = self._clock() - timedelta(days=self.lookback_days)
        posts: dict[str, dict[str, Any]] = {}
        listed = 0
        args = {"fields": POST_FIELDS, "limit": self.page_size}
        for data in self.client.pages(f"{self.account}/published_posts", args):
            all_old = True
            for item in data:
                created = parse_time(item.get("created_time"))
                updated = parse_time(item.get("updated_time")) if item.get("updated_time") else created
                if created >= cutoff:
                    all_old = False
                if str(item["id"]) in posts:
                    continue
                if max(created, updated) >= cutoff or listed < self.min_posts:
                    posts[str(item["id"])] = item
                listed += 1
            if all_old and listed >= self.min_posts:
                break
        return list(posts.values())

    def _comment(self, item: dict[str, Any], post: dict[str, Any]) -> RemoteComment:
        author = as_dict(item.get("from"))
        parent = as_dict(item.get("parent"))
        hidden = item.get("is_hidden")
        return RemoteComment(
            platform=self.platform,
            account=self.account,
            id=str(item["id"]),
            text=str(item.get("message") or ""),
            created_at=parse_time(item.get("created_time")),
            post_id=str(post["id"]),
            post_text=str(post.get("message") or ""),
            post_url=str(post.get("permalink_url") or ""),
            parent_id=str(parent["id"]) if parent.get("id") else None,
            author_id=str(author.get("id") or ""),
            author_handle="",
            author_name=str(author.get("name") or ""),
            url=str(item.get("permalink_url") or ""),
            hidden=bool(hidden) if hidden is not None else None,
        )

    # ------------------------------------------------------------ state
    def get_state(self, comment_id: str) -> RemoteState:
        try:
            item = self.client.read(comment_id, {"fields": "id,message,is_hidden,created_time"})
        except NotFound:
            return RemoteState(exists=False)
        hidden = item.get("is_hidden")
        return RemoteState(
            exists=True, hidden=bool(hidden) if hidden is not None else None, text=str(item.get("message") or "")
        )

    # ------------------------------------------------------------ access
    def check_access(self) -> AccessReport:
        return graph_access_report(self, f"{self.account}/published_posts")

    def subscribe_webhooks(self) -> AccessReport:
        """Subscribe the Page to the app's ``feed`` webhooks (needs ``pages_manage_metadata``)."""
        from connectors.meta_subscribe import subscribe_page

        return subscribe_page(self.client, self.account, "feed")


def graph_access_report(connector: GraphConnectorBase, read_path: str) -> AccessReport:
    """Check the token, then the permissions to read and to hide; name each missing one."""
    client = connector.client
    missing: list[str] = []
    notes: list[str] = []
    try:
        granted = client.granted_permissions()
    except AuthExpired as exc:
        return AccessReport(
            ok=False,
            can_read=False,
            can_hide=False,
            missing=["a valid access token (it is invalid or expired: re-authorise)"],
            detail=exc.reason,
        )
    except ConnectorError as exc:
        return AccessReport(
            ok=False, can_read=False, can_hide=False, missing=[], detail=f"could not check permissions: {exc}"
        )
    try:
        client.read(read_path, {"limit": "1", "fields": "id"})
        read_ok = True
    except NotFound:
        read_ok = False
        missing.append(f"access to account {connector.account} (the platform says it does not exist)")
    except ConnectorError as exc:
        read_ok = False
        notes.append(f"reading failed: {exc}")
    if granted is None:
        notes.append("the platform did not list this token's permissions; hide permission not verified")
        can_read, can_hide = read_ok, read_ok
    else:
        for perm in (*connector.read_permissions, *connector.hide_permissions):
            if perm not in granted:
                missing.append(perm)
        can_read = read_ok and all(p in granted for p in connector.read_permissions)
        can_hide = can_read and all(p in granted for p in connector.hide_permissions)
    if not read_ok and not missing:
        missing.extend(p for p in connector.read_permissions if p not in missing)
    return AccessReport(
        ok=can_read and can_hide and not missing,
        can_read=can_read,
        can_hide=can_hide,
        missing=missing,
        detail="; ".join(notes),
    )
