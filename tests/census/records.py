"""Hand-built case records for census tests: what the processes write, written straight to the real case store.

Each helper writes the rows a process leaves behind (its record, its decisions, a plan, a deadline), keyed
as the processes key them, at 10:00 in England on the day given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import ContactOutcome, PlanKind, Process, Role
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
from safeguarding.working_days import LONDON
from tests.factories import new_id


def at(day: date) -> datetime:
    """10:00 in England on `day`."""
    return datetime.combine(day, time(10, 0), tzinfo=LONDON)


async def characterise(session: AsyncSession, person_id: str, **items: object) -> None:
    """Record a child's census characteristics (sex, ethnicity, upn_unknown, disabilities, ...)."""
    await session.execute(update(people).where(people.c.id == person_id).values(**items))


async def referral(
    session: AsyncSession, case_id: str, team_id: str, on: date, source: str | None, outcome: ContactOutcome
) -> str:
    """A contact received on `on` and decided the same day with `outcome` by the front door; return its id."""
    contact_id = new_id("contact")
    await session.execute(
        insert(contacts).values(
            id=contact_id,
            case_id=case_id,
            received_at=at(on),
            source="school",
            referral_source=source,
            summary="Fictional concern raised for testing.",
        )
    )
    await process(
        session,
        case_id,
        team_id,
        Process.FRONT_DOOR,
        on,
        on,
        str(outcome),
        {"decide_contact": [on]},
        workflow_id=front_door_id(contact_id),
    )
    return contact_id


async def process(
    session: AsyncSession,
    case_id: str,
    team_id: str,
    kind: Process,
    started: date,
    closed: date | None,
    outcome: str | None,
    made: Mapping[str, Sequence[date]] = {},
    *,
    workflow_id: str | None = None,
) -> str:
    """A process's record and its decisions (each made by the team manager on its day); return its id."""
    workflow_id = workflow_id or new_id(str(kind).replace("_", "-"))
    await session.execute(
        insert(process_records).values(
            workflow_id=workflow_id,
            case_id=case_id,
            process=str(kind),
            stage="closed" if closed else "open",
            team_id=team_id,
            profile_ref="example@test",
            outcome=outcome,
            started_at=at(started),
            closed_at=at(closed) if closed else None,
        )
    )
    for name, days in made.items():
        for n, day in enumerate(days):
            await session.execute(
                insert(decisions).values(
                    workflow_id=workflow_id,
                    decision_key=f"{name}-{n}",
                    case_id=case_id,
                    decision=name,
                    actor_id="prac-example-tm",
                    actor_role=str(Role.TEAM_MANAGER),
                    effective_at=at(day),
                    recorded_at=at(day),
                    outcome=outcome or "recorded",
                )
            )
    return workflow_id


async def finding(session: AsyncSession, case_id: str, workflow_id: str, need: str, factors: Sequence[str]) -> None:
    """What the assessment `workflow_id` found."""
    await session.execute(
        insert(assessment_findings).values(
            workflow_id=workflow_id, case_id=case_id, primary_need=need, factors=list(factors)
        )
    )


async def icpc_target(session: AsyncSession, case_id: str, team_id: str, workflow_id: str, due: date) -> None:
    """The initial conference's `icpc` deadline (statutory-rules.md §5)."""
    await session.execute(
        insert(deadlines).values(
            workflow_id=workflow_id,
            deadline_key="icpc",
            case_id=case_id,
            team_id=team_id,
            rule_id="icpc",
            title="Hold the initial child protection conference",
            due_date=due,
            passes_at=at(due),
            basis="15 working days after the strategy discussion",
            citation="statutory-rules.md §5",
            state="met",
        )
    )


async def plan(
    session: AsyncSession,
    case_id: str,
    child_id: str,
    workflow_id: str,
    kind: PlanKind,
    started: date,
    ended: date | None = None,
    *,
    category: str | None = None,
    latest_category: str | None = None,
    previous_plans: int = 0,
) -> None:
    """A plan in the plans register."""
    await session.execute(
        insert(plans).values(
            workflow_id=workflow_id,
            kind=str(kind),
            case_id=case_id,
            child_id=child_id,
            category=category,
            latest_category=latest_category,
            started_on=started,
            ended_on=ended,
            previous_plans=previous_plans,
        )
    )


async def new_case(session: AsyncSession, child_id: str, team_id: str, on: date) -> str:
    """Open another case for a child whose earlier case was closed; return its id."""
    case_id = new_id("case")
    await session.execute(
        insert(cases).values(
            id=case_id, reference=case_id.upper(), child_id=child_id, team_id=team_id, opened_at=at(on)
        )
    )
    return case_id


async def close_case(session: AsyncSession, case_id: str, on: date, reason: str) -> None:
    """Close the case with a census reason for closure."""
    await session.execute(update(cases).where(cases.c.id == case_id).values(closed_at=at(on), closure_reason=reason))


async def pre_proceedings_period(session: AsyncSession, case_id: str, **items: object) -> None:
    """A pre-proceedings period of the case."""
    await session.execute(insert(pre_proceedings).values(case_id=case_id, **items))
