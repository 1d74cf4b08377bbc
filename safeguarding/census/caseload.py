"""What the census needs from the case store, read in a few queries into plain records (statutory-rules.md §9).

Everything is read as it stands; `episodes` then keeps what happened by the reference date, so a return for
an earlier year does not see what came after it. Times become dates in England (`local_date`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import REFERRAL_OUTCOMES, CaseKind, Process, ReferralRoute
from safeguarding.commands.front_door import front_door_id
from safeguarding.schema import (
    assessment_findings,
    cases,
    contacts,
    deadlines,
    decisions,
    people,
    plans,
    pre_proceedings,
    process_records,
)
from safeguarding.working_days import local_date

CENSUS_PROCESSES = (Process.ASSESSMENT, Process.S47_ENQUIRY, Process.INITIAL_CONFERENCE)
"""The processes whose records the census reads, besides the front door's and the plans register."""
CENSUS_DECISIONS = ("authorise", "conclude_enquiry", "decide_conference", "decide_review")
"""The decisions whose dates are census items: assessment authorised, s47 concluded, ICPC held, CP review held."""

CHILD_ITEMS = (
    "date_of_birth",
    "expected_birth_date",
    "date_of_death",
    "sex",
    "ethnicity",
    "upn",
    "former_upn",
    "upn_unknown",
    "disabilities",
)


@dataclass(frozen=True)
class Child:
    """A child's identifiers and characteristics (census ChildIdentifiers, ChildCharacteristics)."""

    person_id: str
    date_of_birth: date | None
    expected_birth_date: date | None
    date_of_death: date | None
    sex: str | None
    ethnicity: str | None
    upn: str | None
    former_upn: str | None
    upn_unknown: str | None
    disabilities: tuple[str, ...] | None


@dataclass(frozen=True)
class Referral:
    """A contact the front door decided on (§2), or a referral a direct start recorded (`ReferralRoute.DIRECT`).

    A direct referral is accepted as it is recorded: it has no outcome of its own and is decided the day it came.
    """

    case_id: str
    contact_id: str
    received_on: date
    referral_source: str | None
    decided_on: date
    outcome: str | None
    how: str = ReferralRoute.FRONT_DOOR

    @property
    def is_referral(self) -> bool:
        """Whether it went on to children's social care: every direct one; a contact the front door referred."""
        return self.how == ReferralRoute.DIRECT or self.outcome in REFERRAL_OUTCOMES


@dataclass(frozen=True)
class ProcessRecord:
    """One run of a process on the case, with the dates of the decisions the census counts."""

    workflow_id: str
    process: str
    started_on: date
    closed_on: date | None
    outcome: str | None
    decided_on: dict[str, list[date]] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """A CIN or CP plan of the child (the plans register)."""

    workflow_id: str
    kind: str
    started_on: date
    ended_on: date | None
    category: str | None
    latest_category: str | None
    previous_plans: int


@dataclass(frozen=True)
class Finding:
    """What an authorised assessment found: the primary need and the factors."""

    primary_need: str
    factors: tuple[str, ...]


@dataclass(frozen=True)
class PreProceedings:
    """A pre-proceedings period and its family group decision-making offer."""

    started_on: date
    letter_before_proceedings_on: date | None
    fgdm_offered: bool | None
    fgdm_facilitated: bool | None
    initial_meeting_on: date | None
    review_meetings: int | None
    decided_on: date | None
    court_application_on: date | None


@dataclass
class ChildCase:
    """Everything the census reads about one child, over all their cases (a closed case is not reopened: a
    child referred again after it closed has a new case)."""

    child: Child
    closures: dict[str, tuple[date, str | None]] = field(default_factory=dict)
    """Each closed case's closure day and reason, by case id."""
    referrals: list[Referral] = field(default_factory=list)
    processes: list[ProcessRecord] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    findings: dict[str, Finding] = field(default_factory=dict)
    """By assessment workflow id."""
    icpc_targets: dict[str, date] = field(default_factory=dict)
    """The ICPC target date (rule `icpc`, §5) by initial conference workflow id."""
    pre_proceedings: list[PreProceedings] = field(default_factory=list)


async def read_caseload(*, session: AsyncSession, child_id: str | None = None) -> list[ChildCase]:
    """Return every child with a case (or only `child_id`), with what the census needs from their cases, in child
    id order."""
    found = await _cases(session, child_id)
    only = None if child_id is None else list(found)
    await _referrals(found, only, session)
    await _processes(found, only, session)
    await _plans(found, only, session)
    await _findings(found, only, session)
    await _icpc_targets(found, only, session)
    await _pre_proceedings(found, only, session)
    children = {id(case): case for case in found.values()}
    return sorted(children.values(), key=lambda case: case.child.person_id)


def _of(query: Select[Any], column: ColumnElement[str], only: list[str] | None) -> Select[Any]:
    """The query, kept to the cases `only` names when it names some (one child's)."""
    return query if only is None else query.where(column.in_(only))


async def _cases(session: AsyncSession, child_id: str | None) -> dict[str, ChildCase]:
    """Each child case's child, by case id (a child's cases share one record)."""
    query = (
        select(
            cases.c.id,
            cases.c.closed_at,
            cases.c.closure_reason,
            people.c.id.label("person_id"),
            *(people.c[name] for name in CHILD_ITEMS),
        )
        .join(people, people.c.id == cases.c.child_id)
        .where(cases.c.kind == str(CaseKind.CHILD))
    )
    if child_id is not None:
        query = query.where(people.c.id == child_id)
    found: dict[str, ChildCase] = {}
    by_child: dict[str, ChildCase] = {}
    for row in (await session.execute(query)).mappings():
        child = Child(
            person_id=row["person_id"],
            date_of_birth=row["date_of_birth"],
            expected_birth_date=row["expected_birth_date"],
            date_of_death=row["date_of_death"],
            sex=row["sex"],
            ethnicity=row["ethnicity"],
            upn=row["upn"],
            former_upn=row["former_upn"],
            upn_unknown=row["upn_unknown"],
            disabilities=None if row["disabilities"] is None else tuple(row["disabilities"]),
        )
        record = by_child.setdefault(child.person_id, ChildCase(child=child))
        if row["closed_at"] is not None:
            record.closures[row["id"]] = (local_date(row["closed_at"]), row["closure_reason"])
        found[row["id"]] = record
    return found


async def _referrals(found: dict[str, ChildCase], only: list[str] | None, session: AsyncSession) -> None:
    """Contacts the front door has decided on, and the referrals direct starts recorded, in the order they came."""
    direct = contacts.c.how == str(ReferralRoute.DIRECT)
    decided = and_(process_records.c.outcome.is_not(None), process_records.c.closed_at.is_not(None))
    query = (
        select(contacts.c.id, contacts.c.case_id, contacts.c.received_at, contacts.c.referral_source, contacts.c.how)
        .add_columns(process_records.c.outcome, process_records.c.closed_at)
        .outerjoin(process_records, process_records.c.workflow_id == _front_door_id_column())
        .where(or_(direct, decided))
        .order_by(contacts.c.received_at, contacts.c.id)
    )
    for row in (await session.execute(_of(query, contacts.c.case_id, only))).mappings():
        if (case := found.get(row["case_id"])) is not None:
            received_on = local_date(row["received_at"])
            is_direct = row["how"] == ReferralRoute.DIRECT
            case.referrals.append(
                Referral(
                    case_id=row["case_id"],
                    contact_id=row["id"],
                    received_on=received_on,
                    referral_source=row["referral_source"],
                    decided_on=received_on if is_direct else local_date(row["closed_at"]),
                    outcome=None if is_direct else row["outcome"],
                    how=row["how"],
                )
            )


def _front_door_id_column() -> ColumnElement[str]:
    """The front door's workflow id of each contact, as SQL (`front_door_id`)."""
    return func.concat(front_door_id(""), contacts.c.id)


async def _processes(found: dict[str, ChildCase], only: list[str] | None, session: AsyncSession) -> None:
    made: dict[str, dict[str, list[date]]] = defaultdict(lambda: defaultdict(list))
    chosen = select(decisions.c.workflow_id, decisions.c.decision, decisions.c.effective_at).where(
        decisions.c.decision.in_(CENSUS_DECISIONS)
    )
    chosen = _of(chosen, decisions.c.case_id, only)
    for row in (await session.execute(chosen.order_by(decisions.c.effective_at, decisions.c.id))).mappings():
        made[row["workflow_id"]][row["decision"]].append(local_date(row["effective_at"]))
    query = (
        select(process_records)
        .where(process_records.c.process.in_([str(p) for p in (*CENSUS_PROCESSES, Process.CP_PLAN)]))
        .order_by(process_records.c.started_at, process_records.c.workflow_id)
    )
    for row in (await session.execute(_of(query, process_records.c.case_id, only))).mappings():
        if (case := found.get(row["case_id"])) is not None:
            closed_at = row["closed_at"]
            case.processes.append(
                ProcessRecord(
                    workflow_id=row["workflow_id"],
                    process=row["process"],
                    started_on=local_date(row["started_at"]),
                    closed_on=None if closed_at is None else local_date(closed_at),
                    outcome=row["outcome"],
                    decided_on=dict(made.get(row["workflow_id"], {})),
                )
            )


async def _plans(found: dict[str, ChildCase], only: list[str] | None, session: AsyncSession) -> None:
    query = select(plans).order_by(plans.c.started_on, plans.c.id)
    for row in (await session.execute(_of(query, plans.c.case_id, only))).mappings():
        if (case := found.get(row["case_id"])) is not None:
            case.plans.append(
                Plan(
                    workflow_id=row["workflow_id"],
                    kind=row["kind"],
                    started_on=row["started_on"],
                    ended_on=row["ended_on"],
                    category=row["category"],
                    latest_category=row["latest_category"],
                    previous_plans=row["previous_plans"],
                )
            )


async def _findings(found: dict[str, ChildCase], only: list[str] | None, session: AsyncSession) -> None:
    query = _of(select(assessment_findings), assessment_findings.c.case_id, only)
    for row in (await session.execute(query)).mappings():
        if (case := found.get(row["case_id"])) is not None:
            case.findings[row["workflow_id"]] = Finding(row["primary_need"], tuple(row["factors"]))


async def _icpc_targets(found: dict[str, ChildCase], only: list[str] | None, session: AsyncSession) -> None:
    query = select(deadlines.c.case_id, deadlines.c.workflow_id, deadlines.c.due_date).where(
        deadlines.c.rule_id == "icpc"
    )
    for row in (await session.execute(_of(query, deadlines.c.case_id, only))).mappings():
        if (case := found.get(row["case_id"])) is not None:
            case.icpc_targets[row["workflow_id"]] = row["due_date"]


async def _pre_proceedings(found: dict[str, ChildCase], only: list[str] | None, session: AsyncSession) -> None:
    query = select(pre_proceedings).order_by(pre_proceedings.c.started_on, pre_proceedings.c.id)
    for row in (await session.execute(_of(query, pre_proceedings.c.case_id, only))).mappings():
        if (case := found.get(row["case_id"])) is not None:
            case.pre_proceedings.append(
                PreProceedings(
                    started_on=row["started_on"],
                    letter_before_proceedings_on=row["letter_before_proceedings_on"],
                    fgdm_offered=row["fgdm_offered"],
                    fgdm_facilitated=row["fgdm_facilitated"],
                    initial_meeting_on=row["initial_meeting_on"],
                    review_meetings=row["review_meetings"],
                    decided_on=row["decided_on"],
                    court_application_on=row["court_application_on"],
                )
            )
