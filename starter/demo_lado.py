"""The demo's LADO story: an allegation against a teacher, told the way the LADO's manager would tell it.

statutory-rules.md §6: a school notifies the LADO two working days after the concern reached the head
(recorded as late) about a pupil whose case the team's social worker opens; the LADO responds, finds the
harm test met, refers the pupil to children's social care (a strategy discussion starts on the pupil's
own case) and the police, and holds the allegation management meeting. The police investigate, so the
case is paused: the school's own investigation waits and suspension is considered (not automatic), while
review meetings go on and the 1-month target runs out — the LADO's manager is alerted, then alerted
again. The police finish; the allegation is substantiated; the teacher resigned, but would have been
removed, so the DBS and the teaching regulator are referred to, and the record is kept to retirement
age. Every name is fictional; the person the allegation is about is never named in what the demo prints.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta

from safeguarding.codes import (
    BarringReferral,
    EmployerStrand,
    Ethnicity,
    LadoNotifier,
    LadoOutcome,
    NotificationMethod,
    Role,
    Sex,
)
from safeguarding.commands.lado import HarmLimb, HarmTest
from safeguarding.deadlines import office_moment
from safeguarding.facts import LadoFacts, facts_of
from safeguarding.models import DeadlineView, ProcessStatus
from safeguarding.service.case_models import ChildRegistration, NewChild, Registration
from safeguarding.service.cases import register_child
from safeguarding.service.lado import AllegationRequest, start_lado
from safeguarding.service.lado_report import read_lado_report
from safeguarding.store.lado import PersonInPositionOfTrust
from safeguarding.working_days import (
    add_working_days,
    at_local_time,
    describe_day,
    local_date,
    previous_working_day,
    subtract_working_days,
)
from starter.demo_parts import Mail
from starter.demo_walkthrough import DemoFailed, Walkthrough

LADO = Role.LADO
REFERENCE = "LADO-0001"
SETTLE_POLLS = 10
HOUR = timedelta(hours=1)
PUPIL_UPN = "X001201700008"
"""The pupil's fictional Unique Pupil Number, which the census returns. Its LA number, 001, is
below those of England's local authorities (201 on) yet one the DfE's rules accept (validator rule 1530)."""


async def lado_case(walk: Walkthrough) -> None:
    """Walk an allegation against a teacher from a late notification to the DBS referral."""
    walk.heading(f"Allegation {REFERENCE}: a teacher, notified by the school (LADO)")
    pupil = await _pupil(walk)
    notified = await walk.next_working_day_at(time(9, 30))
    attention = at_local_time(
        previous_working_day(previous_working_day(notified.date(), walk.calendar), walk.calendar), time(15, 30)
    )
    allegation = await _notify(walk, pupil, attention, notified)
    late = _deadline(await walk.status(allegation), "notification")
    await walk.say(
        "The head of a fictional primary school tells the LADO of an allegation against a PE teacher. It reached "
        f"the head on {describe_day(attention.date())}: notification {late.state} "
        f"(due by {describe_day(late.due_date)})."
    )
    profile = walk.parts.profile
    await walk.later_today(time(11, 0))
    await walk.decide(
        LADO, allegation, "respond_to_notification", advice="Do not investigate or speak to the teacher about it yet"
    )
    await walk.say(f"{walk.name(LADO)}, LADO, responds the same morning: the school must not investigate first.")
    await walk.later_today(time(14, 0))
    await _consider(walk, allegation, pupil)
    discussion = await walk.running(_strategy_discussion(await walk.status(allegation), pupil))
    await walk.say(
        f"Harm test met (two of four limbs). The pupil (case {pupil.reference}) is referred to children's social "
        f"care — {discussion} starts on the pupil's own case — and the police are told."
    )

    await walk.next_working_day_at(time(10, 0))
    await walk.decide(LADO, allegation, "record_allegation_meeting", summary="AMM held")
    await walk.decide(
        LADO,
        allegation,
        "record_police_investigation",
        under_way=True,
        rationale="The police investigate a possible assault",
    )
    stage = (await walk.status(allegation)).stage
    await walk.say(f"Allegation management meeting held; the police investigate, so the case is {stage}.")
    refusal = await walk.refused(
        LADO, allegation, "record_employer_action", strand=EmployerStrand.INVESTIGATION, report="Interviews planned"
    )
    await walk.say(f"The school wants to start its own investigation. Refused: {refusal}")
    await walk.later_today(time(15, 0))
    await walk.decide(
        LADO,
        allegation,
        "record_employer_action",
        strand=EmployerStrand.SUSPENSION,
        report="Not suspended",
        suspended=False,
        alternatives_considered="Moved to duties without contact with pupils while the police investigate",
        rationale="Redeployment manages the risk without suspension",
    )
    await walk.say("The school considers suspension: not suspended; redeployed away from pupils (rationale recorded).")

    review = _deadline(await walk.status(allegation), "meeting_2")
    for before in profile.reminder_offsets(profile.rule(review.rule_id)):
        await walk.at(office_moment(subtract_working_days(review.due_date, before, walk.calendar), profile) + HOUR)
        await walk.say(f"{before} working day(s) before the review meeting is due:")
        await _narrate_mail(walk)
    await walk.decide(LADO, allegation, "record_allegation_meeting", summary="Review 1")
    await walk.say(
        f"Review meeting held while the police still investigate (it was due by {describe_day(review.due_date)})."
    )

    target = _deadline(await walk.status(allegation), "resolution_1_month")
    escalation = add_working_days(target.due_date, profile.escalation.service_manager_after_working_days, walk.calendar)
    await walk.at(office_moment(escalation, profile) + HOUR)
    await walk.say(f"The 1-month target passed on {describe_day(target.due_date)} with the case still paused:")
    arrived = await _narrate_mail(walk)
    if sum("target: 80% of cases" in m.subject and "verdue" in m.subject for m in arrived) != 2:
        raise DemoFailed("the LADO's manager was not alerted, then alerted again, about the 1-month target")

    await walk.next_working_day_at(time(10, 0))
    await walk.decide(
        LADO, allegation, "record_police_investigation", under_way=False, rationale="Police finished: no charge"
    )
    await walk.say("The police finish without a charge: the case resumes.")
    await walk.later_today(time(11, 0))
    await walk.decide(
        LADO,
        allegation,
        "record_allegation_outcome",
        outcome=LadoOutcome.SUBSTANTIATED,
        removed_from_regulated_activity=True,
        resigned=True,
        rationale="Consistent accounts from pupils and staff; the school would have dismissed the teacher",
    )
    facts = facts_of(LadoFacts, (await walk.status(allegation)).facts)
    await walk.say(
        "Outcome: substantiated. The teacher resigned, but would have been removed: "
        f"DBS referral {facts.dbs_referral}, teaching regulator referral {facts.regulator_referral}. "
        f"Record {facts.retention_basis}."
    )
    await walk.later_today(time(14, 0))
    for referral in (BarringReferral.DBS, BarringReferral.TEACHING_REGULATOR):
        await walk.decide(LADO, allegation, "record_barring_referral", referral=referral)
    final = await walk.closed(allegation)
    targets = ", ".join(
        f"{d.rule_id.removeprefix('lado_resolution_')} {d.state}"
        for d in final.deadlines
        if d.rule_id.startswith("lado_resolution")
    )
    await walk.say(f"Both referrals made: the allegation is closed ({targets}).")
    report = await walk.act(Role.LADO_MANAGER, read_lado_report, now=await walk.now())
    await walk.say(
        "From the case store: "
        + "; ".join(
            f"{s.rule_id.removeprefix('lado_resolution_')}: {s.met} met, {s.missed} missed"
            for s in report.resolution_targets
        )
    )
    await _narrate_mail(walk)


async def _pupil(walk: Walkthrough) -> Registration:
    """Have the team's social worker register the pupil and open their case (a fictional 9-year-old)."""
    child = NewChild(
        given_name="Sky",
        family_name="Fictional",
        date_of_birth=date(local_date(await walk.now()).year - 9, 5, 1),
        sex=Sex.UNKNOWN,
        ethnicity=Ethnicity.NOT_YET_OBTAINED,
        address="2 Nowhere Lane, Exampletown (fictional)",
        upn=PUPIL_UPN,
    )
    return await walk.act(Role.SOCIAL_WORKER, register_child, ChildRegistration(child=child))


async def _notify(walk: Walkthrough, pupil: Registration, attention: datetime, notified: datetime) -> str:
    """Have the LADO take the school's notification: the allegation is recorded and the LADO's process starts."""
    request = AllegationRequest(
        reference=REFERENCE,
        subject=PersonInPositionOfTrust(
            given_name="Jordan",
            family_name="Example-Subject",
            date_of_birth=date(1988, 6, 15),
            role="PE teacher",
            is_teacher=True,
        ),
        employer="Fictional Academy Trust",
        setting="Fictional Primary School",
        what_happened="A pupil says the teacher pushed them against a wall during a PE lesson.",
        happened_on=attention.date(),
        came_to_attention_at=attention,
        action_taken="The pupil's account was written down; nothing else yet.",
        children=(pupil.reference,),
        notifier_kind=LadoNotifier.EMPLOYER,
        notifier_name="Fictional Headteacher",
        notifier_organisation="Fictional Primary School",
        method=NotificationMethod.PHONE,
        notified_at=notified,
    )
    return await walk.running((await walk.act(LADO, start_lado, request)).workflow_id)


async def _consider(walk: Walkthrough, allegation: str, pupil: Registration) -> None:
    """The LADO applies the harm test and refers the pupil to children's social care and the police."""
    await walk.decide(
        LADO,
        allegation,
        "consider_allegation",
        harm_test=HarmTest(
            harmed_a_child=HarmLimb(met=True, note="The pupil has a bruise on the shoulder"),
            possible_offence=HarmLimb(met=True, note="Possible common assault"),
            risk_of_harm=HarmLimb(met=False, note="No earlier concerns about this teacher"),
            unsuitable=HarmLimb(met=False, note="Nothing known outside school"),
        ),
        advice_to_employer="Keep the teacher away from the pupil; do not investigate until the police agree",
        refer_to_childrens_social_care=(pupil.case_id,),
        refer_to_police=True,
    )


async def _narrate_mail(walk: Walkthrough) -> list[Mail]:
    """Wait until no more e-mail arrives for a moment, then say who received what."""
    seen, quiet = -1, 0
    while quiet < SETTLE_POLLS:
        count = len(walk.parts.mail.since(walk.mail_seen))
        quiet = quiet + 1 if count == seen else 0
        seen = count
        await asyncio.sleep(0.05)
    return await walk.mail(seen) if seen else []


def _deadline(status: ProcessStatus, key: str) -> DeadlineView:
    return next(d for d in status.deadlines if d.key == key)


def _strategy_discussion(status: ProcessStatus, pupil: Registration) -> str:
    return facts_of(LadoFacts, status.facts).strategy_discussions[pupil.reference]
