"""Census codes a person chooses several of: each code once, and the code that means "none" only alone.

A child's disabilities (`codes.Disability`: NONE alone when they have none; validator rule 8540) and the
factors an assessment identified (`codes.AssessmentFactor`: 21 alone when none were; rule 8869) are lists
the Children in Need census returns (statutory-rules.md §9). A list that repeats a code, or gives "none"
beside something, is refused where it is given, so the census never has to choose between them.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, TypeVar

from pydantic import AfterValidator, Field

from safeguarding.codes import AssessmentFactor, Disability

Code = TypeVar("Code", bound=StrEnum)


def _each_once_none_alone(none: Code) -> Callable[[tuple[Code, ...]], tuple[Code, ...]]:
    """Return a check of a list of codes: no code twice, and `none` only as the one code."""

    def check(codes: tuple[Code, ...]) -> tuple[Code, ...]:
        repeated = sorted({str(code) for code in codes if codes.count(code) > 1})
        if repeated:
            raise ValueError(f"each code once: {', '.join(repeated)} is given more than once")
        if none in codes and len(codes) > 1:
            raise ValueError(f"{none} ({none.name.lower().replace('_', ' ')}) is given alone, or not at all")
        return codes

    return check


Disabilities = Annotated[
    tuple[Disability, ...],
    Field(min_length=1, max_length=len(Disability)),
    AfterValidator(_each_once_none_alone(Disability.NONE)),
]
"""A child's disabilities as the census codes them: one or more, or NONE alone."""

AssessmentFactors = Annotated[
    tuple[AssessmentFactor, ...],
    Field(min_length=1, max_length=len(AssessmentFactor)),
    AfterValidator(_each_once_none_alone(AssessmentFactor.NO_FACTORS_IDENTIFIED)),
]
"""The factors an assessment identified, as the census codes them: one or more, or 21 (none identified) alone."""
