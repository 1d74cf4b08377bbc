"""The joint visit of an assessment for a child under 5 or unborn (statutory-rules.md §3)."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.codes import Process, Role
    from safeguarding.commands import Decision
    from safeguarding.commands.assessment import (
        JointVisitInput,
        JointVisitResult,
        RecordBackgroundReview,
        RecordDebrief,
        RecordFamilyTold,
        RecordPreMeet,
        RecordVisit,
    )
    from safeguarding.descriptions.joint_visit import JOINT_VISIT
    from safeguarding.joint_visits import lead_practitioner
    from safeguarding.models import DecisionRecord, Flagged, HealthRecordFlag, Recipient, TaskView
    from safeguarding.stages import JointVisitStep
    from workflows._process import ACTIVITY_TIMEOUT, STORE_RETRY, ProcessWorkflow, rejected

STEPS = ("record_family_told", "record_background_review", "record_pre_meet", "record_visit", "record_debrief")
"""The decision that ends each step, in order; each step is the stage its description names."""
_DECISION_AT: dict[str, str] = {JOINT_VISIT.decision(name).stages[0]: name for name in STEPS}


@workflow.defn(name="JointVisit")
class JointVisitWorkflow(ProcessWorkflow):
    """The social worker and the health visitor (the midwife before birth) visit together.

    Steps, each recorded by the practitioner who did it: the family is told a joint visit will be
    arranged; the health visiting or midwifery team is briefed (a notice to its mailbox); the background
    is reviewed; the child is flagged as vulnerable in the health record (an activity, the integration
    point with the health record system, run as soon as the review is recorded); a pre-meet agrees the
    lead practitioner — whoever knows the family, else the social worker; the visit, with consent and
    information sharing explained and recorded; a debrief with actions and owners (and who does a
    Graded Care Profile where neglect is the concern). Each then reports to their own manager. The
    assessment that started it defers it while emergency action is under way. No timescale of its own:
    the assessment's 45 working days govern.
    """

    PROCESS = Process.JOINT_VISIT

    @workflow.init
    def __init__(self, input: JointVisitInput) -> None:
        self.input = input
        self._start_core(input.context, None, stage=JointVisitStep.TELL_FAMILY)
        self.commands: dict[str, Decision] = {}
        self.social_worker_id = input.social_worker_id

    @workflow.run
    async def run(self, input: JointVisitInput) -> JointVisitResult:
        """Walk the steps in order; the run never moves on until the step's decision is recorded."""
        self.set_responsible(self.social_worker_id)
        self._upsert_search_attributes()
        self.note("joint_visit.started", f"joint visit with the {input.health_role} for {input.assessment_workflow_id}")
        await self.record()
        # Each decision moves the stage at once (the next practitioner never waits for an e-mail); the
        # automatic steps follow the decisions they depend on.
        await self._after("record_family_told")
        await self.send(
            "health_team_briefing",
            "health_team_briefing",
            Recipient(kind="health_team", id=self.context.team_id),
            age_band=str(input.age_band),
        )
        self.note("joint_visit.health_briefed", f"{input.health_role} team briefed")
        await self._after("record_background_review")
        await workflow.execute_activity(
            ActivityName.FLAG_VULNERABLE_CHILD,
            HealthRecordFlag(workflow_id=workflow.info().workflow_id, case_id=self.context.case_id),
            result_type=Flagged,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=STORE_RETRY,
        )
        self.note("joint_visit.flagged", "child flagged as vulnerable in the health record")
        await self.record()
        await self._after("record_debrief")
        pre_meet, visit, debrief = (self.commands[d] for d in ("record_pre_meet", "record_visit", "record_debrief"))
        assert isinstance(pre_meet, RecordPreMeet) and isinstance(visit, RecordVisit)
        assert isinstance(debrief, RecordDebrief)
        result = JointVisitResult(
            lead=lead_practitioner(
                social_worker_knows_family=pre_meet.social_worker_knows_family,
                health_knows_family=pre_meet.health_practitioner_knows_family,
            ),
            visited_at=visit.effective_at or self._decision("record_visit").recorded_at,
            information_sharing_consent=visit.information_sharing_consent,
            actions=len(debrief.actions),
        )
        await self.close("done")
        await workflow.wait_condition(workflow.all_handlers_finished)
        return result

    async def _after(self, decision: str) -> None:
        await workflow.wait_condition(lambda: decision in self.commands)

    def _decision(self, name: str) -> DecisionRecord:
        return next(d for d in self.core.decisions if d.decision == name)

    def open_tasks(self) -> list[TaskView]:
        """Return the step awaited, for the work tray of both practitioners."""
        decision = _DECISION_AT.get(self.core.stage)
        if decision is None or decision in self.commands:
            return []
        described = self.description.decision(decision).roles
        roles = tuple(r for r in described if r in (Role.SOCIAL_WORKER, self.input.health_role))
        return [self.task(decision, allowed_roles=roles, assignee_id=self.social_worker_id)]

    async def _take(self, name: str, command: Decision, outcome: str) -> DecisionRecord:
        self.commands[name] = command
        record = self.record_decision(name, command, outcome)
        following = [stage for stage, decision in _DECISION_AT.items() if decision not in self.commands]
        self.set_stage(following[0] if following else JointVisitStep.REPORTING)
        await self.record()
        return record

    def _check(self, name: str, command: Decision) -> None:
        self.check_decision(name, command)
        health_roles = (Role.HEALTH_VISITOR, Role.MIDWIFE)
        if command.actor.role in health_roles and command.actor.role is not self.input.health_role:
            raise rejected(f"{name}: this joint visit is with the {self.input.health_role}, not a {command.actor.role}")

    def take_reassignment(self, practitioner_id: str) -> None:
        """The steps' tasks go to the social worker now responsible."""
        self.social_worker_id = practitioner_id

    @workflow.update(name="record_family_told")
    async def record_family_told(self, command: RecordFamilyTold) -> DecisionRecord:
        """Record that the family has been told a joint visit will be arranged."""
        return await self._take("record_family_told", command, "family told")

    @record_family_told.validator
    def validate_record_family_told(self, command: RecordFamilyTold) -> None:
        self._check("record_family_told", command)

    @workflow.update(name="record_background_review")
    async def record_background_review(self, command: RecordBackgroundReview) -> DecisionRecord:
        """Record that the case record and chronology were reviewed."""
        return await self._take("record_background_review", command, "background reviewed")

    @record_background_review.validator
    def validate_record_background_review(self, command: RecordBackgroundReview) -> None:
        self._check("record_background_review", command)

    @workflow.update(name="record_pre_meet")
    async def record_pre_meet(self, command: RecordPreMeet) -> DecisionRecord:
        """Record the pre-meet; the lead practitioner follows from who knows the family."""
        lead = lead_practitioner(
            social_worker_knows_family=command.social_worker_knows_family,
            health_knows_family=command.health_practitioner_knows_family,
        )
        self.core.facts["lead_practitioner"] = str(lead)
        self.core.facts["health_practitioner_id"] = command.health_practitioner_id
        return await self._take("record_pre_meet", command, f"lead: {lead}")

    @record_pre_meet.validator
    def validate_record_pre_meet(self, command: RecordPreMeet) -> None:
        self._check("record_pre_meet", command)

    @workflow.update(name="record_visit")
    async def record_visit(self, command: RecordVisit) -> DecisionRecord:
        """Record the joint visit and the family's consent to information sharing."""
        self.core.facts["information_sharing_consent"] = str(command.information_sharing_consent)
        return await self._take("record_visit", command, f"visited; consent {command.information_sharing_consent}")

    @record_visit.validator
    def validate_record_visit(self, command: RecordVisit) -> None:
        self._check("record_visit", command)

    @workflow.update(name="record_debrief")
    async def record_debrief(self, command: RecordDebrief) -> DecisionRecord:
        """Record the debrief's actions and owners; each practitioner reports to their own manager."""
        for number, action in enumerate(command.actions, start=1):
            self.note("joint_visit.action", f"action {number} owned by {action.owner_id}: {action.description}")
        if command.graded_care_profile_owner_id:
            self.core.facts["graded_care_profile_owner_id"] = command.graded_care_profile_owner_id
        return await self._take("record_debrief", command, f"{len(command.actions)} actions agreed")

    @record_debrief.validator
    def validate_record_debrief(self, command: RecordDebrief) -> None:
        self._check("record_debrief", command)
