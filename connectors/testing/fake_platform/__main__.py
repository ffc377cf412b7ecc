"""``python -m connectors.testing.fake_platform``: the fake platform as a standalone server."""

from connectors.testing.fake_platform.server import main

main()
