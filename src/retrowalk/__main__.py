"""``python -m retrowalk``."""

from retrowalk.cli import main

main()
