"""Subscribing a Page to the app's webhooks: ``POST /{page-id}/subscribed_apps`` with ``subscribed_fields``.

Facebook Pages subscribe to ``feed`` (comment changes arrive as feed changes). Instagram comments arrive through
the app's ``instagram`` subscription (set in the App Dashboard) for accounts whose linked Page has the app
installed, which the same call does for that Page (the account's ``page_id`` setting).
"""

from __future__ import annotations

from typing import Any

from moderation.ports import AccessReport, AuthExpired, ConnectorError, PermissionMissing

NEEDED = "pages_manage_metadata"


def subscribe_page(client: Any, page_id: str, fields: str = "feed") -> AccessReport:
    """Subscribe; say exactly which permission is missing when the platform refuses."""
    missing: list[str] = []
    try:
        granted = client.granted_permissions()
    except AuthExpired as exc:
        return AccessReport(
            ok=False, can_read=False, can_hide=False, missing=["a valid access token"], detail=exc.reason
        )
    except ConnectorError:
        granted = None
    if granted is not None and NEEDED not in granted:
        missing.append(NEEDED)
    try:
        result = client.call(f"{page_id}/subscribed_apps", post_args={"subscribed_fields": fields})
    except PermissionMissing as exc:
        return AccessReport(ok=False, can_read=True, can_hide=True, missing=missing or [NEEDED], detail=exc.reason)
    except ConnectorError as exc:
        return AccessReport(ok=False, can_read=True, can_hide=True, missing=missing, detail=str(exc))
    ok = bool(result.get("success"))
    detail = f"page {page_id} subscribed to '{fields}'" if ok else f"the platform answered {result!r}"
    return AccessReport(ok=ok, can_read=True, can_hide=True, missing=missing, detail=detail)
