"""The family group conference (statutory-rules.md §7): the family's meeting, voluntary, and the family decides.

The workflow: its start (the reason and any s31ZA offer), the run loop that sends what the decisions queue,
and its work tray. Its steps are mixins: the referral and consent (`_fgc_referral`), the coordinator and the
preparation (`_fgc_preparation`) and the meeting to its review (`_fgc_meeting`), on the machinery of a
decision they share (`_fgc_decisions`).
"""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.codes import ConsentState, FgcOutcome, Process
    from safeguarding.commands.fgc import FgcInput, FgcResult
    from safeguarding.models import TaskView
    from safeguarding.stages import FgcStage
    from safeguarding.working_days import local_date
    from workflows._fgc_meeting import FgcMeetingSteps
    from workflows._fgc_preparation import FgcPreparationSteps
    from workflows._fgc_referral import FgcReferralSteps


@workflow.defn(name="FamilyGroupConference")
class FamilyGroupConferenceWorkflow(FgcReferralSteps, FgcPreparationSteps, FgcMeetingSteps):
    """A family group conference, offered from an assessment, a CIN or CP plan, or before proceedings.

    It is the family's meeting and it is voluntary. The referrer (a social worker or support worker) sets
    3–4 clear questions and the authority's bottom lines; their manager agrees the referral; a person with
    parental responsibility, or the young person themselves at 16–17, consents — a refusal closes the
    referral, and a withdrawal later closes the process and tells everyone invited. Agreed and consented,
    the referral starts the clocks (all local, from the profile): acknowledgement (`fgc_acknowledgement`)
    and the whole process (`fgc_whole_process`), or an urgent conference (`fgc_urgent_conference`, which
    replaces the preparation clocks). The manager acknowledges it by allocating an independent coordinator
    — never the referrer or anyone who decided on it — whose clocks then run: first contact
    (`fgc_coordinator_contact`), the baseline meeting (`fgc_baseline_meeting`) and preparation
    (`fgc_preparation`). The coordinator agrees the invitees with the family (a split conference where
    domestic abuse makes one meeting unsafe; exclusions from private family time with reasons; the child
    with an advocate; interpreters), then the venue and date, which sends every participant an
    invitation, and a reminder on the working day before. The meeting has three stages: information
    sharing, private family time, and sharing the family's plan, which the referrer agrees unless it
    places the child at risk; if not, the reason is recorded and the family revises it. A review meeting
    follows at the profile's interval (`fgc_review_meeting`). For the s31ZA offer before proceedings the
    offer, its acceptance or refusal and the day the meeting was held are kept as facts (s31ZA comes from
    the Children's Wellbeing and Schools Act 2026; its commencement date is unconfirmed, statutory-rules.md §7).
    """

    PROCESS = Process.FGC

    @workflow.init
    def __init__(self, input: FgcInput) -> None:
        self.input = input
        self._start_core(input.context, None, stage=FgcStage.REFERRAL)
        self.referral = None
        self.referrer_id = None
        self.consent = ConsentState.NOT_YET_SOUGHT
        self.manager_agreed = None
        self.coordinator_id = None
        self.participants = ()
        self.invitations = 0
        self.arrangement = None
        self.held = set()
        self.plan_ids = []
        self.voice_ids = []
        self.outbox = []
        self.deciding = None
        self.reminders = None
        self.core.facts["reason"] = str(input.reason)
        if input.source_workflow_id:
            self.core.facts["source_workflow_id"] = input.source_workflow_id
        if input.offer_letter_at is not None:
            self.core.facts["s31za_offer_made_on"] = local_date(input.offer_letter_at).isoformat()

    @workflow.run
    async def run(self, input: FgcInput) -> FgcResult:
        """Run the conference from the referral to its review, sending what the decisions queue."""
        self._upsert_search_attributes()
        watch = asyncio.create_task(self.watch_deadlines())
        source = f" from {input.source_workflow_id}" if input.source_workflow_id else ""
        self.note("fgc.proposed", f"family group conference proposed ({input.reason}){source}", at=input.proposed_at)
        if input.offer_letter_at is not None:
            self.note(
                "fgc.s31za_offer",
                "family group decision-making offered in the letter before proceedings (s31ZA Children Act "
                "1989; commencement date unconfirmed)",
                at=input.offer_letter_at,
            )
        await self.record()
        while self.core.closed_at is None or self.outbox:
            await workflow.wait_condition(lambda: bool(self.outbox) or self.core.closed_at is not None)
            while self.outbox:
                key, template, recipient, fields = self.outbox.pop(0)
                await self.send(key, template, recipient, **fields)
            await self.record()
        await watch
        if self.reminders is not None:
            await self.reminders
        await workflow.wait_condition(workflow.all_handlers_finished)
        assert self.core.closed_at is not None and self.core.outcome is not None
        agreed = self.core.facts.get("agreed_plan_id")
        return FgcResult(
            outcome=FgcOutcome(self.core.outcome),
            plan_id=int(agreed) if agreed else None,
            closed_at=self.core.closed_at,
        )

    # -- the work tray -----------------------------------------------------------------------------

    def open_tasks(self) -> list[TaskView]:
        """Return the decisions awaited now, each with who may make it and by when."""
        stage, referral, coordinator = self.core.stage, self.referral, self.coordinator_id
        wanted: list[tuple[str, str | None, str | None]] = []  # decision, assignee, deadline key
        title: dict[str, str] = {}  # a title of the moment, in place of the described one
        if stage == FgcStage.REFERRAL and referral is None:
            wanted.append(("refer_to_fgc", None, None))
        elif stage == FgcStage.REFERRAL:
            if self.consent is ConsentState.NOT_YET_SOUGHT:
                wanted.append(("record_fgc_consent", self.referrer_id, None))
            if self.manager_agreed is None:
                wanted.append(("agree_fgc_referral", None, None))
        elif stage == FgcStage.ALLOCATION:
            wanted.append(("allocate_fgc_coordinator", None, "fgc_acknowledgement"))
        elif stage == FgcStage.PREPARATION:
            assert referral is not None
            steps = [
                ("record_fgc_first_contact", "fgc_coordinator_contact"),
                ("record_fgc_baseline_meeting", "fgc_baseline_meeting"),
            ][: 1 if referral.urgent else 2]
            pending = [(name, due) for name, due in steps if not self._decided(name)]
            if pending:
                wanted.append((pending[0][0], coordinator, pending[0][1]))
            else:
                wanted.append(("invite_fgc_participants", coordinator, "fgc_preparation"))
                if self.participants:
                    wanted.append(("arrange_fgc_conference", coordinator, "fgc_preparation"))
        elif stage == FgcStage.CONFERENCE:
            if self._private_time_done():
                wanted.append(("submit_fgc_plan", coordinator, None))
            else:
                wanted.append(("record_fgc_conference_stage", coordinator, "fgc_urgent_conference"))
        elif stage == FgcStage.PLAN_AGREEMENT:
            wanted.append(("agree_fgc_plan", self.referrer_id, "fgc_whole_process"))
        elif stage == FgcStage.PLAN_REVISION:
            wanted.append(("submit_fgc_plan", coordinator, "fgc_whole_process"))
            title["submit_fgc_plan"] = "Share the family's revised plan"
        elif stage == FgcStage.REVIEW:
            wanted.append(("record_fgc_review", coordinator, "fgc_review_meeting"))
        return [
            self.task(
                decision,
                title=title.get(decision),
                assignee_id=assignee,
                due_date=self.core.deadlines[due].due.due_date if due in self.core.deadlines else None,
            )
            for decision, assignee, due in wanted
        ]
