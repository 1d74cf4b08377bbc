"""How a command ends: its result as JSON on stdout, or one clear line on stderr and an exit code.

Exit 2 means the input was refused and nothing was written (a wrong role, an unknown case, a date in the
future, a duplicate decision, a malformed payload); exit 1 means a server or the worker could not be reached, said
in one line that ends "try again" when the server or case store was down. Lines
carry ids and codes, never a name: personal data stays in the case store (and out of terminal logs).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import to_jsonable_python
from sqlalchemy.exc import SQLAlchemyError
from temporalio.service import RPCError

from safeguarding.service.errors import ServiceError, Unavailable, describe_validation

REFUSED = 2
UNAVAILABLE = 1


class Refused(ValueError):
    """Input the command will not act on; the message says why in one line."""


def finish(
    command: str,
    work: Coroutine[Any, Any, object],
    options: Mapping[str, str] | None = None,
    *,
    render: Callable[[Any], str] | None = None,
) -> int:
    """Run `work`, print its result as indented JSON and return 0, or print why it failed and return 1 or 2.

    `options` names the option each field of the command's request was given by (`received_at`:
    `--received-at`), so a refusal about a field names what the person typed. `render`, when given, prints
    the result as text (a table) instead of JSON.
    """
    try:
        result = asyncio.run(work)
    except ValidationError as exc:
        return _fail(command, describe_validation(exc), REFUSED)
    except Unavailable as exc:
        return _fail(command, exc.reason, UNAVAILABLE)
    except ServiceError as exc:  # the application layer's refusals: invalid, not allowed, not found, conflict
        return _fail(command, _as_typed(exc, options or {}), REFUSED)
    except ValueError as exc:  # Refused, and the project's own input errors (profile, payload keys, rules).
        return _fail(command, " ".join(str(exc).split()), REFUSED)
    except SQLAlchemyError as exc:
        # The driver's message may quote a row's values: only the kind of failure is shown.
        cause = type(getattr(exc, "orig", None) or exc).__name__
        return _fail(command, f"the case store is unavailable ({cause}); try again", UNAVAILABLE)
    except BrokenPipeError:
        raise  # stdout's reader has gone (`... | head`): not an outage; `python -m starter` ends quietly.
    except (RPCError, OSError, RuntimeError) as exc:
        reason = " ".join(str(exc).split())
        return _fail(command, f"Temporal or the case store is unavailable ({reason}); try again", UNAVAILABLE)
    print(render(result) if render else json.dumps(to_jsonable_python(result), indent=2))
    return 0


def reader_gone() -> None:
    """Send what is left of stdout to the null device: its reader has gone (`... | head`), so nothing is lost.

    Without this, the interpreter's last flush of stdout fails again and prints a BrokenPipeError.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _as_typed(exc: ServiceError, options: Mapping[str, str]) -> str:
    """Return the reason, a field that leads it named as the option it was given by."""
    field = exc.field
    if field is not None and field in options and exc.reason.startswith(field):
        return options[field] + exc.reason.removeprefix(field)
    return exc.reason


def _fail(command: str, message: str, code: int) -> int:
    print(f"{command}: {message}", file=sys.stderr)
    return code
