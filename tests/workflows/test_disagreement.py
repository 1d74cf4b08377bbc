"""Professional disagreements raised against a running assessment (statutory-rules.md §3, §8)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError

from safeguarding.codes import AssessmentOutcome, DeadlineState, DisputeState, Role
from safeguarding.commands.assessment import Authorise
from safeguarding.commands.disagreement import DisagreementResult, EscalateDisagreement, ResolveDisagreement
from safeguarding.models import DecisionRecord
from tests.fixtures.temporal import Harness
from tests.workflows.assessment_steps import allocate_and_see, start_assessment, submit
from tests.workflows.disagreement_steps import (
    actor,
    address,
    at_stage,
    disputed,
    events,
    log_line,
    mail,
    raise_disagreement,
    seed_partners,
    status,
    summaries,
)
from tests.workflows.time_control import eventually, last_working_day_at

FSP, CIN = AssessmentOutcome.FAMILY_SUPPORT_PLAN, AssessmentOutcome.CIN_PLAN


async def _submitted_as_family_support_plan(harness: Harness):
    """An assessment of a school-age child, submitted by the social worker recommending a Family Support Plan."""
    case = await harness.new_case()
    referral = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    assessment = await start_assessment(harness, case, referral)
    await allocate_and_see(harness, assessment)
    await submit(harness, assessment, FSP)
    return case, assessment


async def test_a_disagreement_resolved_between_the_practitioners_is_recorded_and_the_assessment_runs_on(
    harness: Harness,
) -> None:
    case, assessment = await _submitted_as_family_support_plan(harness)
    health_visitor = harness.actor(Role.HEALTH_VISITOR)
    await seed_partners(harness)
    handle = await raise_disagreement(harness, case, assessment, "submit_assessment:1", health_visitor)
    marked = await disputed(assessment)
    first = await at_stage(handle, "practitioners")

    [dispute] = marked.disputes
    assert (dispute.about_key, dispute.raised_by_role, dispute.immediate_risk) == (
        "submit_assessment:1",
        Role.HEALTH_VISITOR,
        False,
    )
    assert marked.stage == "authorisation" and marked.deadlines[0].state is DeadlineState.PENDING
    [limit] = first.deadlines
    assert (limit.rule_id, limit.state) == ("disagreement_stage_practitioners", DeadlineState.PENDING)
    assert limit.basis.startswith("5 working days after the disagreement being raised on ")
    assert "London, Birmingham" in limit.citation
    assert {t.decision for t in first.open_tasks} == {"resolve_disagreement", "escalate_disagreement"}

    record = await handle.execute_update(
        "resolve_disagreement",
        ResolveDisagreement(
            actor=harness.actor(Role.SOCIAL_WORKER),
            statement="We agree the Family Support Plan, with a review of school attendance in 6 weeks.",
        ),
        result_type=DecisionRecord,
    )
    result = await handle.result()
    after = await status(assessment)

    assert record.outcome == "resolved at the practitioners stage: the decision stands"
    assert (result.outcome, result.stage, result.changed_to) == ("resolved", "practitioners", None)
    assert after.stage == "authorisation", "the assessment keeps running, waiting for its authorisation"
    assert [(d.state, d.resolved_at_stage, d.changed_to) for d in after.disputes] == [
        (DisputeState.RESOLVED, "practitioners", None)
    ]
    assert (await status(handle)).deadlines[0].state is DeadlineState.MET
    line = await log_line(harness, handle.id)
    assert (line["stage_reached"], line["outcome"], line["about_process"], line["about_outcome"]) == (
        "practitioners",
        "resolved",
        "assessment",
        "recommends family_support_plan",
    )
    assert line["closed_at"] is not None
    assert await events(harness, handle.id) == [
        "disagreement.raised",
        "disagreement.recorded",
        "deadline.set",
        "decision.resolve_disagreement",
        "disagreement.resolved",
        "stage",
    ]
    assert "dispute.raised" in await events(harness, assessment.id)
    assert "dispute.resolved" in await events(harness, assessment.id)
    both = {address(harness.team.health_visitor_id), address(harness.team.social_worker_id)}
    stage_mail = {to for to, subject in mail(harness) if subject.startswith("Professional disagreement – ")}
    resolved_mail = {to for to, subject in mail(harness) if subject.startswith("Professional disagreement resolved")}
    assert stage_mail == resolved_mail == both


async def test_a_resolution_agreed_by_the_team_managers_turns_the_family_support_plan_into_a_child_in_need_plan(
    harness: Harness,
) -> None:
    case, assessment = await _submitted_as_family_support_plan(harness)
    await seed_partners(harness)
    handle = await raise_disagreement(
        harness, case, assessment, "submit_assessment:1", harness.actor(Role.HEALTH_VISITOR)
    )
    await at_stage(handle, "practitioners")
    await handle.execute_update(
        "escalate_disagreement",
        EscalateDisagreement(actor=harness.actor(Role.HEALTH_VISITOR), rationale="We could not agree the type of plan"),
    )
    await at_stage(handle, "team_managers")
    manager = harness.actor(Role.TEAM_MANAGER)
    change = ResolveDisagreement(actor=manager, statement="A Child in Need plan is agreed.", new_outcome=CIN)
    with pytest.raises(WorkflowUpdateFailedError) as too_soon:
        await handle.execute_update("resolve_disagreement", change)
    assert "only an authorised Family Support Plan can be changed" in str(too_soon.value.cause)

    await assessment.execute_update(
        "authorise",
        Authorise(actor=manager, outcome=FSP, family_consents_to_health_lead=True, rationale="Needs met by a FSP"),
    )

    async def held():
        """the authorised assessment waits, disputed, instead of closing"""
        current = await status(assessment)
        return current if current.stage == "disputed" else None

    holding = await held() or await eventually(held)
    assert (holding.outcome, holding.facts.census_closure_reason) == ("family_support_plan", "RC9")

    await handle.execute_update("resolve_disagreement", change)
    result = await handle.result()
    authorised = await assessment.result()
    final = await status(assessment)

    assert (result.stage, result.changed_to) == ("team_managers", "cin_plan")
    assert authorised.outcome == "family_support_plan", "the authorisation itself stays on the record as made"
    assert (final.stage, final.outcome) == ("closed", "cin_plan")
    assert final.facts.census_closure_reason is None and final.facts.family_support_plan_lead is None
    applied = next(d for d in final.decisions if d.decision == "apply_resolution")
    assert (applied.actor_id, applied.outcome) == (
        manager.practitioner_id,
        "cin_plan (was family_support_plan), agreed at the team_managers stage",
    )
    assert applied.rationale == "A Child in Need plan is agreed."
    assessment_events = await events(harness, assessment.id)
    assert assessment_events.index("dispute.hold") < assessment_events.index("dispute.resolved")
    assert {"disagreement.escalated", "disagreement.applied"} <= set(await events(harness, handle.id))
    line = await log_line(harness, handle.id)
    assert (line["stage_reached"], line["changed_to"], line["outcome"]) == ("team_managers", "cin_plan", "resolved")


async def test_immediate_risk_starts_with_the_service_managers_and_alerts_the_duty_manager_at_once(
    harness: Harness,
) -> None:
    case, assessment = await _submitted_as_family_support_plan(harness)
    partners = await seed_partners(harness)
    police = actor(harness, Role.POLICE_OFFICER, partners.police_officer_id)
    handle = await raise_disagreement(harness, case, assessment, "authorise", police, immediate_risk=True)
    marked = await disputed(assessment)
    current = await at_stage(handle, "service_managers")

    assert marked.disputes[0].immediate_risk and marked.disputes[0].about_key == "authorise"
    assert [(t.decision, t.allowed_roles) for t in current.open_tasks] == [
        ("resolve_disagreement", (Role.SERVICE_MANAGER,)),
        ("escalate_disagreement", (Role.SERVICE_MANAGER,)),
    ]
    assert current.deadlines[0].rule_id == "disagreement_stage_service_managers"

    async def alerted():
        """the duty manager and the service manager are told"""
        subjects = dict(mail(harness))
        return subjects if len(subjects) >= 2 else None

    received = await eventually(alerted)
    assert received[address(partners.duty_manager_id)].startswith(
        f"Immediate risk – professional disagreement on case {case.reference}"
    )
    assert received[address(harness.team.service_manager_id)].startswith(
        f"Professional disagreement – case {case.reference}: for the service managers (heads of service)"
    )
    assert "disagreement.immediate_risk" in await events(harness, handle.id)
    line = await log_line(harness, handle.id)
    assert (line["immediate_risk"], line["started_at_stage"], line["outcome"]) == (True, "service_managers", "open")


async def test_a_decision_by_someone_not_entitled_at_the_stage_is_refused_and_the_disagreement_stays_put(
    harness: Harness,
) -> None:
    case, assessment = await _submitted_as_family_support_plan(harness)
    partners = await seed_partners(harness)
    school = actor(harness, Role.SCHOOL_SAFEGUARDING_LEAD, partners.school_lead_id)
    handle = await raise_disagreement(harness, case, assessment, "submit_assessment:1", school)
    await at_stage(handle, "practitioners")

    async def refused(name: str, command) -> str:
        with pytest.raises(WorkflowUpdateFailedError) as refusal:
            await handle.execute_update(name, command)
        return getattr(refusal.value.cause, "message", "")

    manager = ResolveDisagreement(actor=harness.actor(Role.TEAM_MANAGER), statement="Agreed by me")
    assert await refused("resolve_disagreement", manager) == (
        "resolve_disagreement: at the practitioners stage only a social_worker or a health_visitor or a midwife "
        "or a police_officer or a school_safeguarding_lead may decide; a team_manager may not"
    )
    no_reasons = EscalateDisagreement(actor=school)
    assert await refused("escalate_disagreement", no_reasons) == "escalate_disagreement: a rationale is required"
    await handle.execute_update("escalate_disagreement", EscalateDisagreement(actor=school, rationale="No agreement"))
    await at_stage(handle, "team_managers")
    again = ResolveDisagreement(actor=school, statement="We now agree")
    assert "at the team managers stage only a team_manager may decide; a school_safeguarding_lead may not" in (
        await refused("resolve_disagreement", again)
    )
    current = await status(handle)
    assert current.stage == "team_managers"
    assert [d.decision for d in current.decisions] == ["escalate_disagreement"]
    assert [(d.rule_id, d.state) for d in current.deadlines] == [
        ("disagreement_stage_practitioners", DeadlineState.MET),
        ("disagreement_stage_team_managers", DeadlineState.PENDING),
    ]


async def test_a_disagreement_about_something_the_process_does_not_have_is_refused_on_the_record(
    harness: Harness,
) -> None:
    case, assessment = await _submitted_as_family_support_plan(harness)
    await seed_partners(harness)
    handle = await raise_disagreement(harness, case, assessment, "authorise:7", harness.actor(Role.HEALTH_VISITOR))
    result: DisagreementResult = await handle.result()
    final = await status(handle)

    assert (result.outcome, result.stage) == ("refused", "practitioners")
    assert final.deadlines == () and final.open_tasks == ()
    [why] = await summaries(harness, handle.id, "disagreement.refused")
    assert "'authorise:7' is neither a decision nor an open question of this process" in why
    assert (await status(assessment)).disputes == ()
    assert (await log_line(harness, handle.id))["outcome"] == "refused"


async def test_a_refused_disagreement_resolution_or_decision_logs_no_traceback_in_the_worker(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    case, assessment = await _submitted_as_family_support_plan(harness)
    await seed_partners(harness)
    health_visitor = harness.actor(Role.HEALTH_VISITOR)
    with caplog.at_level(logging.INFO):
        refused = await raise_disagreement(harness, case, assessment, "authorise:7", health_visitor)
        assert (await refused.result()).outcome == "refused"
        await harness.env.sleep(timedelta(seconds=2))  # the next disagreement's id counts seconds
        handle = await raise_disagreement(harness, case, assessment, "submit_assessment:1", health_visitor)
        await at_stage(handle, "practitioners")
        too_soon = ResolveDisagreement(actor=harness.actor(Role.SOCIAL_WORKER), statement="CIN", new_outcome=CIN)
        with pytest.raises(WorkflowUpdateFailedError):
            await handle.execute_update("resolve_disagreement", too_soon)
        not_a_manager = Authorise(actor=health_visitor, outcome=FSP, family_consents_to_health_lead=True, rationale="x")
        with pytest.raises(WorkflowUpdateFailedError):
            await assessment.execute_update("authorise", not_a_manager)

    stacks = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert [(r.name, r.getMessage().splitlines()[0]) for r in stacks] == []
    lines = [r.getMessage() for r in caplog.records if "refused the dispute" in r.getMessage()]
    assert [line.split(" (")[0] for line in lines] == [f"{assessment.id} refused the dispute"] * 2
