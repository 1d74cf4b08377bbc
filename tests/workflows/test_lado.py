"""The LADO's process: harm test, referrals, outcome and its consequences (statutory-rules.md §6)."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from safeguarding.codes import DeadlineState, EmployerStrand, LadoOutcome, LadoRetention
from safeguarding.commands.lado import (
    ConsiderAllegation,
    RecordAllegationMeeting,
    RecordBarringReferral,
    RecordEmployerAction,
    RespondToNotification,
)
from safeguarding.commands.strategy_discussion import StrategyDiscussionInput
from safeguarding.procedure_profile import load_profile
from safeguarding.schema import lado_outcomes
from safeguarding.store.chronology import list_chronology
from safeguarding.store.lado import list_children
from safeguarding.working_days import at_local_time, previous_working_day
from tests.fixtures.temporal import ROOT, Harness
from tests.workflows.lado_steps import (
    LadoTeam,
    consider,
    deadline,
    harm_test,
    notification_form,
    outcome,
    seed_lado_team,
    start_lado,
    status,
)
from tests.workflows.time_control import eventually

PROFILE_24H = load_profile(ROOT / "profiles" / "example-24-hour-clocks.toml")


async def _yesterday_morning(harness: Harness):
    """Return 10:00 on the working day before the server's today: a notification already received."""
    today = (await harness.env.get_current_time()).date()
    return at_local_time(previous_working_day(today, harness.calendar), time(10, 0))


async def _notified(harness: Harness, team: LadoTeam, **form):
    notified = await _yesterday_morning(harness)
    return await start_lado(
        harness,
        team,
        notification_form(team, came_to_attention_at=notified - timedelta(hours=2), notified_at=notified, **form),
    )


async def test_an_allegation_below_the_harm_test_is_closed_as_a_low_level_concern_with_every_limb_recorded(
    harness: Harness,
) -> None:
    team = await seed_lado_team(harness)
    handle = await _notified(harness, team)
    await handle.execute_update(
        "consider_allegation",
        ConsiderAllegation(
            actor=team.actor(),
            harm_test=harm_test(met=False),
            advice_to_employer="Handle under the low-level concerns policy and keep a record",
            low_level_concern=True,
        ),
    )
    result = await handle.result()
    state = await status(handle)

    assert (result.outcome, result.harm_test_met) == ("low_level_concern", False)
    assert state.stage == "closed"
    assert {d.key: d.state for d in state.deadlines} == {
        "notification": DeadlineState.MET,
        "response": DeadlineState.MET,
    }
    async with harness.sessionmaker() as session:
        entries = await list_chronology(state.case_id, session=session)
    limbs = [e["summary"] for e in entries if e["event"].startswith("harm_test.")]
    assert len(limbs) == 4 and all(": not met — " in limb for limb in limbs)
    assert harness.smtp.messages == []


async def test_a_teachers_proven_allegation_goes_to_dbs_and_regulator(
    harness: Harness,
) -> None:
    team = await seed_lado_team(harness)
    child = await harness.new_case()
    handle = await _notified(harness, team, children=(child.case_id,), is_teacher=True, date_of_birth=date(1990, 4, 12))
    await handle.execute_update("respond_to_notification", RespondToNotification(actor=team.actor(), advice="Call me"))
    await handle.execute_update("consider_allegation", consider(team, children=(child.case_id,), police=True))
    await handle.execute_update(
        "record_employer_action",
        RecordEmployerAction(
            actor=team.actor(),
            strand=EmployerStrand.SUSPENSION,
            report="Suspended on full pay",
            suspended=True,
            alternatives_considered="Redeployment away from pupils was not possible in a small school",
            rationale="Risk to pupils cannot be managed while the teacher is on site",
        ),
    )
    await handle.execute_update(
        "record_allegation_meeting", RecordAllegationMeeting(actor=team.actor(), summary="Police, school, LADO met")
    )
    await handle.execute_update(
        "record_employer_action",
        RecordEmployerAction(actor=team.actor(), strand=EmployerStrand.DISCIPLINARY, report="Dismissed after hearing"),
    )
    await handle.execute_update(
        "record_allegation_outcome", outcome(team, LadoOutcome.SUBSTANTIATED, removed=True, resigned=True)
    )
    mid = await status(handle)
    assert mid.stage == "referrals"
    assert [t.key for t in mid.open_tasks] == [
        "record_barring_referral:dbs",
        "record_barring_referral:teaching_regulator",
    ]
    for referral in ("dbs", "teaching_regulator"):
        await handle.execute_update(
            "record_barring_referral", RecordBarringReferral(actor=team.actor(), referral=referral)
        )
    result = await handle.result()
    state = await status(handle)

    assert (result.outcome, result.referrals) == ("substantiated", ("dbs", "teaching_regulator"))
    assert state.facts.retention == LadoRetention.KEEP_UNTIL
    assert "normal retirement age (67)" in state.facts.retention_basis
    # The process never sees the date of birth, nor the retirement date worked out from it (2057-04-12); its
    # own timestamps may hold those digits, so the dates are looked for as dates, in the status as JSON.
    shown = state.model_dump_json()
    assert "1990-04-12" not in shown and "2057-04-12" not in shown
    targets = {d.key: d.state for d in state.deadlines if d.key.startswith("resolution")}
    assert targets == {
        k: DeadlineState.MET for k in ("resolution_1_month", "resolution_3_months", "resolution_12_months")
    }
    assert deadline(state, "meeting_2").reasons == "not needed: the allegation was resolved (substantiated)"
    async with harness.sessionmaker() as session:
        stored = (await session.execute(select(lado_outcomes))).mappings().one()
        [linked] = await list_children(state.case_id, session=session)
    assert (stored["retain_until"], stored["dbs_referral_required"], stored["regulator_referral_required"]) == (
        date(2057, 4, 12),
        True,
        True,
    )
    discussion_id = state.facts.strategy_discussions[child.reference]
    assert linked["strategy_discussion_workflow_id"] == discussion_id
    assert await _strategy_discussion_input(harness, discussion_id) == (child.case_id, "lado", handle.id)


async def _strategy_discussion_input(harness: Harness, workflow_id: str) -> tuple[str, str, str | None]:
    """Return the case, reason and source of the strategy discussion the LADO started, from its history."""
    harness.started.append(workflow_id)
    history = await harness.client.get_workflow_handle(workflow_id).fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes
    assert started.workflow_type.name == "StrategyDiscussion"
    [arg] = await harness.client.data_converter.decode(started.input.payloads, [StrategyDiscussionInput])
    return arg.context.case_id, str(arg.reason), arg.source_workflow_id


async def test_a_malicious_allegation_is_removed_from_the_record_and_measured_against_one_week(
    harness: Harness,
) -> None:
    team = await seed_lado_team(harness)
    handle = await _notified(harness, team)
    await handle.execute_update("consider_allegation", consider(team))
    await handle.execute_update("record_allegation_outcome", outcome(team, LadoOutcome.MALICIOUS))
    result = await handle.result()
    state = await status(handle)

    assert (result.outcome, result.referrals) == ("malicious", ())
    assert state.facts.retention == LadoRetention.REMOVE
    assert deadline(state, "resolution_unfounded").state is DeadlineState.MET
    async with harness.sessionmaker() as session:
        stored = (await session.execute(select(lado_outcomes))).mappings().one()
    assert (stored["retention"], stored["retain_until"]) == ("remove_from_personnel_record", None)


async def test_a_notification_a_week_after_the_concern_is_recorded_as_late_and_raises_no_alarm(
    harness: Harness,
) -> None:
    team = await seed_lado_team(harness)
    notified = await _yesterday_morning(harness)
    handle = await start_lado(
        harness,
        team,
        notification_form(team, came_to_attention_at=notified - timedelta(days=7), notified_at=notified),
    )
    state = await status(handle)
    late = deadline(state, "notification")

    assert late.state is DeadlineState.MISSED
    assert late.met_on == notified.date()
    assert "after the allegation coming to the employer's attention" in late.basis

    async def recorded():
        """the notification reaches the case store's chronology"""
        async with harness.sessionmaker() as session:
            entries = await list_chronology(state.case_id, session=session)
        return [e["event"] for e in entries if e["event"].startswith("lado.")]

    assert await eventually(recorded) == ["lado.notified", "lado.notified_late"]
    assert not [m for m in harness.smtp.messages if "notifies the LADO" in m["Subject"]]


async def test_a_notification_the_next_afternoon_is_in_time_on_working_days_but_late_on_a_24_hour_clock(
    harness: Harness,
) -> None:
    team = await seed_lado_team(harness)
    notified = (await _yesterday_morning(harness)).replace(hour=16)
    attention = at_local_time(previous_working_day(notified.date(), harness.calendar), time(10, 0))
    forms = [notification_form(team, came_to_attention_at=attention, notified_at=notified) for _ in ("wd", "24h")]
    by_working_days = await start_lado(harness, team, forms[0])
    by_hours = await start_lado(harness, team, forms[1], profile=PROFILE_24H)

    assert deadline(await status(by_working_days), "notification").state is DeadlineState.MET
    assert deadline(await status(by_hours), "notification").state is DeadlineState.MISSED
