"""The demo's child protection plan, told the way a team manager would tell it (statutory-rules.md §5).

The 7-year-old's initial conference has just decided on a plan (neglect). The core group meets within
10 working days and then regularly; the independent chair holds the first review within 3 months —
the plan continues with the category reviewed — and the second, which ends the plan: the child steps
down to a Child in Need plan and the agencies invited to the conference are told. Until the strategy
discussion and initial conference are wired into the demo, the plan is started here as the conference
would start it.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy.dialects.postgresql import insert
from temporalio.client import WorkflowHandle

from safeguarding.codes import CpCategory, ReviewOutcome, Role
from safeguarding.commands.cp_plan import (
    CpPlanInput,
    DecideReview,
    RecordCoreGroup,
    RecordReviewReportsShared,
    ScheduleReview,
    cp_plan_id,
)
from safeguarding.models import Actor, ProcessStatus
from safeguarding.schema import teams
from safeguarding.working_days import at_local_time, describe_day, subtract_working_days
from starter.demo_walkthrough import DemoFailed, Walkthrough, who

SW, TM = Role.SOCIAL_WORKER, Role.TEAM_MANAGER
MORNING, AFTERNOON = time(10, 0), time(14, 0)
AGENCIES = {"team-example-police": "Example Police (fictional)", "team-example-school": "Example Primary (fictional)"}
CHAIR = Actor(practitioner_id="prac-example-chair", role=Role.CONFERENCE_CHAIR, team_id="team-example-reviewing")
"""The independent chair, from the reviewing service: outside the case's line management (§5)."""
EARLY = 7
"""Meetings are held this many working days before they fall due: before any reminder goes out."""


async def child_protection_case(walk: Walkthrough) -> None:
    """Walk a plan from its initial conference through two review conferences to its end and the step-down."""
    case = walk.ids.school_age
    walk.heading(f"Case {case.reference}: a child protection plan, from the initial conference to its end")
    await _agencies(walk)
    icpc = await walk.next_working_day_at(MORNING)
    plan = CpPlanInput(
        context=walk.context(case),
        conference_workflow_id=f"initial-conference-{case.reference}",
        icpc_held_at=icpc,
        category=CpCategory.NEGLECT,
        lead_social_worker_id=walk.ids.social_worker_id,
        core_group_member_ids=(walk.ids.social_worker_id, walk.ids.health_visitor_id),
        invited_agency_team_ids=tuple(AGENCIES),
    )
    handle = await walk.start("ChildProtectionPlan", plan, cp_plan_id(case.reference, icpc))
    status = await _in_register(walk, handle)
    await walk.say(
        f"The initial conference makes a child protection plan (neglect); {walk.name(SW)} leads it "
        f"({status.facts['previous_plans']} previous plans). First core group due {_due(status, 'core_group_1')}, "
        f"first review due {_due(status, 'review_1')}."
    )
    await _until_review(walk, handle)
    await _review(walk, handle, ReviewOutcome.CONTINUE, CpCategory.EMOTIONAL)
    await _until_review(walk, handle)
    await _review(walk, handle, ReviewOutcome.END, None)
    final = await walk.closed(handle)
    if final.facts.get("stepped_down_to_cin") != "true":
        raise DemoFailed(f"the plan ended without stepping down to a Child in Need plan: {final.facts}")
    await walk.say("The plan has ended; the child steps down to a Child in Need plan. The invited agencies are told:")
    await _agencies_told(walk)


async def _agencies(walk: Walkthrough) -> None:
    """Add the partner agencies invited to the conference, each with its own mailbox (fictional)."""
    async with walk.parts.sessionmaker.begin() as session:
        for team_id, name in AGENCIES.items():
            row = {"id": team_id, "name": name, "mailbox": f"{team_id}@example.invalid"}
            await session.execute(insert(teams).values(row).on_conflict_do_nothing())
    walk.addresses.update({f"{team_id}@example.invalid": name for team_id, name in AGENCIES.items()})


async def _in_register(walk: Walkthrough, handle: WorkflowHandle) -> ProcessStatus:
    async def recorded() -> bool:
        return "previous_plans" in (await walk.status(handle)).facts

    await walk.until(recorded, f"{handle.id} to be in the plans register")
    return await walk.status(handle)


async def _until_review(walk: Walkthrough, handle: WorkflowHandle) -> None:
    """Schedule the next review, then hold each core group and share the reports ahead of their due days."""
    review_due = _due_day(await walk.status(handle), "decide_review")
    review_day = subtract_working_days(review_due, EARLY, walk.calendar)
    await walk.decide(
        handle, "schedule_review", ScheduleReview(actor=CHAIR, review_at=at_local_time(review_day, MORNING))
    )
    reports = _due_day(await walk.status(handle), "record_review_reports_shared")
    await walk.say(
        f"The chair schedules the review conference for {describe_day(review_day)} (due by "
        f"{describe_day(review_due)}); reports to parents by {describe_day(reports)}."
    )
    while True:
        status = await walk.status(handle)
        steps = [(_due_day(status, "record_core_group"), "record_core_group")]
        if any(task.decision == "record_review_reports_shared" for task in status.open_tasks):
            steps.append((reports, "record_review_reports_shared"))
        due, step = min(steps)
        ahead = subtract_working_days(due, EARLY, walk.calendar)
        if ahead >= review_day:
            break
        await walk.at(at_local_time(ahead, MORNING if step == "record_core_group" else AFTERNOON))
        if step == "record_core_group":
            await walk.decide(handle, step, RecordCoreGroup(actor=walk.actor(SW)))
            held = int(status.facts["core_groups_held"]) + 1
            await walk.say(f"Core group meeting {held} held (due by {describe_day(due)}).")
        else:
            await walk.decide(handle, step, RecordReviewReportsShared(actor=walk.actor(SW)))
            await walk.say(f"{walk.name(SW)} shares the reports with the parents.")
    await walk.at(at_local_time(review_day, MORNING))


async def _agencies_told(walk: Walkthrough) -> None:
    """Wait for every invited agency's notice, then narrate the e-mails not yet narrated."""
    mailboxes = {f"{team_id}@example.invalid" for team_id in AGENCIES}

    async def told() -> bool:
        return mailboxes <= {message.to for message in walk.parts.mail.since(walk.mail_seen)}

    await walk.until(told, "every invited agency to be told the plan ended")
    arrived = walk.parts.mail.since(walk.mail_seen)
    walk.mail_seen += len(arrived)
    for message in arrived:
        await walk.say(f"  e-mail to {who(walk.addresses, message.to)}: {message.subject}")


async def _review(
    walk: Walkthrough, handle: WorkflowHandle, outcome: ReviewOutcome, category: CpCategory | None
) -> None:
    """The independent chair decides at the review conference; continuing, the plan continues as new."""
    runs = (await walk.status(handle)).facts["runs"]
    decision = DecideReview(
        actor=CHAIR,
        outcome=outcome,
        category=category,
        rationale="Consensus of the conference after hearing every agency",
    )
    record = await walk.decide(handle, "decide_review", decision)
    await walk.say(f"The independent chair decides at the review conference — {record.outcome}.")
    if outcome is ReviewOutcome.CONTINUE:

        async def continued() -> bool:
            return (await walk.status(handle)).facts["runs"] != runs

        await walk.until(continued, f"{handle.id} to continue as new")
        status = await walk.status(handle)
        await walk.say(
            f"The plan continues as new (run {status.facts['runs']}), carrying its deadlines; "
            f"next review due {_due(status, 'review_' + str(int(status.facts['reviews_held']) + 1))}."
        )


def _due_day(status: ProcessStatus, decision: str) -> date:
    """Return the due day of the open task `decision` (every task the demo steers by has one)."""
    due = next(task for task in status.open_tasks if task.decision == decision).due_date
    if due is None:
        raise DemoFailed(f"the plan's task {decision} has no due day")
    return due


def _due(status: ProcessStatus, key: str) -> str:
    return describe_day(next(d for d in status.deadlines if d.key == key).due_date)
