"""A census year and the DfE specification a return follows (statutory-rules.md §9).

The census year `2026` runs from 1 April 2026 to 31 March 2027; the reference date is its last day, and the
header's `Year` is the year of the reference date (the validator's rule 100: ReferenceDate is 31 March of
Year). Each year has its own DfE specification; a return for one year may be written to the next year's
(`--spec`), for testing software against it before the collection opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class CensusSpec(StrEnum):
    """The DfE specifications this export follows: 2026/27 adds the pre-proceedings and FGDM block."""

    CIN_2025_26 = "2025_26"
    CIN_2026_27 = "2026_27"

    @property
    def has_pre_proceedings(self) -> bool:
        """Whether the specification has the PreProceedingsandFGDM block (from 2026/27)."""
        return self is CensusSpec.CIN_2026_27


SPEC_OF_YEAR: dict[int, CensusSpec] = {2025: CensusSpec.CIN_2025_26, 2026: CensusSpec.CIN_2026_27}
"""The specification of each census year this export knows (keyed by the year the census year starts)."""


@dataclass(frozen=True)
class CensusYear:
    """The Children in Need census year `year`/`year + 1`: 1 April to 31 March, reference date 31 March (§9)."""

    year: int

    @property
    def first_day(self) -> date:
        """1 April of `year`."""
        return date(self.year, 4, 1)

    @property
    def reference_date(self) -> date:
        """31 March of the next year: the census's reference date and the year's last day."""
        return date(self.year + 1, 3, 31)

    @property
    def label(self) -> str:
        """The year as the DfE writes it, e.g. 2027/28."""
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    def holds(self, day: date) -> bool:
        """Return whether `day` falls in the census year."""
        return self.first_day <= day <= self.reference_date

    @classmethod
    def of(cls, day: date) -> CensusYear:
        """Return the census year `day` falls in."""
        return cls(day.year if day.month >= 4 else day.year - 1)


@dataclass(frozen=True)
class CensusPeriod(CensusYear):
    """The census year starting on 1 April of `year`, and the specification its return follows."""

    spec: CensusSpec

    @property
    def header_year(self) -> int:
        """The header's `Year`: the year of the reference date."""
        return self.year + 1

    def within(self, day: date | None) -> bool:
        """Whether `day` is known and falls in the census year."""
        return day is not None and self.holds(day)
