"""Turn a stored account into a live connector: resolve its token (environment or system keyring)
and build the platform's connector from the ``modq.connectors`` entry points.

Tokens are read at the moment of use and never stored in the database, logs or reports.
"""

from __future__ import annotations

import json
import os
from typing import Any

from moderation.domain import ConfigError
from moderation.ports import AccountConfig, Connector


def resolve_token(account: Any) -> str:
    name = getattr(account, "token_env", None)
    if name:
        value = os.environ.get(name)
        if value:
            return value
    try:
        import keyring

        stored = keyring.get_password("modq", f"{account.platform}:{account.external_id}")
        if stored:
            return stored
    except Exception:  # keyring back-ends vary; no keyring simply means no token from it
        pass
    if name:
        raise ConfigError(f"the token variable {name} is not set for account {account.external_id}")
    return ""


def account_config(account: Any) -> AccountConfig:
    settings = json.loads(account.settings or "{}") if isinstance(account.settings, str) else dict(account.settings)
    return AccountConfig(
        platform=account.platform,
        external_id=account.external_id,
        name=account.name,
        token=resolve_token(account),
        api_base=account.api_base,
        settings={str(k): str(v) for k, v in settings.items()},
    )


def connector_for(account: Any) -> Connector:
    from connectors.registry import make_connector

    config = account_config(account)
    # An account may be served by another connector than its platform's (the demo uses "replay").
    kind = config.settings.get("connector")
    if kind and kind != config.platform:
        from dataclasses import replace

        return make_connector(replace(config, platform=kind))
    return make_connector(config)
