"""What the commands that act share: reading a moment or a day as typed, and acting as the `--actor` named.

A command opens the application layer's services once (`safeguarding.service.root.open_services`), turns
`--actor` into the practitioner as the case store knows them now, and calls one use case; the use case
checks what the person may do and what the moment may be (not in the future). Here only the text is read.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Concatenate, ParamSpec, TypeVar

from safeguarding.service.access import Principal
from safeguarding.service.principals import principal_for
from safeguarding.service.root import Services, open_services
from starter.exits import Refused

MOMENT_HELP = "an ISO date and time with its offset, e.g. 2026-11-24T10:15:00+00:00 (or ...Z); not in the future"

P = ParamSpec("P")
T = TypeVar("T")


def add_actor(parser: argparse.ArgumentParser, *names: str, acts: str = "who acts") -> None:
    """Add the option naming who acts: a practitioner id, whose role and team the case store holds."""
    parser.add_argument(
        *(names or ("--actor",)), dest="actor", required=True, metavar="PRACTITIONER_ID", help=f"{acts} (their id)"
    )


async def acting(
    practitioner_id: str,
    use_case: Callable[Concatenate[Services, Principal, P], Awaitable[T]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """Run `use_case` as practitioner `practitioner_id`, over services opened once for this command."""
    async with open_services() as services:
        principal = await principal_for(services, practitioner_id)
        return await use_case(services, principal, *args, **kwargs)


def parse_moment(option: str, text: str) -> datetime:
    """Return the moment `text` names; refuse one that is not ISO or has no time zone.

    A moment without an offset is ambiguous around the clock changes and across machines, so it is
    refused rather than guessed.
    """
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Refused(f"{option} {text!r} is not an ISO date and time (e.g. 2026-11-24T10:15:00+00:00)") from None
    if moment.tzinfo is None:
        raise Refused(f"{option} {text!r} has no time zone: add its offset, e.g. {text}+00:00 or {text}Z")
    return moment


def parse_day(option: str, text: str | None) -> date | None:
    """Return the day `text` names (None for none); refuse one that is not an ISO date."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused(f"{option} {text!r} is not a date such as 2026-11-23") from None


def option_names(*fields: str) -> dict[str, str]:
    """Return the option each request field is typed as: `received_at` as `--received-at`."""
    return {field: "--" + field.replace("_", "-") for field in fields}
