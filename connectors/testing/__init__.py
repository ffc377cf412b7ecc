"""Test support shipped with the connectors: a fake Graph API / X API v2 server (``fake_platform``).

Shipped in the package (not under tests/) so the demo can start it on its own:
``python -m connectors.testing.fake_platform --port 8999 --seed-demo``.
"""
