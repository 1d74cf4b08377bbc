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

from safeguarding.codes import (
    Agency,
    ConferenceOutcome,
    CpCategory,
    EnquiryOutcome,
    ReferralSource,
    ReviewOutcome,
    Role,
    StrategyOutcome,
)
from safeguarding.commands.conference import initial_conference_id
from safeguarding.commands.strategy_discussion import Participant, s47_enquiry_id
from safeguarding.facts import ChildProtectionPlanFacts, facts_of
from safeguarding.models import DeadlineView, ProcessStatus
from safeguarding.service.admin import create_team
from safeguarding.service.admin_models import NewTeam
from safeguarding.service.strategy_discussions import StrategyDiscussionRequest, start_strategy_discussion
from safeguarding.store.examples import POLICE_TEAM_ID
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
CHAIR = Role.CONFERENCE_CHAIR
"""The independent chair, from the reviewing service: outside the case's line management (§5)."""
MORNING, AFTERNOON, LATE_AFTERNOON = time(10, 0), time(14, 0), time(16, 0)
SCHOOL_TEAM_ID = "team-example-school"
AGENCIES = {POLICE_TEAM_ID: "Example Police (fictional)", SCHOOL_TEAM_ID: "Example Primary (fictional)"}
"""The partner agencies invited to the conference; the police come with the example team, the school is added."""
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
    request = StrategyDiscussionRequest(
        case_reference=case.reference, concerns_at=concerns, referral_source=ReferralSource.SCHOOLS
    )
    started = await walk.act(TM, start_strategy_discussion, request)
    limit = started.deadline
    if limit is None:
        raise DemoFailed(f"{started.workflow_id} started without its time limit")
    await walk.say(
        "The school's safeguarding lead reports new concerns on the open case: a strategy discussion is needed "
        f"by {describe_moment(limit.passes_at)} ({limit.basis})."
    )
    await _discuss(walk, started.workflow_id)
    enquiry = await walk.running(s47_enquiry_id(case.reference))
    await walk.at(at_local_time(add_working_days(local_date(concerns), ENQUIRY_WORKING_DAYS, walk.calendar), MORNING))
    await walk.decide(
        TM,
        enquiry,
        "conclude_enquiry",
        outcome=EnquiryOutcome.SUBSTANTIATED,
        rationale="Concerns substantiated; the risk of significant harm continues",
    )
    await walk.say(f"{walk.name(TM)} concludes the enquiry: concerns substantiated, the risk continues.")
    plan = await _initial_conference(walk, initial_conference_id(case.reference))
    status = await _in_register(walk, plan)
    await walk.say(
        f"The plan is in the register ({_facts(status).previous_plans} previous plans); {walk.name(SW)} leads it. "
        f"First core group due {_due(status, 'core_group_1')}, first review due {_due(status, 'review_1')}."
    )
    await _until_review(walk, plan)
    await _review(walk, plan, ReviewOutcome.CONTINUE, CpCategory.EMOTIONAL)
    await _until_review(walk, plan)
    await _review(walk, plan, ReviewOutcome.END, None)
    final = await walk.closed(plan)
    if _facts(final).stepped_down_to_cin is not True:
        raise DemoFailed(f"the plan ended without stepping down to a Child in Need plan: {final.facts}")
    await walk.say("The plan has ended; the child steps down to a Child in Need plan. The invited agencies are told:")
    await _agencies_told(walk)


async def _discuss(walk: Walkthrough, discussion: str) -> None:
    """Hold the discussion with the three agencies the law needs, decide, and circulate the record (§4)."""
    await walk.later_today(AFTERNOON)
    participants = tuple(Participant(agency=agency) for agency in (Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH))
    await walk.decide(TM, discussion, "record_discussion", participants=participants)
    await walk.decide(
        TM,
        discussion,
        "decide_strategy",
        outcome=StrategyOutcome.S47_JOINT_WITH_POLICE,
        rationale="Reasonable cause to suspect significant harm",
        tell_family="The family is told that enquiries will be made with them",
    )
    await walk.say(
        f"{walk.name(TM)} chairs the strategy discussion with social care, police and health: "
        "section 47 enquiries, jointly with the police. The enquiry starts."
    )
    await walk.later_today(LATE_AFTERNOON)
    await walk.decide(TM, discussion, "record_circulated")
    await walk.say("The record of the discussion is circulated to everyone who took part.")


async def _initial_conference(walk: Walkthrough, conference_id: str) -> str:
    """Schedule the conference inside its 15 working days, share the reports, and have the chair make a plan."""
    icpc = await walk.running(conference_id)
    due = _deadline(await walk.status(icpc), "icpc")
    held_on = subtract_working_days(due.due_date, CONFERENCE_EARLY, walk.calendar)
    conference_at = at_local_time(held_on, MORNING)
    await walk.decide(TM, icpc, "schedule_conference", conference_at=conference_at)
    reports = _due_day(await walk.status(icpc), "record_reports_shared")
    await walk.say(
        f"An initial child protection conference is convened, due by {describe_day(due.due_date)} ({due.basis}). "
        f"It is set for {describe_day(held_on)}; the reports go to the parents by {describe_day(reports)}."
    )
    await _reminded(walk, reports, "the reports are")
    await walk.later_today(AFTERNOON)
    await walk.decide(SW, icpc, "record_reports_shared")
    await walk.say(f"{walk.name(SW)} shares the reports with the parents.")
    await _reminded(walk, due.due_date, "the conference is")
    await walk.at(conference_at)
    await walk.decide(
        CHAIR,
        icpc,
        "decide_conference",
        outcome=ConferenceOutcome.PLAN,
        category=CpCategory.NEGLECT,
        lead_social_worker_id=walk.ids.social_worker_id,
        core_group_member_ids=(walk.ids.social_worker_id, walk.ids.health_visitor_id),
        invited_agency_team_ids=tuple(AGENCIES),
        rationale="Consensus: the child is at continuing risk of significant harm through neglect",
    )
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
    """Have the administrator add the school as a partner agency with its own mailbox (fictional)."""
    school = NewTeam(
        team_id=SCHOOL_TEAM_ID,
        name=AGENCIES[SCHOOL_TEAM_ID],
        mailbox=f"{SCHOOL_TEAM_ID}@example.invalid",
        reason="The school is invited to child protection conferences",
    )
    await walk.act(Role.ADMINISTRATOR, create_team, school)
    walk.addresses.update({f"{team_id}@example.invalid": name for team_id, name in AGENCIES.items()})


def _facts(status: ProcessStatus) -> ChildProtectionPlanFacts:
    return facts_of(ChildProtectionPlanFacts, status.facts)


async def _in_register(walk: Walkthrough, plan: str) -> ProcessStatus:
    async def recorded() -> bool:
        return _facts(await walk.status(plan)).previous_plans is not None

    await walk.until(recorded, f"{plan} to be in the plans register")
    return await walk.status(plan)


async def _until_review(walk: Walkthrough, plan: str) -> None:
    """Schedule the next review, then hold each core group and share the reports ahead of their due days."""
    review_due = _due_day(await walk.status(plan), "decide_review")
    review_day = subtract_working_days(review_due, EARLY, walk.calendar)
    await walk.decide(CHAIR, plan, "schedule_review", review_at=at_local_time(review_day, MORNING))
    reports = _due_day(await walk.status(plan), "record_review_reports_shared")
    await walk.say(
        f"The chair schedules the review conference for {describe_day(review_day)} (due by "
        f"{describe_day(review_due)}); reports to parents by {describe_day(reports)}."
    )
    while True:
        status = await walk.status(plan)
        steps = [(_due_day(status, "record_core_group"), "record_core_group")]
        if any(task.decision == "record_review_reports_shared" for task in status.open_tasks):
            steps.append((reports, "record_review_reports_shared"))
        due, step = min(steps)
        ahead = subtract_working_days(due, EARLY, walk.calendar)
        if ahead >= review_day:
            break
        await walk.at(at_local_time(ahead, MORNING if step == "record_core_group" else AFTERNOON))
        await walk.decide(SW, plan, step)
        if step == "record_core_group":
            held = _facts(status).core_groups_held + 1
            await walk.say(f"Core group meeting {held} held (due by {describe_day(due)}).")
        else:
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


async def _review(walk: Walkthrough, plan: str, outcome: ReviewOutcome, category: CpCategory | None) -> None:
    """The independent chair decides at the review conference; continuing, the plan continues as new."""
    runs = _facts(await walk.status(plan)).runs
    record = await walk.decide(
        CHAIR,
        plan,
        "decide_review",
        outcome=outcome,
        category=category,
        rationale="Consensus of the conference after hearing every agency",
    )
    await walk.say(f"The independent chair decides at the review conference — {record.outcome}.")
    if outcome is ReviewOutcome.CONTINUE:

        async def continued() -> bool:
            return _facts(await walk.status(plan)).runs != runs

        await walk.until(continued, f"{plan} to continue as new")
        status = await walk.status(plan)
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
