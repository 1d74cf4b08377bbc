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

from safeguarding.codes import (
    Agency,
    AssessmentFactor,
    AssessmentOutcome,
    Ethnicity,
    PrimaryNeed,
    ReferralSource,
    Role,
    Sex,
)
from safeguarding.service.admin import create_practitioner
from safeguarding.service.admin_models import NewPractitioner
from safeguarding.service.assessments import AssessmentRequest, start_assessment
from safeguarding.service.case_models import ChildRegistration, NewChild
from safeguarding.service.cases import register_child
from safeguarding.service.disagreements import DisagreementRequest, raise_disagreement
from safeguarding.service.escalation_log import read_escalation_log
from safeguarding.stages import SharedStage
from safeguarding.working_days import describe_day, local_date
from starter.demo_walkthrough import DemoFailed, Walkthrough

SW, TM = Role.SOCIAL_WORKER, Role.TEAM_MANAGER
MORNING, AFTERNOON = time(10, 0), time(14, 0)
PUPIL_UPN = "X001201700010"
"""The 10-year-old's fictional Unique Pupil Number, which the census returns. Its LA number, 001, is
below those of England's local authorities (201 on) yet one the DfE's rules accept (validator rule 1530)."""
SCHOOL_LEAD = ("prac-example-dsl", "Dana", "Example-Schoollead")


async def disagreement_case(walk: Walkthrough) -> None:
    """Walk a disagreement about the type of plan from the practitioners to the team managers and its resolution."""
    case = await _register_pupil(walk)
    await _add_school_lead(walk)
    walk.heading(f"Case {case}: a 10-year-old; the school disagrees with the plan")
    referral = await walk.next_working_day_at(MORNING)
    request = AssessmentRequest(case_reference=case, referral_at=referral, referral_source=ReferralSource.SCHOOLS)
    assessment = (await walk.act(SW, start_assessment, request)).workflow_id
    await walk.say(f"A child and family assessment of case {case} starts from a referral.")
    await walk.decide(TM, assessment, "allocate", social_worker_id=walk.ids.social_worker_id)
    await walk.later_today(AFTERNOON)
    await walk.decide(SW, assessment, "record_child_seen")
    await walk.next_working_day_at(MORNING)
    await walk.decide(SW, assessment, "submit_assessment", recommended_outcome=AssessmentOutcome.FAMILY_SUPPORT_PLAN)
    await walk.say(f"{walk.name(SW)} sees the child and submits the assessment, recommending a Family Support Plan.")

    await walk.later_today(AFTERNOON)
    raised = DisagreementRequest(
        about_workflow_id=assessment,
        about_key="submit_assessment:1",
        raised_at=await walk.now(),
        disagrees_with="Attendance has fallen to 70% and the child comes to school hungry; early help has not worked.",
        proposes="A Child in Need plan, led by the social worker.",
    )
    started = await walk.act(SCHOOL_LEAD[0], raise_disagreement, raised)
    disagreement, limit = started.workflow_id, started.deadline
    if limit is None:
        raise DemoFailed(f"{disagreement} started without the time limit of its first stage")
    await walk.awaits(disagreement, "resolve_disagreement")
    disputed = (await walk.status(assessment)).disputes
    await walk.say(
        f"{_name(SCHOOL_LEAD)}, the school's safeguarding lead, disagrees and proposes a Child in Need plan. "
        f"The assessment marks its recommendation as disputed ({len(disputed)} open) and carries on."
    )
    await walk.say(f"The practitioners have until {describe_day(limit.due_date)} to resolve it ({limit.basis}).")
    await walk.mail(2)

    await walk.at(limit.passes_at)
    await walk.next_working_day_at(MORNING)
    await walk.awaits(disagreement, "resolve_disagreement")
    stage = await walk.status(disagreement)
    if stage.stage != "team_managers":
        raise DemoFailed(f"the disagreement is at {stage.stage!r}, not with the team managers")
    await walk.say("The practitioners have not agreed within the week: it escalates by itself to the team managers.")
    await walk.mail(1)
    refusal = await walk.refused(SW, disagreement, "resolve_disagreement", statement="We agree the plan")
    await walk.say(f"{walk.name(SW)} tries to close it. Refused: {refusal}")

    await walk.later_today(AFTERNOON)
    await walk.decide(
        TM,
        assessment,
        "authorise",
        outcome=AssessmentOutcome.FAMILY_SUPPORT_PLAN,
        primary_need=PrimaryNeed.FAMILY_IN_ACUTE_STRESS,
        factors=(AssessmentFactor.NEGLECT,),
        family_consents_to_health_lead=False,
        rationale="Authorised as recommended, pending the disagreement",
    )
    await walk.until(lambda: _stage_is(walk, assessment, SharedStage.DISPUTED), "the assessment to wait, disputed")
    await walk.say(
        f"{walk.name(TM)} authorises the Family Support Plan recommended; with the disagreement open, the "
        "assessment waits in stage 'disputed' instead of closing."
    )
    await walk.next_working_day_at(MORNING)
    await walk.decide(
        TM,
        disagreement,
        "resolve_disagreement",
        statement="The team managers agree a Child in Need plan: school attendance and food are the first goals.",
        new_outcome=AssessmentOutcome.CIN_PLAN,
    )
    final = await walk.closed(assessment)
    await walk.say(
        f"The team managers agree a Child in Need plan in writing; it is applied to the assessment, which closes "
        f"with outcome {final.outcome}."
    )
    await walk.mail(2)
    await walk.closed(disagreement)
    await _print_log(walk)


async def _stage_is(walk: Walkthrough, workflow_id: str, stage: str) -> bool:
    return (await walk.status(workflow_id)).stage == stage


async def _print_log(walk: Walkthrough) -> None:
    """Say what the partnership's escalation log holds for today, as the service manager reads it (§8)."""
    profile = walk.parts.profile.disagreement
    assert profile is not None
    today = local_date(await walk.now())
    log = await walk.act(
        Role.SERVICE_MANAGER, read_escalation_log, profile.partnership, today - timedelta(days=31), today
    )
    for line in log.lines:
        await walk.say(
            f"Escalation log of {profile.partnership}: case {line.case_reference}, raised by a "
            f"{line.raised_by_role.replace('_', ' ')} about {line.about_key}; reached the {line.stage_reached} "
            f"stage; {line.outcome} (changed to {line.changed_to}) in {line.time_taken_hours} hours."
        )


def _name(person: tuple[str, str, str]) -> str:
    return f"{person[1]} {person[2]}"


async def _register_pupil(walk: Walkthrough) -> str:
    """Have the team's social worker register the pupil and open their case; return its reference."""
    child = NewChild(
        given_name="Jo",
        family_name="Fictional",
        date_of_birth=date(local_date(await walk.now()).year - 10, 3, 1),
        sex=Sex.UNKNOWN,
        ethnicity=Ethnicity.NOT_YET_OBTAINED,
        address="4 Nowhere Lane, Exampletown (fictional)",
        upn=PUPIL_UPN,
    )
    return (await walk.act(SW, register_child, ChildRegistration(child=child))).reference


async def _add_school_lead(walk: Walkthrough) -> None:
    """Have the administrator add the pupil's school's designated safeguarding lead (fictional)."""
    practitioner_id, given, family = SCHOOL_LEAD
    lead = NewPractitioner(
        practitioner_id=practitioner_id,
        given_name=given,
        family_name=family,
        email=f"{practitioner_id}@example.invalid",
        role=Role.SCHOOL_SAFEGUARDING_LEAD,
        agency=Agency.EDUCATION,
        team_id=walk.ids.team_id,
        reason="The designated safeguarding lead of a school the team works with",
    )
    await walk.act(Role.ADMINISTRATOR, create_practitioner, lead)
    walk.addresses[lead.email] = f"{given} {family}, school safeguarding lead"
