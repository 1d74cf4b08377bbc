"""What counts as a person's data in the case store, and where to look for it in what Temporal holds.

The tests that check Temporal and the logs hold no personal data read the terms from the case store's people
table itself: every name, date of birth (as ISO and as a person writes it), address and postcode.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.schema import people

POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")


def _dates(day: date) -> list[str]:
    return [day.isoformat(), day.strftime("%d/%m/%Y"), f"{day.day} {day:%B %Y}", f"{day:%Y%m%d}"]


async def personal_terms(sessions: async_sessionmaker[AsyncSession]) -> set[str]:
    """Return the names, dates of birth, addresses and postcodes of everyone in the case store."""
    async with sessions() as session:
        rows = (await session.execute(select(people))).mappings().all()
    terms: set[str] = set()
    for row in rows:
        terms |= {row["given_name"], row["family_name"], f"{row['given_name']} {row['family_name']}"}
        for day in (row["date_of_birth"], row["expected_birth_date"]):
            if day is not None:
                terms |= set(_dates(day))
        if row["address"]:
            terms.add(row["address"])
            terms |= set(POSTCODE.findall(row["address"]))
    assert rows and terms, "the case store holds nobody: there is nothing to look for"
    return {term for term in terms if term}


def readable_texts(value: Any) -> Iterator[str]:
    """Yield every text in a JSON document: each string, or for one in base64 (a payload's data or metadata)
    the text it holds. Base64 of binary (ciphertext) holds no text, and is not searched: at random, its
    letters would spell a short name sooner or later."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from readable_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from readable_texts(item)
    elif isinstance(value, str):
        try:
            decoded = base64.b64decode(value, validate=True)
        except binascii.Error:
            yield value
            return
        try:
            yield decoded.decode("utf-8")
        except UnicodeDecodeError:
            return


def _pattern(term: str) -> re.Pattern[str]:
    """Match `term` as a whole word: "Jo" is a name, the start of "JointVisit" is not."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])")


def found(terms: set[str], texts: list[str]) -> dict[str, str]:
    """Return each term found in `texts`, with a little of the text around it (for the failure message)."""
    hits: dict[str, str] = {}
    patterns = {term: _pattern(term) for term in terms}
    for text in texts:
        for term, pattern in patterns.items():
            match = pattern.search(text)
            if match and term not in hits:
                hits[term] = text[max(0, match.start() - 60) : match.end() + 60]
    return hits
