"""The census year, the working-day count the indicators share, and the shape of one indicator.

Working days (statutory-rules.md §1): Monday to Friday except the bank holidays of England and Wales,
including one-off days announced since the `holidays` release. Local office closures are left out of the
count, as national reporting leaves them out (§1), so every indicator counts on the national days only.

Counting convention (§1, and the DfE's published bands): the start day is day 0 and a period of N working
days ends on the N-th working day after it; a start on a non-working day makes the next working day day 1.
A duration is therefore the number of working days after the start, up to and including the end: an
assessment authorised the day it started lasts 0 working days, the DfE's "started and finished the same
day" band. The DfE's census validator counts the start day as day 1 (its 45th working day is one earlier
than ours); the indicators here follow the published statistics, not the validator.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from safeguarding.working_days import WorkingCalendar, is_working_day

Convention = Literal["dfe", "ours"]


@dataclass(frozen=True)
class Band:
    """A band of a count, `low` to `high` inclusive (`high` None: no upper limit)."""

    label: str
    low: int
    high: int | None = None

    def holds(self, value: int) -> bool:
        """Return whether `value` falls in this band."""
        return value >= self.low and (self.high is None or value <= self.high)


class BandCount(BaseModel):
    """How many fell in one band."""

    label: str
    count: int


class Indicator(BaseModel):
    """One indicator: numerator of denominator, its bands, and what it means and where it comes from."""

    key: str
    title: str
    convention: Convention = Field(description="dfe: the DfE's definition; ours: our rule, where it differs.")
    definition: str = Field(description="One line: who is counted, and what counts as in time.")
    source: str = Field(description="The DfE publication or the statutory-rules.md section it follows.")
    differs: str | None = Field(default=None, description="Where ours differs from the DfE's, and how.")
    numerator: int
    denominator: int
    share: float | None = Field(description="numerator / denominator to 3 places; None when nothing is counted.")
    bands: list[BandCount]


def national_days(calendar: WorkingCalendar) -> WorkingCalendar:
    """Return `calendar` without its local closures: national reporting does not exclude them (§1)."""
    return WorkingCalendar.of([c for c in calendar.closed_days if not c.local])


def working_days_between(start: date, end: date, calendar: WorkingCalendar) -> int:
    """Return the working days after `start`, up to and including `end` (start is day 0; §1).

    An end before the start is a data fault the caller must not hide, so it raises.
    """
    if end < start:
        raise ValueError(f"an end on {end} is before its start on {start}")
    return sum(
        1 for n in range(1, (end - start).days + 1) if is_working_day(date.fromordinal(start.toordinal() + n), calendar)
    )


def count_bands(values: Iterable[int], bands: Sequence[Band]) -> list[BandCount]:
    """Return how many `values` fall in each band, in the bands' order."""
    counts = [0] * len(bands)
    for value in values:
        index = next((i for i, band in enumerate(bands) if band.holds(value)), None)
        if index is None:
            raise ValueError(f"{value} falls in none of the bands {[band.label for band in bands]}")
        counts[index] += 1
    return [BandCount(label=band.label, count=count) for band, count in zip(bands, counts, strict=True)]


def share(numerator: int, denominator: int) -> float | None:
    """Return the share to 3 places, or None when nothing is counted."""
    return round(numerator / denominator, 3) if denominator else None
