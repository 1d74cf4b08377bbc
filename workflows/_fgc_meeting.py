"""The family group conference's meeting, from its arrangement to its review (statutory-rules.md §7).

A part of `workflows.fgc.FamilyGroupConferenceWorkflow`: the venue and date, which invite every participant
(reminded on the working day before); the meeting's three stages — information sharing, private family
time, and the family's plan, agreed by the referrer or revised by the family; the child's voice; and the
review meeting, which closes the process.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.codes import FgcMeetingStage, FgcOutcome, FgcReason
    from safeguarding.commands.fgc import (
        AgreeFgcPlan,
        ArrangeFgcConference,
        RecordFgcChildVoice,
        RecordFgcConferenceStage,
        RecordFgcReview,
        SubmitFgcPlan,
    )
    from safeguarding.fgc_records import (
        FgcChildVoice,
        FgcPlanDecision,
        FgcPlanText,
    )
    from safeguarding.models import DecisionRecord
    from safeguarding.stages import FgcStage
    from safeguarding.working_days import at_local_time, describe_moment, local_date, previous_working_day
    from workflows._fgc_decisions import FgcDecisions
    from workflows._process import rejected

INFO, PRIVATE = FgcMeetingStage.INFORMATION_SHARING, FgcMeetingStage.PRIVATE_FAMILY_TIME


class FgcMeetingSteps(FgcDecisions):
    """The meeting's Updates of the family group conference (not a workflow itself)."""

    held: set[tuple[int, FgcMeetingStage]]
    plan_ids: list[int]
    voice_ids: list[int]
    reminders: asyncio.Task[None] | None

    def _private_time_done(self) -> bool:
        return self.arrangement is not None and all(
            (m.meeting, PRIVATE) in self.held for m in self.arrangement.meetings
        )

    # -- the arrangement: invitations and reminders ------------------------------------------------

    @workflow.update(name="arrange_fgc_conference")
    async def arrange_fgc_conference(self, command: ArrangeFgcConference) -> DecisionRecord:
        """Venue and date: the preparation is complete; every participant is invited and will be reminded."""
        self.arrangement = command
        when = "; ".join(f"meeting {m.meeting} {describe_moment(m.at)}" for m in command.meetings)
        record = self.record_decision("arrange_fgc_conference", command, when)
        if "fgc_preparation" in self.core.deadlines:
            self.meet_deadline("fgc_preparation", record.effective_at)
        for meeting in command.meetings:
            fields = {"meeting": describe_moment(meeting.at), "venue": meeting.venue}
            self._queue_to_participants("fgc_invitation", meeting.meeting, **fields)
        self.reminders = asyncio.create_task(self._remind(command, record.recorded_at))
        self.set_stage(FgcStage.CONFERENCE)
        await self.record()
        return record

    @arrange_fgc_conference.validator
    def validate_arrange_fgc_conference(self, command: ArrangeFgcConference) -> None:
        self._check("arrange_fgc_conference", command)
        if not self.participants:
            raise rejected("arrange_fgc_conference: agree the invitees with the family first")
        invited = {p.meeting for p in self.participants}
        if sorted(m.meeting for m in command.meetings) != sorted(invited):
            raise rejected(f"arrange_fgc_conference: arrange meeting(s) {sorted(invited)}, once each")
        if any(m.at <= workflow.now() for m in command.meetings):
            raise rejected("arrange_fgc_conference: a meeting is arranged ahead, not in the past")

    async def _remind(self, arrangement: ArrangeFgcConference, arranged_at: datetime) -> None:
        """Remind each meeting's participants on the working day before it, in office hours (§1)."""
        for meeting in sorted(arrangement.meetings, key=lambda m: m.at):
            day = previous_working_day(local_date(meeting.at), self.core.calendar)
            at = at_local_time(day, self.context.profile.office.reminder_time)
            if at <= arranged_at:
                continue  # arranged at short notice (an urgent conference): the invitation is the reminder
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: self.core.closed_at is not None,
                    timeout=max(at - workflow.now(), timedelta(seconds=1)),
                    timeout_summary=f"remind the participants of meeting {meeting.meeting}",
                )
            if self.core.closed_at is not None or (meeting.meeting, INFO) in self.held:
                return
            fields = {"meeting": describe_moment(meeting.at), "venue": meeting.venue}
            self._queue_to_participants("fgc_reminder", meeting.meeting, **fields)

    # -- the conference: its three stages, the family's plan, the review -------------------------------

    @workflow.update(name="record_fgc_conference_stage")
    async def record_fgc_conference_stage(self, command: RecordFgcConferenceStage) -> DecisionRecord:
        """Information sharing, then private family time, of one meeting."""
        self.held.add((command.meeting, command.stage))
        extra = ""
        if command.stage is PRIVATE:
            excluded = sum(p.excluded_from_private_time for p in self.participants if p.meeting == command.meeting)
            extra = f"; professionals left{f'; {excluded} excluded as agreed' if excluded else ''}"
        outcome = f"meeting {command.meeting}: {command.stage} held{extra}"
        record = self.record_decision("record_fgc_conference_stage", command, outcome)
        if command.stage is INFO and len(self.held) == 1:
            if "fgc_urgent_conference" in self.core.deadlines:
                self.meet_deadline("fgc_urgent_conference", record.effective_at)
            if self.input.reason is FgcReason.PRE_PROCEEDINGS:
                self.core.facts["s31za_meeting_held_on"] = local_date(record.effective_at).isoformat()
        await self.record()
        return record

    @record_fgc_conference_stage.validator
    def validate_record_fgc_conference_stage(self, command: RecordFgcConferenceStage) -> None:
        self._check("record_fgc_conference_stage", command)
        assert self.arrangement is not None
        if command.meeting not in {m.meeting for m in self.arrangement.meetings}:
            raise rejected(f"record_fgc_conference_stage: there is no meeting {command.meeting}")
        if (command.meeting, command.stage) in self.held:
            raise rejected(f"record_fgc_conference_stage: {command.stage} of meeting {command.meeting} is recorded")
        if command.stage is PRIVATE and (command.meeting, INFO) not in self.held:
            raise rejected("record_fgc_conference_stage: information sharing comes before private family time")

    @workflow.update(name="submit_fgc_plan")
    async def submit_fgc_plan(self, command: SubmitFgcPlan) -> DecisionRecord:
        """The family's plan is shared: its text goes to the case store, the process keeps its id."""
        with self._one_at_a_time("submit_fgc_plan"):
            version = len(self.plan_ids) + 1
            plan = FgcPlanText(
                workflow_id=workflow.info().workflow_id,
                case_id=self.context.case_id,
                version=version,
                text=command.plan,
                submitted_by=command.actor.practitioner_id,
                submitted_at=command.effective_at or workflow.now(),
            )
            stored = await self._store("submit_fgc_plan", ActivityName.STORE_FGC_PLAN, plan)
            self.plan_ids.append(stored.id)
            record = self.record_decision(
                "submit_fgc_plan", command, f"family's plan version {version} (plan {stored.id})"
            )
            self.core.facts.update(plan_id=str(stored.id), plan_version=str(version))
            self.set_stage(FgcStage.PLAN_AGREEMENT)
        await self.record()
        return record

    @submit_fgc_plan.validator
    def validate_submit_fgc_plan(self, command: SubmitFgcPlan) -> None:
        self._check("submit_fgc_plan", command)
        if self.core.stage == FgcStage.CONFERENCE and not self._private_time_done():
            raise rejected("submit_fgc_plan: the family makes its plan in private family time; record it first")

    @workflow.update(name="agree_fgc_plan")
    async def agree_fgc_plan(self, command: AgreeFgcPlan) -> DecisionRecord:
        """The referrer agrees the plan, or records why it places the child at risk and the family revises it."""
        with self._one_at_a_time("agree_fgc_plan"):
            at = command.effective_at or workflow.now()
            decision = FgcPlanDecision(
                workflow_id=workflow.info().workflow_id,
                version=len(self.plan_ids),
                agreed=command.agreed,
                decided_by=command.actor.practitioner_id,
                decided_at=at,
                reason=command.rationale,
            )
            await self._store("agree_fgc_plan", ActivityName.STORE_FGC_PLAN_DECISION, decision)
            version = f"plan version {decision.version}"
            if command.agreed:
                record = self.record_decision("agree_fgc_plan", command, f"{version} agreed")
                self.core.facts["agreed_plan_id"] = str(self.plan_ids[-1])
                self.meet_deadline("fgc_whole_process", at)
                self.add_deadline("fgc_review_meeting", "fgc_review_meeting", at, responsible_id=self.coordinator_id)
                self.set_stage(FgcStage.REVIEW)
            else:
                record = self.record_decision(
                    "agree_fgc_plan", command, f"{version} not agreed: the family can revise it"
                )
                self.set_stage(FgcStage.PLAN_REVISION)
        await self.record()
        return record

    @agree_fgc_plan.validator
    def validate_agree_fgc_plan(self, command: AgreeFgcPlan) -> None:
        self._check("agree_fgc_plan", command, rationale_required=not command.agreed)
        if command.actor.practitioner_id != self.referrer_id:
            raise rejected("agree_fgc_plan: the referrer agrees the family's plan")

    @workflow.update(name="record_fgc_child_voice")
    async def record_fgc_child_voice(self, command: RecordFgcChildVoice) -> DecisionRecord:
        """The child's own words, kept in the case store; the process keeps the entry's id."""
        with self._one_at_a_time("record_fgc_child_voice"):
            voice = FgcChildVoice(
                workflow_id=workflow.info().workflow_id,
                case_id=self.context.case_id,
                entry_key=f"{len(self.voice_ids) + 1:03d}",
                words=command.words,
                through_advocate=command.through_advocate,
                heard_at=command.effective_at or workflow.now(),
                recorded_by=command.actor.practitioner_id,
            )
            stored = await self._store("record_fgc_child_voice", ActivityName.STORE_FGC_CHILD_VOICE, voice)
            self.voice_ids.append(stored.id)
            how = "through their advocate" if command.through_advocate else "in their own words"
            record = self.record_decision("record_fgc_child_voice", command, f"child's voice {how} (entry {stored.id})")
            self.core.facts["child_voice_entries"] = str(len(self.voice_ids))
        await self.record()
        return record

    @record_fgc_child_voice.validator
    def validate_record_fgc_child_voice(self, command: RecordFgcChildVoice) -> None:
        self._check("record_fgc_child_voice", command)

    @workflow.update(name="record_fgc_review")
    async def record_fgc_review(self, command: RecordFgcReview) -> DecisionRecord:
        """The review meeting with the family: the process closes."""
        record = self.record_decision(
            "record_fgc_review", command, "plan working" if command.plan_working else "plan not working"
        )
        self.meet_deadline("fgc_review_meeting", record.effective_at)
        self.core.facts["plan_working"] = str(command.plan_working).lower()
        await self._close(FgcOutcome.PLAN_REVIEWED)
        return record

    @record_fgc_review.validator
    def validate_record_fgc_review(self, command: RecordFgcReview) -> None:
        self._check("record_fgc_review", command)
