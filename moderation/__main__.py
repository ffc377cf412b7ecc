"""`python -m moderation` runs the modq command line."""

from moderation.cli.assembly import main

main()
