"""`python -m starter <command>`: the command line. Each command lives in its own module."""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ("due", "run", "seed", "start", "decide", "status", "calendar", "demo")


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command; return its exit code."""
    parser = argparse.ArgumentParser(prog="python -m starter", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"starter.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"starter.{name}":
                raise
            continue
        module.register(sub)
    args = parser.parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
