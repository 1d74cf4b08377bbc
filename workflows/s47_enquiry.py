"""The section 47 enquiry (statutory-rules.md §4, §5, §9)."""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.authority import roles_for
    from safeguarding.codes import EnquiryOutcome, HandOffState, Process
    from safeguarding.commands.conference import InitialConferenceInput, initial_conference_id
    from safeguarding.commands.strategy_discussion import ConcludeEnquiry, FurtherDiscussion, S47Input
    from safeguarding.models import DecisionRecord, HandOff, TaskView
    from workflows._process import ProcessWorkflow

ENQUIRY = "enquiry"


@workflow.defn(name="S47Enquiry")
class S47EnquiryWorkflow(ProcessWorkflow):
    """A section 47 enquiry, led by the social worker, single-agency or jointly with the police.

    Started by a strategy discussion's decision; a later discussion on the same case while it runs is
    recorded as the 'last' discussion, one of the three dates an initial conference may count from (§5).
    The team manager concludes it: concerns not substantiated — a Child in Need plan, early help or no
    further action (the census's "ICPC not required") — or substantiated with continuing risk of
    significant harm, which convenes the initial child protection conference.
    """

    PROCESS = Process.S47_ENQUIRY

    @workflow.init
    def __init__(self, input: S47Input) -> None:
        self.input = input
        self._start_core(input.context, None, stage=ENQUIRY)
        self.last_discussion_at = input.discussion_at
        self.concluded: ConcludeEnquiry | None = None
        self.core.facts.update(
            first_discussion_at=input.discussion_at.isoformat(),
            last_discussion_at=input.discussion_at.isoformat(),
            s47_started_at=input.started_at.isoformat(),
            joint_with_police=str(input.joint_with_police).lower(),
        )
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
        await workflow.wait_condition(lambda: self.concluded is not None)
        assert self.concluded is not None
        record = next(d for d in reversed(self.core.decisions) if d.decision == "conclude_enquiry")
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

    async def _convene_conference(self) -> None:
        conference_id = initial_conference_id(self.context.case_reference)
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
        if self.core.stage != ENQUIRY:
            return []
        return [
            TaskView(
                key="conclude_enquiry",
                decision="conclude_enquiry",
                title="Conclude the section 47 enquiry",
                allowed_roles=roles_for("conclude_enquiry"),
            )
        ]

    @workflow.signal(name="further_discussion_held")
    def further_discussion_held(self, discussion: FurtherDiscussion) -> None:
        """A later strategy discussion on this case was held: it becomes the 'last' discussion (§5)."""
        if self.concluded is not None or discussion.held_at <= self.last_discussion_at:
            return
        self.last_discussion_at = discussion.held_at
        self.core.facts["last_discussion_at"] = discussion.held_at.isoformat()
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
        self.check_decision(
            "conclude_enquiry", command, stages=(ENQUIRY,), rationale_required=True, not_before=self.input.started_at
        )
