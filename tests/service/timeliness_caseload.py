"""A small fixed caseload over the census year 2027/28, written to the real case store as the processes write it.

Each process is written through `store.processes.apply_snapshot` (what the `record_process` activity calls),
plans through `store.plans`, allegations through `store.lado`: the rows the report reads are the rows the
workflows write. The dates are chosen for the hard days of the calendar: Christmas 2027 (Sat 25 and Sun 26
December, so Mon 27 and Tue 28 are the substitute bank holidays) with Christmas Eve announced as a local
closure, New Year (Mon 3 Jan 2028 the substitute day), Easter 2027 (Good Friday 26 and Easter Monday 29
March) and Tuesday 29 February 2028. `test_timeliness.py` works out each answer by hand from these dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import LadoOutcome, PlanKind, Process, Role
from safeguarding.commands.lado import OutcomeRecord
from safeguarding.models import ChronologyEntry, DecisionRecord, ProcessSnapshot
from safeguarding.store.closures import announce_closure
from safeguarding.store.lado import insert_allegation, record_outcome
from safeguarding.store.plans import close_plan, insert_plan
from safeguarding.store.processes import apply_snapshot
from safeguarding.working_days import at_local_time
from tests.factories import CaseIds, create_case, create_contact, create_team
from tests.workflows.lado_steps import LadoTeam, create_lado_team, notification_form

Sessionmaker = async_sessionmaker[AsyncSession]
WRITTEN = datetime(2028, 5, 31, 12, 0, tzinfo=UTC)


def at(day: date, hour: int = 10) -> datetime:
    """Return `hour` o'clock on `day`, London time."""
    return at_local_time(day, time(hour, 0))


@dataclass(frozen=True)
class Caseload:
    """The teams the caseload's cases belong to."""

    ours: str
    other: str
    lado: str


async def write_process(
    session: AsyncSession,
    case: CaseIds,
    workflow_id: str,
    process: Process,
    *,
    made: Sequence[tuple[str, datetime, str]] = (),
    noted: Sequence[tuple[str, datetime]] = (),
) -> None:
    """Write a process's record with its decisions (name, when, outcome) and chronology (event, when)."""
    decisions = []
    for name, when, outcome in made:
        number = sum(d.decision == name for d in decisions) + 1
        decisions.append(
            DecisionRecord(
                key=f"{name}:{number}",
                decision=name,
                actor_id="prac-fictional",
                actor_role=Role.TEAM_MANAGER,
                effective_at=when,
                recorded_at=when,
                outcome=outcome,
            )
        )
    chronology = [
        ChronologyEntry(key=f"{n:05d}", event=event, occurred_at=when, summary=event)
        for n, (event, when) in enumerate(noted, start=1)
    ]
    started = min([d.effective_at for d in decisions] + [c.occurred_at for c in chronology])
    snapshot = ProcessSnapshot(
        workflow_id=workflow_id,
        process=process,
        case_id=case.case_id,
        team_id=case.team_id,
        stage="closed",
        profile_ref="example@2026.1",
        started_at=started,
        decisions=tuple(decisions),
        chronology=tuple(chronology),
    )
    await apply_snapshot(snapshot, WRITTEN, session=session)


async def contact(
    session: AsyncSession, case: CaseIds, received: datetime, decided: datetime | None, outcome: str = "assessment"
) -> None:
    """Write a contact and, when decided, its front door's decision."""
    contact_id = await create_contact(session, case_id=case.case_id, received_at=received)
    if decided is not None:
        await write_process(
            session, case, f"front-door-{contact_id}", Process.FRONT_DOOR, made=[("decide_contact", decided, outcome)]
        )


async def assessment(session: AsyncSession, case: CaseIds, started: date, authorised: date) -> None:
    """Write an assessment started and authorised on those days."""
    await write_process(
        session,
        case,
        f"assessment-{case.reference}",
        Process.ASSESSMENT,
        made=[("authorise", at(authorised, 15), "cin_plan")],
        noted=[("assessment.started", at(started, 11))],
    )


async def conference(session: AsyncSession, case: CaseIds, discussed: date, s47: date, held: date) -> None:
    """Write a strategy discussion that started a section 47 enquiry, and the initial conference it led to."""
    reference = case.reference
    await write_process(
        session,
        case,
        f"strategy-discussion-{reference}",
        Process.STRATEGY_DISCUSSION,
        made=[("record_discussion", at(discussed), "held"), ("decide_strategy", at(s47), "s47_single_agency")],
    )
    await write_process(
        session, case, f"s47-enquiry-{reference}", Process.S47_ENQUIRY, noted=[("s47.started", at(s47))]
    )
    await write_process(
        session,
        case,
        f"initial-conference-{reference}",
        Process.INITIAL_CONFERENCE,
        made=[("decide_conference", at(held, 14), "plan")],
    )


async def plan(
    session: AsyncSession,
    case: CaseIds,
    started: date,
    ended: date | None = None,
    *,
    previous: int = 0,
    reviews: Sequence[date] = (),
) -> None:
    """Write a child protection plan, ended if `ended`, with the review conferences held on `reviews`."""
    workflow_id = f"cp-plan-{case.reference}-{started:%Y%m%d}"
    plan_id = await insert_plan(
        workflow_id=workflow_id,
        kind=PlanKind.CP,
        case_id=case.case_id,
        child_id=case.child_id,
        started_on=started,
        category=None,
        previous_plans=previous,
        session=session,
    )
    if ended is not None:
        await close_plan(plan_id, ended, "no_longer_at_continuing_risk", session=session)
    if reviews:
        await write_process(
            session,
            case,
            workflow_id,
            Process.CP_PLAN,
            made=[("decide_review", at(day, 14), "continue_plan") for day in reviews],
        )


async def allegation(session: AsyncSession, team: LadoTeam, notified: date, resolved: date) -> None:
    """Write a LADO allegation notified and resolved on those days."""
    form = notification_form(team, came_to_attention_at=at(notified, 8), notified_at=at(notified, 9))
    case_id = await insert_allegation(form, now=WRITTEN, session=session)
    outcome = OutcomeRecord(
        case_id=case_id,
        workflow_id=f"lado-{form.reference}",
        outcome=LadoOutcome.UNSUBSTANTIATED,
        decided_at=at(resolved, 16),
        dbs_referral_required=False,
        regulator_referral_required=False,
        normal_retirement_age=67,
    )
    await record_outcome(outcome, session=session)


async def fgc(session: AsyncSession, case: CaseIds, referred: date, met: date) -> None:
    """Write a family group conference referred and meeting on those days."""
    await write_process(
        session,
        case,
        f"fgc-{case.reference}-{referred:%Y%m%d}",
        Process.FGC,
        made=[
            ("refer_to_fgc", at(referred), "referred"),
            ("record_fgc_conference_stage", at(met), "information_sharing"),
        ],
    )


async def write_caseload(db: Sessionmaker, ours: str) -> Caseload:
    """Write the fixed caseload: children A to M (L is `ll`), in team `ours` but F, and five LADO allegations."""
    async with db.begin() as session:
        other = await create_team(session)
        lado_team = await create_lado_team(session)
        await announce_closure(date(2027, 12, 24), "Christmas Eve (local closure)", local=True, session=session)
        a, b, c, d, e, g, h, i, j, k, ll, m = [await create_case(session, team_id=ours) for _ in range(12)]
        f = await create_case(session, team_id=other)

        # The front door: contacts and their decisions.
        await contact(session, a, at(date(2027, 12, 23), 16), at(date(2027, 12, 29)))
        await contact(session, b, at(date(2027, 12, 24)), at(date(2027, 12, 29)), "strategy_discussion")
        await contact(session, a, at(date(2028, 2, 28)), at(date(2028, 2, 29)))
        await contact(session, c, at(date(2028, 3, 26)), at(date(2028, 3, 27)), "nfa_advice")
        await contact(session, b, at(date(2028, 3, 1)), None)
        await contact(session, d, at(date(2026, 6, 10)), at(date(2026, 6, 10)))
        await contact(session, d, at(date(2027, 6, 10)), at(date(2027, 6, 10), 15))
        await contact(session, e, at(date(2026, 6, 9)), at(date(2026, 6, 9)))
        await contact(session, e, at(date(2027, 6, 10)), at(date(2027, 6, 10), 15))
        await contact(session, f, at(date(2027, 12, 31)), at(date(2028, 1, 4)))

        # Assessments.
        await assessment(session, a, date(2027, 12, 30), date(2028, 3, 1))
        await assessment(session, b, date(2027, 12, 24), date(2027, 12, 24))
        await assessment(session, d, date(2027, 6, 10), date(2027, 9, 30))
        await assessment(session, f, date(2028, 1, 4), date(2028, 1, 18))
        await assessment(session, g, date(2027, 3, 24), date(2027, 4, 1))

        # Strategy discussions, section 47 enquiries and initial conferences.
        await conference(session, b, date(2027, 12, 23), date(2027, 12, 24), date(2028, 1, 14))
        await conference(session, g, date(2027, 3, 23), date(2027, 3, 24), date(2027, 4, 16))
        await conference(session, f, date(2028, 2, 7), date(2028, 2, 7), date(2028, 3, 7))

        # Child protection plans.
        await plan(session, b, date(2028, 1, 14), previous=2)
        await plan(session, g, date(2027, 4, 16), reviews=[date(2027, 7, 16), date(2028, 1, 17)])
        await plan(session, h, date(2025, 3, 1), date(2027, 3, 1))
        await plan(session, h, date(2027, 11, 30), reviews=[date(2028, 2, 29)])
        await plan(session, i, date(2027, 1, 10))
        await plan(session, j, date(2026, 3, 1), date(2028, 3, 1))
        await plan(session, k, date(2027, 8, 31), date(2028, 2, 29))
        await plan(session, f, date(2028, 3, 7))
        await plan(session, ll, date(2027, 7, 1), date(2027, 8, 15))
        await plan(session, m, date(2026, 3, 31))

        # LADO allegations.
        await allegation(session, lado_team, date(2028, 1, 31), date(2028, 2, 29))
        await allegation(session, lado_team, date(2027, 9, 24), date(2027, 12, 24))
        await allegation(session, lado_team, date(2027, 6, 28), date(2027, 10, 1))
        await allegation(session, lado_team, date(2027, 4, 1), date(2027, 4, 8))
        await allegation(session, lado_team, date(2027, 2, 1), date(2027, 3, 30))

        # Family group conferences.
        await fgc(session, a, date(2027, 12, 20), date(2028, 1, 17))
        await fgc(session, d, date(2028, 2, 1), date(2028, 3, 28))
        await fgc(session, f, date(2028, 3, 1), date(2028, 4, 5))
        await fgc(session, g, date(2027, 4, 1), date(2027, 6, 15))
    return Caseload(ours=ours, other=other, lado=lado_team.team_id)
