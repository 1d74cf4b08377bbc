"""The facts the indicators count, as the case store holds them, reduced to local dates (Europe/London).

`safeguarding/store/timeliness.py` builds these from the tables; tests and the simulation may build them too.
Ids only: no names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Contact:
    """A contact at the front door (§2) and its first decision (`decide_contact` or `decide_out_of_hours`)."""

    case_id: str
    child_id: str
    team_id: str
    received_at: datetime
    decided_on: date | None
    outcome: str | None


@dataclass(frozen=True)
class Assessment:
    """A child and family assessment (§3): when it started, the referral it came from, when it was authorised."""

    team_id: str
    started_on: date
    referral_on: date
    authorised_on: date


@dataclass(frozen=True)
class InitialConference:
    """An initial child protection conference held (§5), with the dates it may be counted from."""

    team_id: str
    held_on: date
    s47_started_on: date
    first_discussion_on: date
    last_discussion_on: date


@dataclass(frozen=True)
class CpPlan:
    """A child protection plan (§5, §9) and the review conferences held while it lasted."""

    child_id: str
    team_id: str
    started_on: date
    ended_on: date | None
    previous_plans: int
    reviews: tuple[date, ...] = ()


@dataclass(frozen=True)
class Allegation:
    """A LADO allegation (§6): when the LADO was notified and when its outcome was recorded."""

    team_id: str
    notified_on: date
    resolved_on: date


@dataclass(frozen=True)
class FamilyGroupConference:
    """A family group conference (§7): its referral and the day the conference met."""

    team_id: str
    referred_on: date
    conference_on: date


@dataclass(frozen=True)
class Caseload:
    """Everything the report counts, for one census year (and the year before it, for re-referrals)."""

    contacts: tuple[Contact, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    conferences: tuple[InitialConference, ...] = ()
    plans: tuple[CpPlan, ...] = ()
    allegations: tuple[Allegation, ...] = ()
    fgcs: tuple[FamilyGroupConference, ...] = ()
