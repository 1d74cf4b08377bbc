"""Finding a person by name and date of birth, best match first, so a child already known is not recorded twice.

A date of birth is the strongest key, names are often spelled several ways, and the commonest typing mistakes
in a date are a day and month swapped (a date read the American way) and a year off by one. So candidates come
in this order (`MatchKind`), and by family name, given name and id within each:

1. exact: the same date and the same names;
2. similar names: the same date, each name the start of the other (Sam and Samantha), letter case ignored;
3. day and month swapped: the same names, the date's day and month the other way round;
4. year off by one: the same names, the same day and month a year before or after;
5. no date recorded: the same names, and the person's date of birth is not known.

"The same date" is the date of birth, or an unborn child's expected date. Names are compared without regard
to letter case, both sides lowered by the case store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import RowMapping, and_, case, false, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import people
from safeguarding.store.people import visible_to_team


class MatchKind(StrEnum):
    """How a candidate matches the search, best first (the order of the results)."""

    EXACT = "exact"
    SIMILAR_NAMES = "similar_names"
    DAY_MONTH_SWAPPED = "day_month_swapped"
    YEAR_OFF_BY_ONE = "year_off_by_one"
    NO_DATE_RECORDED = "no_date_recorded"


async def search_people(
    given_name: str,
    family_name: str,
    on: date,
    *,
    team_id: str | None,
    limit: int,
    offset: int,
    session: AsyncSession,
) -> tuple[Sequence[RowMapping], int]:
    """Return one page of candidates (person columns and `match`) and how many there are in all.

    With `team_id`, only people on that team's cases or on no case are candidates (a team-bound reader).
    """
    given, family = func.lower(given_name), func.lower(family_name)
    same_names = and_(func.lower(people.c.given_name) == given, func.lower(people.c.family_name) == family)
    similar_names = and_(_similar(people.c.given_name, given), _similar(people.c.family_name, family))
    tiers = (
        (MatchKind.EXACT, and_(_born_on([on]), same_names)),
        (MatchKind.SIMILAR_NAMES, and_(_born_on([on]), similar_names)),
        (MatchKind.DAY_MONTH_SWAPPED, and_(_born_on(_swapped(on)), same_names)),
        (MatchKind.YEAR_OFF_BY_ONE, and_(_born_on(_years_either_side(on)), same_names)),
        (
            MatchKind.NO_DATE_RECORDED,
            and_(people.c.date_of_birth.is_(None), people.c.expected_birth_date.is_(None), same_names),
        ),
    )
    rank = case(*((condition, literal(number)) for number, (_, condition) in enumerate(tiers)))
    match = case(*((condition, literal(kind.value)) for kind, condition in tiers))
    conditions = [rank.is_not(None)]
    if team_id is not None:
        conditions.append(visible_to_team(team_id))
    total = await session.scalar(select(func.count()).select_from(people).where(*conditions))
    query = (
        select(people, match.label("match"))
        .where(*conditions)
        .order_by(rank, func.lower(people.c.family_name), func.lower(people.c.given_name), people.c.id)
        .limit(limit)
        .offset(offset)
    )
    return (await session.execute(query)).mappings().all(), total or 0


def _similar(column: Any, name: Any) -> Any:
    lowered = func.lower(column)
    return or_(func.starts_with(lowered, name), func.starts_with(name, lowered))


def _born_on(days: list[date]) -> Any:
    if not days:
        return false()
    return or_(people.c.date_of_birth.in_(days), people.c.expected_birth_date.in_(days))


def _swapped(on: date) -> list[date]:
    """Return `on` with its day and month the other way round, if that is another real date."""
    if on.day == on.month or on.day > 12:
        return []
    return [date(on.year, on.day, on.month)]


def _years_either_side(on: date) -> list[date]:
    days = []
    for year in (on.year - 1, on.year + 1):
        try:
            days.append(on.replace(year=year))
        except ValueError:  # 29 February in a year that has none
            continue
    return days
