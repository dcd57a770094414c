"""One module per command. Each has ``add_parser(subparsers)`` and ``run(args) -> int``."""
