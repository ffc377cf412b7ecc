"""Find and build connectors through the ``modq.connectors`` entry point group, so a platform is a plug-in.

A new platform ships a class taking ``(config: AccountConfig)`` and declares it in its own package::

    [project.entry-points."modq.connectors"]
    mastodon = "modq_mastodon:MastodonConnector"

The bootstrap calls ``make_connector(config)``; nothing else in the engine names a platform's module.
"""

from __future__ import annotations

import functools
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from moderation.ports import AccountConfig, Connector, Permanent

GROUP = "modq.connectors"


@functools.cache  # installed packages do not change while the process runs; scanning them costs milliseconds
def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def available_platforms() -> list[str]:
    """Names of every installed connector, sorted."""
    return sorted(_entry_points())


def make_connector(config: AccountConfig, **kwargs: Any) -> Connector:
    """Build the connector for ``config.platform``.

    Args:
        config: the account; ``config.platform`` names the entry point.
        kwargs: passed through to the connector (tests pass ``clock=`` and ``sleep=``).

    Raises:
        Permanent: no connector is installed for the platform, or it does not load.
    """
    found = _entry_points().get(config.platform)
    if found is None:
        raise Permanent(
            f"no connector for platform {config.platform!r}; installed: {', '.join(available_platforms()) or 'none'}"
        )
    try:
        cls = found.load()
    except Exception as exc:  # a broken plug-in must not take the engine down with an ImportError
        raise Permanent(f"the {config.platform!r} connector failed to load: {type(exc).__name__}: {exc}") from None
    connector = cls(config, **kwargs)
    if not isinstance(connector, Connector):
        raise Permanent(f"the {config.platform!r} connector does not implement the Connector port")
    return connector
