"""``python -m audiobook`` runs the CLI."""

from audiobook.cli import main

main()
