"""The ``modq`` command line: parse, build the service, make one call, print.

``moderation.cli.assembly`` attaches every command; ``moderation.cli.common`` holds what the commands share
(options, exit codes, the service). ``app`` and ``main`` are the assembled command line.
"""

from moderation.cli.assembly import app, main

__all__ = ["app", "main"]
