"""The section 47 enquiry (statutory-rules.md §4, §5, §9)."""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.codes import EnquiryOutcome, HandOffState, Process
    from safeguarding.commands.assessment import (
        EmergencyActionTold,
        RecordEmergencyAction,
        TellEmergencyAction,
        assessment_id,
    )
    from safeguarding.commands.conference import InitialConferenceInput, initial_conference_id
    from safeguarding.commands.strategy_discussion import ConcludeEnquiry, FurtherDiscussion, S47Input
    from safeguarding.icpc import icpc_target
    from safeguarding.models import Actor, CalendarUpdate, DecisionRecord, HandOff, TaskView
    from safeguarding.stages import S47Stage
    from workflows._process import ACTIVITY_TIMEOUT, STORE_RETRY, ProcessWorkflow

TELLS_THE_ASSESSMENT = "s47-tells-the-assessment"
"""Patch (Nov 2026): a joint enquiry defers the joint visit of the case's assessment, and resumes it when
concluded; joint enquiries started earlier left the social worker to record the emergency action."""


@workflow.defn(name="S47Enquiry")
class S47EnquiryWorkflow(ProcessWorkflow):
    """A section 47 enquiry, led by the social worker, single-agency or jointly with the police.

    Started by a strategy discussion's decision; a later discussion on the same case while it runs is
    recorded as the 'last' discussion, one of the three dates an initial conference may count from (§5).
    The team manager concludes it: concerns not substantiated — a Child in Need plan, early help or no
    further action (the census's "ICPC not required") — or substantiated with continuing risk of
    significant harm, which convenes the initial child protection conference. From its start it shows the
    date that conference would be due by (rule `icpc`, from the profile's anchor; the census's ICPC target).
    An enquiry joint with the police is emergency action: it tells the assessment running on the case, whose
    joint visit with health waits until the enquiry is concluded (§3).
    """

    PROCESS = Process.S47_ENQUIRY

    @workflow.init
    def __init__(self, input: S47Input) -> None:
        self.input = input
        self._start_core(input.context, None, stage=S47Stage.ENQUIRY)
        self.last_discussion_at = input.discussion_at
        self.concluded: ConcludeEnquiry | None = None
        self.core.facts.update(
            first_discussion_at=input.discussion_at.isoformat(),
            last_discussion_at=input.discussion_at.isoformat(),
            s47_started_at=input.started_at.isoformat(),
            joint_with_police=str(input.joint_with_police).lower(),
        )
        self._show_icpc_target()
        self.note(
            "s47.started",
            "section 47 enquiry started" + (" jointly with the police" if input.joint_with_police else ""),
            at=input.started_at,
        )

    @workflow.run
    async def run(self, input: S47Input) -> DecisionRecord:
        """Wait for the enquiry's conclusion and act on it."""
        self._upsert_search_attributes()
        watch = asyncio.create_task(self.watch_deadlines())
        await self.record()
        tells_the_assessment = input.joint_with_police and workflow.patched(TELLS_THE_ASSESSMENT)
        # Only an enquiry handed off before its input named the chair lacks who to record the deferral as.
        if tells_the_assessment and input.decided_by is not None:
            await self._tell_the_assessment(input.decided_by, under_way=True)
        await workflow.wait_condition(lambda: self.concluded is not None)
        assert self.concluded is not None
        record = next(d for d in reversed(self.core.decisions) if d.decision == "conclude_enquiry")
        if tells_the_assessment:
            await self._tell_the_assessment(self.concluded.actor, under_way=False)
        outcome = self.concluded.outcome
        if outcome is EnquiryOutcome.SUBSTANTIATED:
            await self._convene_conference()
        else:
            self.core.facts["icpc_not_required"] = "true"
            if outcome is EnquiryOutcome.NOT_SUBSTANTIATED_CIN_PLAN:
                await self.start_cin_plan(record.effective_at)
        await self.close(str(outcome))
        await watch
        await workflow.wait_condition(workflow.all_handlers_finished)
        return record

    async def _tell_the_assessment(self, actor: Actor, *, under_way: bool) -> None:
        """Record on the case's running assessment, as `actor`, that this emergency action started or ended.

        One record for both processes: the social worker does not record it again on the assessment (§3).
        """
        enquiry_id = workflow.info().workflow_id
        command = RecordEmergencyAction(
            actor=actor,
            under_way=under_way,
            rationale=f"joint section 47 enquiry with the police {'under way' if under_way else 'concluded'}: "
            f"{enquiry_id}",
        )
        assessment_workflow_id = await self.process_id(Process.ASSESSMENT, assessment_id(self.context.case_reference))
        told = await workflow.execute_activity(
            ActivityName.TELL_EMERGENCY_ACTION,
            TellEmergencyAction(
                assessment_workflow_id=assessment_workflow_id,
                update_id=f"{enquiry_id}/{workflow.info().run_id}:emergency_action:{str(under_way).lower()}",
                command=command,
            ),
            result_type=EmergencyActionTold,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=STORE_RETRY,
        )
        if not told.found:
            return
        if told.refusal:
            self.note("s47.assessment_not_told", f"the case's assessment kept its own record: {told.refusal}")
        elif under_way:
            self.note("s47.assessment_told", "the case's assessment defers its joint visit while this enquiry runs")
        else:
            self.note("s47.assessment_told", "the case's assessment resumes its joint visit: this enquiry concluded")
        await self.record()

    def _show_icpc_target(self) -> None:
        """Show when the initial conference would be due, as the conference itself will count it (§5, §9)."""
        due = icpc_target(
            self.context.profile,
            self.core.calendar,
            first_discussion_at=self.input.discussion_at,
            last_discussion_at=self.last_discussion_at,
            s47_started_at=self.input.started_at,
        )
        self.core.facts["icpc_target_date"] = due.due_date.isoformat()
        self.core.facts["icpc_target_basis"] = due.basis

    def take_calendar(self, update: CalendarUpdate) -> list[str]:
        """Take a newer calendar: the conference's target date shown follows it (§1)."""
        moved = super().take_calendar(update)
        self._show_icpc_target()
        return moved

    async def _convene_conference(self) -> None:
        conference_id = await self.process_id(
            Process.INITIAL_CONFERENCE, initial_conference_id(self.context.case_reference)
        )
        conference = InitialConferenceInput(
            context=self.context.model_copy(update={"calendar": self.core.calendar}),
            s47_workflow_id=workflow.info().workflow_id,
            first_discussion_at=self.input.discussion_at,
            last_discussion_at=self.last_discussion_at,
            s47_started_at=self.input.started_at,
        )
        if await self.start_process("InitialConference", conference, conference_id):
            self.note("handoff.started", f"initial child protection conference convened: {conference_id}")
        else:
            self.note("handoff.joined", f"an initial conference is already convened: {conference_id}")
        self.core.hand_offs.append(
            HandOff(
                to_process=Process.INITIAL_CONFERENCE,
                reason="substantiated",
                state=HandOffState.STARTED,
                workflow_id=conference_id,
            )
        )

    def open_tasks(self) -> list[TaskView]:
        """Return the conclusion awaited while the enquiry runs."""
        if self.core.stage != S47Stage.ENQUIRY:
            return []
        return [self.task("conclude_enquiry")]

    @workflow.signal(name="further_discussion_held")
    def further_discussion_held(self, discussion: FurtherDiscussion) -> None:
        """A later strategy discussion on this case was held: it becomes the 'last' discussion (§5)."""
        if self.concluded is not None or discussion.held_at <= self.last_discussion_at:
            return
        self.last_discussion_at = discussion.held_at
        self.core.facts["last_discussion_at"] = discussion.held_at.isoformat()
        self._show_icpc_target()
        self.note(
            "s47.further_discussion",
            f"further strategy discussion {discussion.discussion_workflow_id}",
            at=discussion.held_at,
        )

    @workflow.update(name="conclude_enquiry")
    async def conclude_enquiry(self, command: ConcludeEnquiry) -> DecisionRecord:
        """The team manager concludes the enquiry with its outcome and the reasons."""
        record = self.record_decision("conclude_enquiry", command, str(command.outcome))
        self.concluded = command
        await self.record()
        return record

    @conclude_enquiry.validator
    def validate_conclude_enquiry(self, command: ConcludeEnquiry) -> None:
        self.check_decision("conclude_enquiry", command, not_before=self.input.started_at)
