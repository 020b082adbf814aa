"""Command line: ``python -m geo <command>``. See ``python -m geo --help``."""

from geo.cli import main

raise SystemExit(main())
