"""How a command ends: its result as JSON on stdout, or one clear line on stderr and an exit code.

Exit 2 means the input was refused and nothing was written (a wrong role, an unknown case, a date in the
future, a duplicate decision, a malformed payload); exit 1 means a server or the worker could not be reached. Lines
carry ids and codes, never a name: personal data stays in the case store (and out of terminal logs).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Coroutine
from typing import Any

from pydantic import ValidationError
from pydantic_core import to_jsonable_python
from sqlalchemy.exc import SQLAlchemyError
from temporalio.service import RPCError

from safeguarding.service.errors import ServiceError
from safeguarding.service.errors import Unavailable as ServiceUnavailable

REFUSED = 2
UNAVAILABLE = 1


class Refused(ValueError):
    """Input the command will not act on; the message says why in one line."""


class Unavailable(RuntimeError):
    """A server or the worker did not answer; the message says which, and what happens to what was sent."""


def finish(command: str, work: Coroutine[Any, Any, object]) -> int:
    """Run `work`, print its result as indented JSON and return 0, or print why it failed and return 1 or 2."""
    try:
        result = asyncio.run(work)
    except ValidationError as exc:
        return _fail(command, describe_validation(exc), REFUSED)
    except ServiceUnavailable as exc:
        return _fail(command, exc.reason, UNAVAILABLE)
    except ServiceError as exc:  # the application layer's refusals: invalid, not allowed, not found, conflict
        return _fail(command, exc.reason, REFUSED)
    except ValueError as exc:  # Refused, and the project's own input errors (profile, payload keys, rules).
        return _fail(command, " ".join(str(exc).split()), REFUSED)
    except Unavailable as exc:
        return _fail(command, str(exc), UNAVAILABLE)
    except SQLAlchemyError as exc:
        # The driver's message may quote a row's values: only the kind of failure is shown.
        cause = type(getattr(exc, "orig", None) or exc).__name__
        return _fail(command, f"the case store is unavailable ({cause})", UNAVAILABLE)
    except BrokenPipeError:
        raise  # stdout's reader has gone (`... | head`): not an outage; `python -m starter` ends quietly.
    except (RPCError, OSError, RuntimeError) as exc:
        return _fail(command, f"Temporal or the case store is unavailable: {' '.join(str(exc).split())}", UNAVAILABLE)
    print(json.dumps(to_jsonable_python(result), indent=2))
    return 0


def reader_gone() -> None:
    """Send what is left of stdout to the null device: its reader has gone (`... | head`), so nothing is lost.

    Without this, the interpreter's last flush of stdout fails again and prints a BrokenPipeError.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def describe_validation(exc: ValidationError) -> str:
    """Return a model's validation errors on one line, each led by the field it concerns."""
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or exc.title}: {error['msg']}" for error in exc.errors()
    )


def _fail(command: str, message: str, code: int) -> int:
    print(f"{command}: {message}", file=sys.stderr)
    return code
