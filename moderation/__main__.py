"""`python -m moderation` runs the modq command line."""

from moderation.cli import main

main()
