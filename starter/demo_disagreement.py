"""The demo's professional disagreement, told the way a team manager would tell it (statutory-rules.md §3, §8).

A 10-year-old's assessment is submitted recommending a Family Support Plan. The school's designated
safeguarding lead disagrees: they propose a Child in Need plan. The practitioners do not settle it within
the profile's working week, so it escalates by itself to the team managers; the social worker, not
entitled at that stage, cannot close it. The manager authorises the Family Support Plan, but the
assessment does not close while the disagreement is open. The team managers agree a Child in Need plan
in writing; it is applied to the assessment, and the partnership's escalation log records it all.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import AgeBand, AssessmentOutcome, Role
from safeguarding.commands.assessment import (
    Allocate,
    AssessmentInput,
    Authorise,
    RecordChildSeen,
    SubmitAssessment,
    assessment_id,
)
from safeguarding.commands.disagreement import (
    DisagreementInput,
    RaiseDisagreement,
    ResolveDisagreement,
    disagreement_id,
)
from safeguarding.models import Actor
from safeguarding.schema import cases, people, practitioners
from safeguarding.service.escalation_log import read_escalation_log
from safeguarding.service.principals import principal_for
from safeguarding.stages import SharedStage
from safeguarding.store.examples import ExampleCase
from safeguarding.working_days import describe_day, local_date
from starter.demo_walkthrough import DemoFailed, Walkthrough

SW, TM = Role.SOCIAL_WORKER, Role.TEAM_MANAGER
MORNING, AFTERNOON = time(10, 0), time(14, 0)
SCHOOL_LEAD = ("prac-example-dsl", "Dana", "Example-Schoollead")
PUPIL = ExampleCase("case-example-10y", "EX-0010", "person-example-10y", AgeBand.FIVE_AND_OVER)


async def disagreement_case(walk: Walkthrough) -> None:
    """Walk a disagreement about the type of plan from the practitioners to the team managers and its resolution."""
    case = PUPIL
    walk.heading(f"Case {case.reference}: a 10-year-old; the school disagrees with the plan")
    await _seed(walk)
    referral = await walk.next_working_day_at(MORNING)
    assessment = await walk.start(
        "Assessment",
        AssessmentInput(context=walk.context(case), referral_at=referral),
        assessment_id(case.reference),
    )
    await walk.say(f"A child and family assessment of case {case.reference} starts from a referral.")
    await walk.decide(
        assessment, "allocate", Allocate(actor=walk.actor(TM), social_worker_id=walk.ids.social_worker_id)
    )
    await walk.later_today(AFTERNOON)
    await walk.decide(assessment, "record_child_seen", RecordChildSeen(actor=walk.actor(SW)))
    await walk.next_working_day_at(MORNING)
    await walk.decide(
        assessment,
        "submit_assessment",
        SubmitAssessment(actor=walk.actor(SW), recommended_outcome=AssessmentOutcome.FAMILY_SUPPORT_PLAN),
    )
    await walk.say(f"{walk.name(SW)} sees the child and submits the assessment, recommending a Family Support Plan.")

    await walk.later_today(AFTERNOON)
    school = Actor(practitioner_id=SCHOOL_LEAD[0], role=Role.SCHOOL_SAFEGUARDING_LEAD, team_id=walk.ids.team_id)
    raised = RaiseDisagreement(
        actor=school,
        about_workflow_id=assessment.id,
        about_key="submit_assessment:1",
        disagrees_with="Attendance has fallen to 70% and the child comes to school hungry; early help has not worked.",
        proposes="A Child in Need plan, led by the social worker.",
    )
    handle = await walk.start(
        "Disagreement",
        DisagreementInput(context=walk.context(case), raised=raised),
        disagreement_id(case.reference, await walk.now()),
    )
    await walk.awaits(handle, "resolve_disagreement")
    limit = (await walk.status(handle)).deadlines[0]
    disputed = (await walk.status(assessment)).disputes
    await walk.say(
        f"{_name(SCHOOL_LEAD)}, the school's safeguarding lead, disagrees and proposes a Child in Need plan. "
        f"The assessment marks its recommendation as disputed ({len(disputed)} open) and carries on."
    )
    await walk.say(f"The practitioners have until {describe_day(limit.due_date)} to resolve it ({limit.basis}).")
    await walk.mail(2)

    await walk.at(limit.passes_at)
    await walk.next_working_day_at(MORNING)
    await walk.awaits(handle, "resolve_disagreement")
    stage = await walk.status(handle)
    if stage.stage != "team_managers":
        raise DemoFailed(f"the disagreement is at {stage.stage!r}, not with the team managers")
    await walk.say("The practitioners have not agreed within the week: it escalates by itself to the team managers.")
    await walk.mail(1)
    refusal = await walk.refused(
        handle, "resolve_disagreement", ResolveDisagreement(actor=walk.actor(SW), statement="We agree the plan")
    )
    await walk.say(f"{walk.name(SW)} tries to close it. Refused: {refusal}")

    await walk.later_today(AFTERNOON)
    await walk.decide(
        assessment,
        "authorise",
        Authorise(
            actor=walk.actor(TM),
            outcome=AssessmentOutcome.FAMILY_SUPPORT_PLAN,
            family_consents_to_health_lead=False,
            rationale="Authorised as recommended, pending the disagreement",
        ),
    )
    await walk.until(lambda: _stage_is(walk, assessment, SharedStage.DISPUTED), "the assessment to wait, disputed")
    await walk.say(
        f"{walk.name(TM)} authorises the Family Support Plan recommended; with the disagreement open, the "
        "assessment waits in stage 'disputed' instead of closing."
    )
    await walk.next_working_day_at(MORNING)
    await walk.decide(
        handle,
        "resolve_disagreement",
        ResolveDisagreement(
            actor=walk.actor(TM),
            statement="The team managers agree a Child in Need plan: school attendance and food are the first goals.",
            new_outcome=AssessmentOutcome.CIN_PLAN,
        ),
    )
    final = await walk.closed(assessment)
    await walk.say(
        f"The team managers agree a Child in Need plan in writing; it is applied to the assessment, which closes "
        f"with outcome {final.outcome}."
    )
    await walk.mail(2)
    await walk.closed(handle)
    await _print_log(walk)


async def _stage_is(walk: Walkthrough, handle, stage: str) -> bool:
    return (await walk.status(handle)).stage == stage


async def _print_log(walk: Walkthrough) -> None:
    """Say what the partnership's escalation log holds for today (the case store's table)."""
    profile = walk.parts.profile.disagreement
    assert profile is not None
    today = local_date(await walk.now())
    services = walk.parts.services
    service_manager = await principal_for(services, walk.ids.service_manager_id)
    log = await read_escalation_log(services, service_manager, profile.partnership, today - timedelta(days=31), today)
    for line in log.lines:
        await walk.say(
            f"Escalation log of {profile.partnership}: case {line.case_reference}, raised by a "
            f"{line.raised_by_role.replace('_', ' ')} about {line.about_key}; reached the {line.stage_reached} "
            f"stage; {line.outcome} (changed to {line.changed_to}) in {line.time_taken_hours} hours."
        )


def _name(person: tuple[str, str, str]) -> str:
    return f"{person[1]} {person[2]}"


async def _seed(walk: Walkthrough) -> None:
    """Create the pupil's case and the school's safeguarding lead (once; the ids are fixed)."""
    async with walk.parts.sessionmaker.begin() as session:
        practitioner_id, given, family = SCHOOL_LEAD
        await _insert_once(
            practitioners,
            {
                "id": practitioner_id,
                "given_name": given,
                "family_name": family,
                "email": f"{practitioner_id}@example.invalid",
                "role": str(Role.SCHOOL_SAFEGUARDING_LEAD),
                "agency": "education",
                "team_id": walk.ids.team_id,
            },
            session,
        )
        today = local_date(await walk.now())
        await _insert_once(
            people,
            {"id": PUPIL.child_id, "given_name": "Jo", "family_name": "Fictional", "date_of_birth": _ten(today)},
            session,
        )
        await _insert_once(
            cases,
            {
                "id": PUPIL.case_id,
                "reference": PUPIL.reference,
                "child_id": PUPIL.child_id,
                "team_id": walk.ids.team_id,
                "opened_at": await walk.now(),
            },
            session,
        )
    walk.addresses[f"{practitioner_id}@example.invalid"] = f"{given} {family}, school safeguarding lead"


def _ten(today: date) -> date:
    return date(today.year - 10, 3, 1)


async def _insert_once(table: Table, row: dict, session: AsyncSession) -> None:
    await session.execute(insert(table).values(row).on_conflict_do_nothing())
