"""The queries of the timeliness report: the case store's facts for one census year, as plain records.

Which row stands for which event (statutory-rules.md §2–§9):
- a contact: a front-door row of `contacts` (not a referral a direct start recorded); its decision, the first
  `decide_contact` or `decide_out_of_hours` of the front door `front-door-<contact id>`, whose last such
  decision's outcome says whether it became a referral;
- an assessment: its start is its `assessment.started` chronology entry (else its process's start), its
  authorisation the first `authorise` decision, its referral the case's latest contact that became a
  referral, received by the start;
- an initial conference: the first `decide_conference` decision; the s47 start is the case's latest
  `s47.started` entry by then; the strategy discussions are the case's `record_discussion` decisions;
- a child protection plan: `plans` (kind cp); its reviews, the case's `decide_review` decisions while it lasted;
- a team's: the case's team now (`cases.team_id`), which a case handed to another team takes with it;
- a LADO allegation: `lado_allegations.notified_at` to `lado_outcomes.decided_at`;
- a family group conference: the first `refer_to_fgc` and `record_fgc_conference_stage` decisions.
Timestamps become Europe/London dates here. Ids and codes only: no names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.census.period import CensusYear
from safeguarding.codes import REFERRAL_OUTCOMES, PlanKind, Process, ReferralRoute
from safeguarding.schema import cases, chronology, contacts, decisions, lado_allegations, lado_outcomes, plans
from safeguarding.schema import process_records as records
from safeguarding.timeliness.records import (
    Allegation,
    Assessment,
    Caseload,
    Contact,
    CpPlan,
    FamilyGroupConference,
    InitialConference,
)
from safeguarding.working_days import LONDON, local_date

FRONT_DOOR_DECISIONS = ("decide_contact", "decide_out_of_hours")


async def load_caseload(year: CensusYear, *, session: AsyncSession) -> Caseload:
    """Return the facts the report on `year` counts: those up to its end, from the 12 months before it."""
    since = _start_of(date(year.year - 1, 4, 1))
    until = _start_of(year.reference_date + timedelta(days=1))
    found = await _contacts(since, until, session=session)
    return Caseload(
        contacts=tuple(found),
        assessments=tuple(await _assessments(since, until, found, session=session)),
        conferences=tuple(await _conferences(since, until, session=session)),
        plans=tuple(await _plans(until, session=session)),
        allegations=tuple(await _allegations(since, until, session=session)),
        fgcs=tuple(await _fgcs(since, until, session=session)),
    )


async def _contacts(since: datetime, until: datetime, *, session: AsyncSession) -> list[Contact]:
    query = (
        select(contacts.c.id, contacts.c.case_id, contacts.c.received_at, cases.c.child_id, cases.c.team_id)
        .join(cases, cases.c.id == contacts.c.case_id)
        .where(contacts.c.received_at >= since, contacts.c.received_at < until)
        .where(contacts.c.how == str(ReferralRoute.FRONT_DOOR))
    )
    rows = list((await session.execute(query)).mappings())
    made = await _decisions_by_workflow(FRONT_DOOR_DECISIONS, [f"front-door-{r['id']}" for r in rows], session=session)
    result = []
    for row in rows:
        decided = made.get(f"front-door-{row['id']}", [])
        result.append(
            Contact(
                case_id=row["case_id"],
                child_id=row["child_id"],
                team_id=row["team_id"],
                received_at=row["received_at"],
                decided_on=local_date(decided[0]["effective_at"]) if decided else None,
                outcome=decided[-1]["outcome"] if decided else None,
            )
        )
    return result


async def _assessments(
    since: datetime, until: datetime, found: Sequence[Contact], *, session: AsyncSession
) -> list[Assessment]:
    authorised = await _first_decisions("authorise", Process.ASSESSMENT, since, until, session=session)
    starts = await _chronology_at("assessment.started", [row["workflow_id"] for row in authorised], session=session)
    referred: defaultdict[str, list[date]] = defaultdict(list)
    for contact in found:
        if contact.outcome in REFERRAL_OUTCOMES:
            referred[contact.case_id].append(local_date(contact.received_at))
    result = []
    for row in authorised:
        start = local_date(starts.get(row["workflow_id"], row["started_at"]))
        referrals = [day for day in referred[row["case_id"]] if day <= start]
        result.append(
            Assessment(
                team_id=row["team_id"],
                started_on=start,
                referral_on=max(referrals, default=start),
                authorised_on=local_date(row["effective_at"]),
            )
        )
    return result


async def _conferences(since: datetime, until: datetime, *, session: AsyncSession) -> list[InitialConference]:
    held = await _first_decisions("decide_conference", Process.INITIAL_CONFERENCE, since, until, session=session)
    case_ids = [row["case_id"] for row in held]
    s47_rows = (
        await session.execute(
            select(chronology.c.case_id, chronology.c.occurred_at).where(
                chronology.c.event == "s47.started", chronology.c.case_id.in_(case_ids)
            )
        )
    ).mappings()
    s47_starts = _dates_by_case(s47_rows, "occurred_at")
    discussion_rows = (
        await session.execute(
            select(decisions.c.case_id, decisions.c.effective_at).where(
                decisions.c.decision == "record_discussion", decisions.c.case_id.in_(case_ids)
            )
        )
    ).mappings()
    discussions = _dates_by_case(discussion_rows, "effective_at")
    result = []
    for row in held:
        held_on = local_date(row["effective_at"])
        s47 = max((d for d in s47_starts[row["case_id"]] if d <= held_on), default=held_on)
        first = max((d for d in discussions[row["case_id"]] if d <= s47), default=s47)
        last = max((d for d in discussions[row["case_id"]] if d <= held_on), default=first)
        result.append(
            InitialConference(
                team_id=row["team_id"],
                held_on=held_on,
                s47_started_on=s47,
                first_discussion_on=first,
                last_discussion_on=last,
            )
        )
    return result


async def _plans(until: datetime, *, session: AsyncSession) -> list[CpPlan]:
    query = (
        select(plans, cases.c.team_id)
        .join(cases, cases.c.id == plans.c.case_id)
        .where(plans.c.kind == PlanKind.CP, plans.c.started_on < local_date(until))
    )
    rows = list((await session.execute(query)).mappings())
    review_rows = (
        await session.execute(
            select(decisions.c.case_id, decisions.c.effective_at).where(
                decisions.c.decision == "decide_review", decisions.c.case_id.in_([r["case_id"] for r in rows])
            )
        )
    ).mappings()
    reviews = _dates_by_case(review_rows, "effective_at")
    return [
        CpPlan(
            child_id=row["child_id"],
            team_id=row["team_id"],
            started_on=row["started_on"],
            ended_on=row["ended_on"],
            previous_plans=row["previous_plans"],
            reviews=tuple(
                d
                for d in reviews[row["case_id"]]
                if row["started_on"] <= d and (row["ended_on"] is None or d <= row["ended_on"])
            ),
        )
        for row in rows
    ]


async def _allegations(since: datetime, until: datetime, *, session: AsyncSession) -> list[Allegation]:
    query = (
        select(lado_allegations.c.notified_at, lado_outcomes.c.decided_at, cases.c.team_id)
        .join(lado_outcomes, lado_outcomes.c.case_id == lado_allegations.c.case_id)
        .join(cases, cases.c.id == lado_allegations.c.case_id)
        .where(lado_outcomes.c.decided_at >= since, lado_outcomes.c.decided_at < until)
    )
    return [
        Allegation(
            team_id=row["team_id"],
            notified_on=local_date(row["notified_at"]),
            resolved_on=local_date(row["decided_at"]),
        )
        for row in (await session.execute(query)).mappings()
    ]


async def _fgcs(since: datetime, until: datetime, *, session: AsyncSession) -> list[FamilyGroupConference]:
    met = await _first_decisions("record_fgc_conference_stage", Process.FGC, since, until, session=session)
    referred = await _decisions_by_workflow(("refer_to_fgc",), [row["workflow_id"] for row in met], session=session)
    return [
        FamilyGroupConference(
            team_id=row["team_id"],
            referred_on=local_date(referred[row["workflow_id"]][0]["effective_at"]),
            conference_on=local_date(row["effective_at"]),
        )
        for row in met
        if row["workflow_id"] in referred
    ]


async def _first_decisions(
    decision: str, process: Process, since: datetime, until: datetime, *, session: AsyncSession
) -> list[RowMapping]:
    """Return each `process`'s first `decision` made in [since, until), with its case's team and its start."""
    query = (
        select(
            decisions.c.workflow_id,
            decisions.c.case_id,
            decisions.c.effective_at,
            cases.c.team_id,
            records.c.started_at,
        )
        .join(records, records.c.workflow_id == decisions.c.workflow_id)
        .join(cases, cases.c.id == decisions.c.case_id)
        .where(decisions.c.decision == decision, records.c.process == process, decisions.c.effective_at < until)
        .order_by(decisions.c.workflow_id, decisions.c.effective_at, decisions.c.id)
    )
    first: dict[str, RowMapping] = {}
    for row in (await session.execute(query)).mappings():
        first.setdefault(row["workflow_id"], row)
    return [row for row in first.values() if since <= row["effective_at"] < until]


async def _decisions_by_workflow(
    names: Sequence[str], workflow_ids: Sequence[str], *, session: AsyncSession
) -> dict[str, list[RowMapping]]:
    query = (
        select(decisions.c.workflow_id, decisions.c.effective_at, decisions.c.outcome)
        .where(decisions.c.decision.in_(names), decisions.c.workflow_id.in_(workflow_ids))
        .order_by(decisions.c.effective_at, decisions.c.id)
    )
    found: dict[str, list[RowMapping]] = defaultdict(list)
    for row in (await session.execute(query)).mappings():
        found[row["workflow_id"]].append(row)
    return found


async def _chronology_at(event: str, workflow_ids: Sequence[str], *, session: AsyncSession) -> dict[str, datetime]:
    query = select(chronology.c.workflow_id, chronology.c.occurred_at).where(
        chronology.c.event == event, chronology.c.workflow_id.in_(workflow_ids)
    )
    return {row["workflow_id"]: row["occurred_at"] for row in (await session.execute(query)).mappings()}


def _dates_by_case(rows: Iterable[RowMapping], column: str) -> defaultdict[str, list[date]]:
    found: defaultdict[str, list[date]] = defaultdict(list)
    for row in rows:
        found[row["case_id"]].append(local_date(row[column]))
    return found


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)
