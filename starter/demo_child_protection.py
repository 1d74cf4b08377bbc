"""The demo's child protection case, told the way a team manager would tell it (statutory-rules.md §4, §5).

New information arrives on the 7-year-old's open case. A strategy discussion with social care, police and
health is held the same day and decides on a section 47 enquiry jointly with the police; the enquiry
substantiates the concerns and convenes an initial child protection conference within 15 working days of
the first discussion. The independent chair makes a plan (neglect). The core group meets within 10
working days and then regularly; the chair holds the first review within 3 months — the plan continues
with the category reviewed — and the second, which ends the plan: the child steps down to a Child in Need
plan and the agencies invited to the conference are told. Each process hands off to the next, as in
production; the demo only makes the people's decisions and moves the clock.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy.dialects.postgresql import insert
from temporalio.client import WorkflowHandle

from safeguarding.codes import (
    Agency,
    ConferenceOutcome,
    CpCategory,
    EnquiryOutcome,
    ReviewOutcome,
    Role,
    StrategyOutcome,
    StrategyReason,
)
from safeguarding.commands.conference import (
    DecideConference,
    RecordReportsShared,
    ScheduleConference,
    initial_conference_id,
)
from safeguarding.commands.cp_plan import DecideReview, RecordCoreGroup, RecordReviewReportsShared, ScheduleReview
from safeguarding.commands.strategy_discussion import (
    ConcludeEnquiry,
    DecideStrategy,
    Participant,
    RecordCirculated,
    RecordDiscussion,
    StrategyDiscussionInput,
    s47_enquiry_id,
    strategy_discussion_id,
)
from safeguarding.facts import ChildProtectionPlanFacts, facts_of
from safeguarding.models import Actor, DeadlineView, ProcessStatus
from safeguarding.schema import teams
from safeguarding.working_days import (
    add_working_days,
    at_local_time,
    describe_day,
    describe_moment,
    local_date,
    subtract_working_days,
)
from starter.demo_walkthrough import DemoFailed, Walkthrough, who

SW, TM = Role.SOCIAL_WORKER, Role.TEAM_MANAGER
MORNING, AFTERNOON, LATE_AFTERNOON = time(10, 0), time(14, 0), time(16, 0)
AGENCIES = {"team-example-police": "Example Police (fictional)", "team-example-school": "Example Primary (fictional)"}
CHAIR = Actor(practitioner_id="prac-example-chair", role=Role.CONFERENCE_CHAIR, team_id="team-example-reviewing")
"""The independent chair, from the reviewing service: outside the case's line management (§5)."""
EARLY = 7
"""Meetings are held this many working days before they fall due: before any reminder goes out."""
ENQUIRY_WORKING_DAYS = 4
"""How long the demo's joint enquiry takes, in working days: a choice of the story, not a rule."""
CONFERENCE_EARLY = 2
"""The initial conference is held this many working days before its 15 working days are up."""


async def child_protection_case(walk: Walkthrough) -> None:
    """Walk a case from a strategy discussion through an ICPC and a plan's two reviews to the plan's end."""
    case = walk.ids.school_age
    walk.heading(f"Case {case.reference}: from a strategy discussion to the end of a child protection plan")
    await _agencies(walk)
    concerns = await walk.next_working_day_at(MORNING)
    discussion_input = StrategyDiscussionInput(
        context=walk.context(case), concerns_at=concerns, reason=StrategyReason.NEW_INFORMATION
    )
    discussion = await walk.start(
        "StrategyDiscussion", discussion_input, strategy_discussion_id(case.reference, concerns)
    )
    limit = _deadline(await walk.status(discussion), "strategy_discussion")
    await walk.say(
        "The school's safeguarding lead reports new concerns on the open case: a strategy discussion is needed "
        f"by {describe_moment(limit.passes_at)} ({limit.basis})."
    )
    await _discuss(walk, discussion)
    enquiry = await walk.running(s47_enquiry_id(case.reference))
    await walk.at(at_local_time(add_working_days(local_date(concerns), ENQUIRY_WORKING_DAYS, walk.calendar), MORNING))
    conclusion = ConcludeEnquiry(
        actor=walk.actor(TM),
        outcome=EnquiryOutcome.SUBSTANTIATED,
        rationale="Concerns substantiated; the risk of significant harm continues",
    )
    await walk.decide(enquiry, "conclude_enquiry", conclusion)
    await walk.say(f"{walk.name(TM)} concludes the enquiry: concerns substantiated, the risk continues.")
    handle = await _initial_conference(walk, initial_conference_id(case.reference))
    status = await _in_register(walk, handle)
    await walk.say(
        f"The plan is in the register ({_facts(status).previous_plans} previous plans); {walk.name(SW)} leads it. "
        f"First core group due {_due(status, 'core_group_1')}, first review due {_due(status, 'review_1')}."
    )
    await _until_review(walk, handle)
    await _review(walk, handle, ReviewOutcome.CONTINUE, CpCategory.EMOTIONAL)
    await _until_review(walk, handle)
    await _review(walk, handle, ReviewOutcome.END, None)
    final = await walk.closed(handle)
    if _facts(final).stepped_down_to_cin is not True:
        raise DemoFailed(f"the plan ended without stepping down to a Child in Need plan: {final.facts}")
    await walk.say("The plan has ended; the child steps down to a Child in Need plan. The invited agencies are told:")
    await _agencies_told(walk)


async def _discuss(walk: Walkthrough, discussion: WorkflowHandle) -> None:
    """Hold the discussion with the three agencies the law needs, decide, and circulate the record (§4)."""
    await walk.later_today(AFTERNOON)
    participants = tuple(Participant(agency=agency) for agency in (Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH))
    await walk.decide(
        discussion, "record_discussion", RecordDiscussion(actor=walk.actor(TM), participants=participants)
    )
    decision = DecideStrategy(
        actor=walk.actor(TM),
        outcome=StrategyOutcome.S47_JOINT_WITH_POLICE,
        rationale="Reasonable cause to suspect significant harm",
        tell_family="The family is told that enquiries will be made with them",
    )
    await walk.decide(discussion, "decide_strategy", decision)
    await walk.say(
        f"{walk.name(TM)} chairs the strategy discussion with social care, police and health: "
        "section 47 enquiries, jointly with the police. The enquiry starts."
    )
    await walk.later_today(LATE_AFTERNOON)
    await walk.decide(discussion, "record_circulated", RecordCirculated(actor=walk.actor(TM)))
    await walk.say("The record of the discussion is circulated to everyone who took part.")


async def _initial_conference(walk: Walkthrough, conference_id: str) -> WorkflowHandle:
    """Schedule the conference inside its 15 working days, share the reports, and have the chair make a plan."""
    icpc = await walk.running(conference_id)
    due = _deadline(await walk.status(icpc), "icpc")
    held_on = subtract_working_days(due.due_date, CONFERENCE_EARLY, walk.calendar)
    schedule = ScheduleConference(actor=walk.actor(TM), conference_at=at_local_time(held_on, MORNING))
    await walk.decide(icpc, "schedule_conference", schedule)
    reports = _due_day(await walk.status(icpc), "record_reports_shared")
    await walk.say(
        f"An initial child protection conference is convened, due by {describe_day(due.due_date)} ({due.basis}). "
        f"It is set for {describe_day(held_on)}; the reports go to the parents by {describe_day(reports)}."
    )
    await _reminded(walk, reports, "the reports are")
    await walk.later_today(AFTERNOON)
    await walk.decide(icpc, "record_reports_shared", RecordReportsShared(actor=walk.actor(SW)))
    await walk.say(f"{walk.name(SW)} shares the reports with the parents.")
    await _reminded(walk, due.due_date, "the conference is")
    await walk.at(schedule.conference_at)
    decision = DecideConference(
        actor=CHAIR,
        outcome=ConferenceOutcome.PLAN,
        category=CpCategory.NEGLECT,
        lead_social_worker_id=walk.ids.social_worker_id,
        core_group_member_ids=(walk.ids.social_worker_id, walk.ids.health_visitor_id),
        invited_agency_team_ids=tuple(AGENCIES),
        rationale="Consensus: the child is at continuing risk of significant harm through neglect",
    )
    await walk.decide(icpc, "decide_conference", decision)
    await walk.say("The independent chair decides: a child protection plan, under the category of neglect.")
    closed = await walk.closed(icpc)
    plan_id = next(hand_off.workflow_id for hand_off in closed.hand_offs if hand_off.workflow_id)
    return await walk.running(plan_id)


async def _reminded(walk: Walkthrough, due: date, what: str) -> None:
    """Move to the profile's first reminder before `due` and narrate the one e-mail it sends (§1)."""
    ahead = max(walk.parts.profile.reminders.working_days_before)
    day = subtract_working_days(due, ahead, walk.calendar)
    await walk.at(at_local_time(day, walk.parts.profile.office.reminder_time))
    await walk.say(f"{ahead} working days before {what} due, a reminder:")
    await walk.mail()


async def _agencies(walk: Walkthrough) -> None:
    """Add the partner agencies invited to the conference, each with its own mailbox (fictional)."""
    async with walk.parts.sessionmaker.begin() as session:
        for team_id, name in AGENCIES.items():
            row = {"id": team_id, "name": name, "mailbox": f"{team_id}@example.invalid"}
            await session.execute(insert(teams).values(row).on_conflict_do_nothing())
    walk.addresses.update({f"{team_id}@example.invalid": name for team_id, name in AGENCIES.items()})


def _facts(status: ProcessStatus) -> ChildProtectionPlanFacts:
    return facts_of(ChildProtectionPlanFacts, status.facts)


async def _in_register(walk: Walkthrough, handle: WorkflowHandle) -> ProcessStatus:
    async def recorded() -> bool:
        return _facts(await walk.status(handle)).previous_plans is not None

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
            held = _facts(status).core_groups_held + 1
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
    runs = _facts(await walk.status(handle)).runs
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
            return _facts(await walk.status(handle)).runs != runs

        await walk.until(continued, f"{handle.id} to continue as new")
        status = await walk.status(handle)
        await walk.say(
            f"The plan continues as new (run {_facts(status).runs}), carrying its deadlines; "
            f"next review due {_due(status, 'review_' + str(_facts(status).reviews_held + 1))}."
        )


def _due_day(status: ProcessStatus, decision: str) -> date:
    """Return the due day of the open task `decision` (every task the demo steers by has one)."""
    due = next(task for task in status.open_tasks if task.decision == decision).due_date
    if due is None:
        raise DemoFailed(f"the task {decision} has no due day")
    return due


def _deadline(status: ProcessStatus, key: str) -> DeadlineView:
    return next(d for d in status.deadlines if d.key == key)


def _due(status: ProcessStatus, key: str) -> str:
    return describe_day(_deadline(status, key).due_date)
