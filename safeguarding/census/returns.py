"""The census return as the DfE's modules: a child, their CIN episodes and what happened in each (§9).

Plain values only (dates and codes), built by `episodes` and written by `xml_return`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from safeguarding.census.caseload import Child, PreProceedings


@dataclass(frozen=True)
class Assessment:
    """A child and family assessment: its start, its authorisation (its completion) and the factors found."""

    started_on: date
    authorised_on: date | None
    factors: tuple[str, ...]


@dataclass(frozen=True)
class Section47:
    """A section 47 enquiry with its initial conference (or the decision that none is needed)."""

    started_on: date
    icpc_target: date | None
    icpc_on: date | None
    icpc_not_required: bool


@dataclass(frozen=True)
class ProtectionPlan:
    """A child protection plan with its categories, the child's earlier plans and its review conferences."""

    started_on: date
    ended_on: date | None
    initial_category: str | None
    latest_category: str | None
    previous_plans: int
    reviews: tuple[date, ...]


@dataclass
class Episode:
    """One CIN episode (CINdetails): from a referral to its closure, or open at the reference date."""

    referral_on: date
    referral_source: str | None
    primary_need: str
    closure_on: date | None = None
    closure_reason: str | None = None
    icpc_without_s47: date | None = None
    assessments: list[Assessment] = field(default_factory=list)
    cin_plans: list[tuple[date, date | None]] = field(default_factory=list)
    enquiries: list[Section47] = field(default_factory=list)
    protection_plans: list[ProtectionPlan] = field(default_factory=list)
    pre_proceedings: list[PreProceedings] = field(default_factory=list)


@dataclass(frozen=True)
class CensusChild:
    """A child in the return: identifiers, characteristics and their episodes in the census year."""

    la_child_id: str
    child: Child
    episodes: tuple[Episode, ...]
