"""`python -m starter <command>`: the command line. Each command lives in its own module."""

from __future__ import annotations

import argparse
import atexit
import importlib
import os
import sys
from typing import NoReturn

from safeguarding.text import text_problem
from starter.exits import reader_gone

COMMANDS = (
    "due",
    "run",
    "seed",
    "start",
    "decide",
    "status",
    "case_processes",
    "calendar",
    "demo",
    "lado_report",
    "report",
    "escalation_log",
    "raise_disagreement",
    "token",
    "api",
    "migrate",
    "census",
    "close_case",
    "simulate",
    "keys",
)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command; return its exit code."""
    parser = argparse.ArgumentParser(prog="python -m starter", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"starter.{name}").register(sub)
    args = parser.parse_args(argv)
    for name, value in vars(args).items():
        # What a shell passes in reaches the case store: a control character there would be refused by
        # every write (safeguarding.text), so it is refused here, naming the option, before anything is done.
        if isinstance(value, str) and (problem := text_problem(value)):
            parser.exit(2, f"{parser.prog} {args.command}: {name.replace('_', '-')} {problem}\n")
    return int(args.handler(args) or 0)


def exit_now(code: int) -> NoReturn:
    """Exit with `code` without finalising the interpreter.

    The Temporal client's native threads can crash a short-lived process while Python finalises
    (temporalio/sdk-python#300: "PyGILState_Release"), after the command's work is done. So: flush the
    output, run the exit handlers (the embedded PostgreSQL's among them, which must run), and leave.
    """
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        reader_gone()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    os._exit(code)


def run() -> int:
    """Run `main`; a reader that stopped reading (`... | head`) ends the command quietly, not with a traceback.

    The reader chose to stop: only output nobody reads is lost, so the command exits 0.
    """
    try:
        return main()
    except BrokenPipeError:
        reader_gone()
        return 0


if __name__ == "__main__":
    exit_now(run())
