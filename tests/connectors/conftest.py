"""Connector test fixtures; the harnesses live in ``connector_harness`` (a unique module name on sys.path)."""

from connector_harness import clock, fake, fresh_account_memory, harness, http_harness  # noqa: F401 - fixtures
