"""The family group conference (statutory-rules.md §7): the family's meeting, voluntary, and the family decides."""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.authority import roles_for
    from safeguarding.codes import ConsentState, FgcConsentBasis, FgcOutcome, FgcReason, Process
    from safeguarding.commands.fgc import (
        AgreeFgcReferral,
        AllocateFgcCoordinator,
        FgcInput,
        FgcResult,
        InviteFgcParticipants,
        RecordFgcBaselineMeeting,
        RecordFgcConsent,
        RecordFgcFirstContact,
        ReferToFgc,
        WithdrawFgcConsent,
    )
    from safeguarding.fgc_records import (
        ConsentGiver,
        ConsentGiverRequest,
        FgcInvitation,
        FgcReferralTexts,
    )
    from safeguarding.models import DecisionRecord, Recipient, TaskView
    from safeguarding.working_days import local_date
    from workflows._fgc_meeting import (
        ALLOCATION,
        BEFORE_THE_PLAN,
        CONFERENCE,
        PLAN_AGREEMENT,
        PLAN_REVISION,
        PREPARATION,
        REFERRAL,
        REVIEW,
        FgcMeeting,
    )
    from workflows._process import rejected


@workflow.defn(name="FamilyGroupConference")
class FamilyGroupConferenceWorkflow(FgcMeeting):
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
        self._start_core(input.context, None, stage=REFERRAL)
        self.referral = None
        self.referrer_id = None
        self.consent: ConsentState = ConsentState.NOT_YET_SOUGHT
        self.manager_agreed: bool | None = None
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

    # -- referral, consent, the manager's agreement ----------------------------------------------------

    @workflow.update(name="refer_to_fgc")
    async def refer_to_fgc(self, command: ReferToFgc) -> DecisionRecord:
        """The referrer sets the family's questions and the authority's bottom lines (kept in the case store)."""
        with self._one_at_a_time("refer_to_fgc"):
            texts = FgcReferralTexts(
                workflow_id=workflow.info().workflow_id,
                case_id=self.context.case_id,
                referrer_id=command.actor.practitioner_id,
                questions=command.questions,
                bottom_lines=command.bottom_lines,
            )
            await self._store("refer_to_fgc", "store_fgc_referral", texts)
            self.referral, self.referrer_id = command, command.actor.practitioner_id
            urgent = ", urgent" if command.urgent else ""
            outcome = f"{len(command.questions)} questions, {len(command.bottom_lines)} bottom lines{urgent}"
            record = self.record_decision("refer_to_fgc", command, outcome)
            self.core.facts.update(referrer_id=self.referrer_id, urgent=str(command.urgent).lower())
        await self.record()
        return record

    @refer_to_fgc.validator
    def validate_refer_to_fgc(self, command: ReferToFgc) -> None:
        self._check("refer_to_fgc", command, (REFERRAL,))

    @workflow.update(name="record_fgc_consent")
    async def record_fgc_consent(self, command: RecordFgcConsent) -> DecisionRecord:
        """Consent given or refused by someone entitled to give it; a refusal closes the referral (§7)."""
        with self._one_at_a_time("record_fgc_consent"):
            on = local_date(command.effective_at or workflow.now())
            request = ConsentGiverRequest(case_id=self.context.case_id, person_id=command.person_id, on=on)
            giver = await self._store("record_fgc_consent", "check_fgc_consent_giver", request, ConsentGiver)
            if giver.basis is FgcConsentBasis.NOT_ENTITLED:
                raise rejected(
                    f"record_fgc_consent: {command.person_id} has no parental responsibility for the child "
                    "and is not the child aged 16–17"
                )
            if giver.basis is FgcConsentBasis.YOUNG_PERSON_16_17 and not command.competence_confirmed:
                raise rejected("record_fgc_consent: confirm the young person is competent to decide for themselves")
            self.consent = command.consent
            pre_proceedings = self.input.reason is FgcReason.PRE_PROCEEDINGS
            words = {ConsentState.GIVEN: "accepted", ConsentState.REFUSED: "refused"}[command.consent]
            what = f"offer {words}" if pre_proceedings else f"consent {command.consent}"
            record = self.record_decision(
                "record_fgc_consent", command, f"{what} by {command.person_id} ({giver.basis})"
            )
            self.core.facts.update(consent=str(command.consent), consent_basis=str(giver.basis))
            self.core.facts["consenting_person_id"] = command.person_id
            if pre_proceedings:
                self.core.facts["s31za_offer"] = words
            if command.consent is ConsentState.REFUSED:
                await self._close(FgcOutcome.CONSENT_REFUSED)
                return record
            self._start_if_ready()
        await self.record()
        return record

    @record_fgc_consent.validator
    def validate_record_fgc_consent(self, command: RecordFgcConsent) -> None:
        self._check("record_fgc_consent", command, (REFERRAL,))
        if self.referral is None:
            raise rejected("record_fgc_consent: make the referral first (refer_to_fgc)")

    @workflow.update(name="agree_fgc_referral")
    async def agree_fgc_referral(self, command: AgreeFgcReferral) -> DecisionRecord:
        """The referrer's manager agrees the referral; without agreement it closes."""
        self.manager_agreed = command.agreed
        record = self.record_decision("agree_fgc_referral", command, "agreed" if command.agreed else "not agreed")
        if not command.agreed:
            await self._close(FgcOutcome.REFERRAL_NOT_AGREED)
            return record
        self._start_if_ready()
        await self.record()
        return record

    @agree_fgc_referral.validator
    def validate_agree_fgc_referral(self, command: AgreeFgcReferral) -> None:
        self._check("agree_fgc_referral", command, (REFERRAL,), rationale_required=not command.agreed)
        if self.referral is None:
            raise rejected("agree_fgc_referral: there is no referral yet to agree (refer_to_fgc)")

    def _start_if_ready(self) -> None:
        """With the manager's agreement and the family's consent, the referral goes to the service: clocks start."""
        if not (self.manager_agreed and self.consent is ConsentState.GIVEN):
            return
        assert self.referral is not None
        made = max(
            d.effective_at for d in self.core.decisions if d.decision in ("record_fgc_consent", "agree_fgc_referral")
        )
        label = "the referral (agreed, with the family's consent)"
        self.add_deadline("fgc_acknowledgement", "fgc_acknowledgement", made, label=label)
        self.add_deadline("fgc_whole_process", "fgc_whole_process", made, label=label)
        if self.referral.urgent:
            self.add_deadline("fgc_urgent_conference", "fgc_urgent_conference", made, label=label)
        self.set_stage(ALLOCATION)

    # -- the coordinator and the preparation ------------------------------------------------------------

    @workflow.update(name="allocate_fgc_coordinator")
    async def allocate_fgc_coordinator(self, command: AllocateFgcCoordinator) -> DecisionRecord:
        """The manager acknowledges the referral by allocating an independent coordinator; their clocks start."""
        at = command.effective_at or workflow.now()
        self.coordinator_id = command.coordinator_id
        self.meet_deadline("fgc_acknowledgement", at)
        self.set_responsible(command.coordinator_id)
        self.add_deadline("fgc_coordinator_contact", "fgc_coordinator_contact", at, responsible_id=self.coordinator_id)
        assert self.referral is not None
        if not self.referral.urgent:
            for rule in ("fgc_baseline_meeting", "fgc_preparation"):
                self.add_deadline(rule, rule, at, responsible_id=self.coordinator_id)
        record = self.record_decision("allocate_fgc_coordinator", command, f"coordinator {command.coordinator_id}")
        self.core.facts["coordinator_id"] = command.coordinator_id
        self.set_stage(PREPARATION)
        assert self.referrer_id is not None
        self._queue(
            "fgc_referral_acknowledgement",
            "fgc_referral_acknowledgement",
            Recipient(kind="practitioner", id=self.referrer_id),
        )
        await self.record()
        return record

    @allocate_fgc_coordinator.validator
    def validate_allocate_fgc_coordinator(self, command: AllocateFgcCoordinator) -> None:
        self._check("allocate_fgc_coordinator", command, (ALLOCATION,))
        involved = {d.actor_id for d in self.core.decisions} | {command.actor.practitioner_id}
        if command.coordinator_id in involved:
            raise rejected(
                f"allocate_fgc_coordinator: {command.coordinator_id} has decided on this referral; "
                "the coordinator must be independent"
            )

    @workflow.update(name="record_fgc_first_contact")
    async def record_fgc_first_contact(self, command: RecordFgcFirstContact) -> DecisionRecord:
        """The coordinator made first contact with the family."""
        record = self.record_decision("record_fgc_first_contact", command, "family contacted")
        self.meet_deadline("fgc_coordinator_contact", record.effective_at)
        await self.record()
        return record

    @record_fgc_first_contact.validator
    def validate_record_fgc_first_contact(self, command: RecordFgcFirstContact) -> None:
        self._check("record_fgc_first_contact", command, (PREPARATION,))

    @workflow.update(name="record_fgc_baseline_meeting")
    async def record_fgc_baseline_meeting(self, command: RecordFgcBaselineMeeting) -> DecisionRecord:
        """The coordinator met the child and family and mapped the network."""
        record = self.record_decision("record_fgc_baseline_meeting", command, "child and family met; network mapped")
        if "fgc_baseline_meeting" in self.core.deadlines:
            self.meet_deadline("fgc_baseline_meeting", record.effective_at)
        await self.record()
        return record

    @record_fgc_baseline_meeting.validator
    def validate_record_fgc_baseline_meeting(self, command: RecordFgcBaselineMeeting) -> None:
        self._check("record_fgc_baseline_meeting", command, (PREPARATION,))
        if not self._decided("record_fgc_first_contact"):
            raise rejected("record_fgc_baseline_meeting: record the first contact with the family first")

    @workflow.update(name="invite_fgc_participants")
    async def invite_fgc_participants(self, command: InviteFgcParticipants) -> DecisionRecord:
        """The invitees the family chose (kept in the case store); revisable until the conference is arranged."""
        with self._one_at_a_time("invite_fgc_participants"):
            invitation = FgcInvitation(
                workflow_id=workflow.info().workflow_id,
                case_id=self.context.case_id,
                invitation=self.invitations + 1,
                participants=command.participants,
            )
            await self._store("invite_fgc_participants", "store_fgc_participants", invitation)
            self.invitations, self.participants = invitation.invitation, command.participants
            split = (
                "split conference for domestic abuse: 2 meetings" if command.split_for_domestic_abuse else "1 meeting"
            )
            record = self.record_decision(
                "invite_fgc_participants", command, f"{len(command.participants)} invited with the family ({split})"
            )
            self.core.facts["split_conference"] = str(command.split_for_domestic_abuse).lower()
            languages = sorted({p.interpreter_language for p in command.participants if p.interpreter_language})
            if languages:
                self.core.facts["interpreters"] = ",".join(languages)
            excluded = sum(p.excluded_from_private_time for p in command.participants)
            if excluded:
                self.note("fgc.exclusion", f"{excluded} excluded from private family time, with reasons recorded")
        await self.record()
        return record

    @invite_fgc_participants.validator
    def validate_invite_fgc_participants(self, command: InviteFgcParticipants) -> None:
        self._check("invite_fgc_participants", command, (PREPARATION,), once=False)
        assert self.referral is not None
        needed = ["record_fgc_first_contact"] + ([] if self.referral.urgent else ["record_fgc_baseline_meeting"])
        missing = [name for name in needed if not self._decided(name)]
        if missing:
            raise rejected(f"invite_fgc_participants: record {' and '.join(missing)} first")

    @workflow.update(name="withdraw_fgc_consent")
    async def withdraw_fgc_consent(self, command: WithdrawFgcConsent) -> DecisionRecord:
        """The family withdraws: it is voluntary, so the process closes and everyone invited is told."""
        with self._one_at_a_time("withdraw_fgc_consent"):
            request = ConsentGiverRequest(
                case_id=self.context.case_id, person_id=command.person_id, on=local_date(workflow.now())
            )
            giver = await self._store("withdraw_fgc_consent", "check_fgc_consent_giver", request, ConsentGiver)
            if giver.basis is FgcConsentBasis.NOT_ENTITLED:
                raise rejected(f"withdraw_fgc_consent: {command.person_id} cannot withdraw the family's consent")
            self.consent = ConsentState.REFUSED
            record = self.record_decision("withdraw_fgc_consent", command, f"consent withdrawn by {command.person_id}")
            self.core.facts["consent"] = "withdrawn"
            await self._close(FgcOutcome.CONSENT_WITHDRAWN)
        return record

    @withdraw_fgc_consent.validator
    def validate_withdraw_fgc_consent(self, command: WithdrawFgcConsent) -> None:
        self._check("withdraw_fgc_consent", command, BEFORE_THE_PLAN)
        if self.consent is not ConsentState.GIVEN:
            raise rejected("withdraw_fgc_consent: consent was not given; there is nothing to withdraw")

    def open_tasks(self) -> list[TaskView]:
        """Return the decisions awaited now, each with who may make it and by when."""
        stage, referral = self.core.stage, self.referral
        wanted: list[tuple[str, str, str | None, str | None]] = []  # decision, title, assignee, deadline key
        if stage == REFERRAL and referral is None:
            wanted.append(("refer_to_fgc", "Set the family's questions and the bottom lines", None, None))
        elif stage == REFERRAL:
            if self.consent is ConsentState.NOT_YET_SOUGHT:
                wanted.append(("record_fgc_consent", "Record the family's consent", self.referrer_id, None))
            if self.manager_agreed is None:
                wanted.append(("agree_fgc_referral", "Agree the family group conference referral", None, None))
        elif stage == ALLOCATION:
            wanted.append(
                ("allocate_fgc_coordinator", "Allocate an independent coordinator", None, "fgc_acknowledgement")
            )
        elif stage == PREPARATION:
            assert referral is not None
            steps = [
                ("record_fgc_first_contact", "Make first contact with the family", "fgc_coordinator_contact"),
                ("record_fgc_baseline_meeting", "Meet the child and family; map the network", "fgc_baseline_meeting"),
            ][: 1 if referral.urgent else 2]
            pending = [s for s in steps if not self._decided(s[0])]
            if pending:
                wanted.append((pending[0][0], pending[0][1], self.coordinator_id, pending[0][2]))
            else:
                wanted.append(
                    (
                        "invite_fgc_participants",
                        "Agree the invitees with the family",
                        self.coordinator_id,
                        "fgc_preparation",
                    )
                )
                if self.participants:
                    wanted.append(
                        ("arrange_fgc_conference", "Arrange the venue and date", self.coordinator_id, "fgc_preparation")
                    )
        elif stage == CONFERENCE:
            if self._private_time_done():
                wanted.append(("submit_fgc_plan", "Share the family's plan", self.coordinator_id, None))
            else:
                wanted.append(
                    ("record_fgc_conference_stage", "Hold the conference", self.coordinator_id, "fgc_urgent_conference")
                )
        elif stage == PLAN_AGREEMENT:
            wanted.append(
                ("agree_fgc_plan", "Agree the family's plan (or say why not)", self.referrer_id, "fgc_whole_process")
            )
        elif stage == PLAN_REVISION:
            wanted.append(
                ("submit_fgc_plan", "Share the family's revised plan", self.coordinator_id, "fgc_whole_process")
            )
        elif stage == REVIEW:
            wanted.append(("record_fgc_review", "Hold the review meeting", self.coordinator_id, "fgc_review_meeting"))
        return [
            TaskView(
                key=decision,
                decision=decision,
                title=title,
                allowed_roles=roles_for(decision),
                assignee_id=assignee,
                due_date=self.core.deadlines[due].due.due_date if due in self.core.deadlines else None,
            )
            for decision, title, assignee, due in wanted
        ]
