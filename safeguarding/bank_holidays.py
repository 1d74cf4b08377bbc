"""Build `WorkingCalendar` snapshots from the `holidays` package (UK, subdivision ENG).

statutory-rules.md §1: working days exclude the bank and public holidays of England and Wales,
including substitute days and one-off days. The `holidays` package reproduces the official list; a
day announced after the installed release is recorded in the case store (`calendar announce`) and added by
`safeguarding/calendar_source.py`; either changes the snapshot's version, and running cases take it through
the `apply_calendar` update (see `workflows/_deadline_watch.py`). Local closure days come from the procedure
profile (or an announcement) and are marked as local, never mixed with the national list.

Not imported by workflows: a workflow receives the snapshot as data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

import holidays

from safeguarding.working_days import ClosedDay, WorkingCalendar

FIRST_YEAR = 2015
YEARS_AHEAD = 12


def england_and_wales_calendar(
    *, today: date, local_closures: dict[date, str] | None = None, announced: Sequence[ClosedDay] = ()
) -> WorkingCalendar:
    """Return the calendar of bank holidays from 2015 to twelve years past `today`, plus local closures.

    Twelve years ahead covers the longest clock a process keeps (LADO record retention is computed from
    dates, not working days, so it needs none). An `announced` day the package or the profile already
    closes is left out, so each closed day is named once.
    """
    days = list(_national(today.year + YEARS_AHEAD))
    days += [ClosedDay(day=d, name=name, local=True) for d, name in (local_closures or {}).items()]
    closed = {c.day for c in days}
    days += [c for c in announced if c.day not in closed]
    return WorkingCalendar.of(days)


@lru_cache(maxsize=4)
def _national(last_year: int) -> tuple[ClosedDay, ...]:
    """Return the package's bank holidays from `FIRST_YEAR` to `last_year`.

    Kept once per process: the list depends only on the installed package, and building it takes
    milliseconds that every process start and calendar load would otherwise pay again.
    """
    national = holidays.UK(subdiv="ENG", years=range(FIRST_YEAR, last_year + 1))
    return tuple(ClosedDay(day=d, name=str(name)) for d, name in national.items())
