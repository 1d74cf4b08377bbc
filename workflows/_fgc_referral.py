"""The family group conference's referral, the family's consent and the manager's agreement (statutory-rules.md §7).

A part of `workflows.fgc.FamilyGroupConferenceWorkflow`: the referrer sets the family's questions and the
authority's bottom lines; a person with parental responsibility, or the young person at 16–17, consents or
refuses; the referrer's manager agrees the referral or not. Agreed and consented, the referral starts the
service's clocks. The family may withdraw its consent until its plan is agreed: the conference is voluntary.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.codes import ConsentState, FgcConsentBasis, FgcOutcome, FgcReason
    from safeguarding.commands.fgc import AgreeFgcReferral, RecordFgcConsent, ReferToFgc, WithdrawFgcConsent
    from safeguarding.fgc_records import ConsentGiver, ConsentGiverRequest, FgcReferralTexts
    from safeguarding.models import DecisionRecord
    from safeguarding.stages import FgcStage
    from safeguarding.working_days import local_date
    from workflows._fgc_decisions import FgcDecisions
    from workflows._process import rejected


class FgcReferralSteps(FgcDecisions):
    """The referral and consent Updates of the family group conference (not a workflow itself)."""

    consent: ConsentState
    manager_agreed: bool | None

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
            await self._store("refer_to_fgc", ActivityName.STORE_FGC_REFERRAL, texts)
            self.referral, self.referrer_id = command, command.actor.practitioner_id
            urgent = ", urgent" if command.urgent else ""
            outcome = f"{len(command.questions)} questions, {len(command.bottom_lines)} bottom lines{urgent}"
            record = self.record_decision("refer_to_fgc", command, outcome)
            self.core.facts.update(referrer_id=self.referrer_id, urgent=str(command.urgent).lower())
        await self.record()
        return record

    @refer_to_fgc.validator
    def validate_refer_to_fgc(self, command: ReferToFgc) -> None:
        self._check("refer_to_fgc", command)

    @workflow.update(name="record_fgc_consent")
    async def record_fgc_consent(self, command: RecordFgcConsent) -> DecisionRecord:
        """Consent given or refused by someone entitled to give it; a refusal closes the referral (§7)."""
        with self._one_at_a_time("record_fgc_consent"):
            on = local_date(command.effective_at or workflow.now())
            request = ConsentGiverRequest(case_id=self.context.case_id, person_id=command.person_id, on=on)
            giver = await self._store("record_fgc_consent", ActivityName.CHECK_FGC_CONSENT_GIVER, request, ConsentGiver)
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
        self._check("record_fgc_consent", command)
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
        self._check("agree_fgc_referral", command, rationale_required=not command.agreed)
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
        self.set_stage(FgcStage.ALLOCATION)

    # -- the family's withdrawal -------------------------------------------------------------------

    @workflow.update(name="withdraw_fgc_consent")
    async def withdraw_fgc_consent(self, command: WithdrawFgcConsent) -> DecisionRecord:
        """The family withdraws: it is voluntary, so the process closes and everyone invited is told."""
        with self._one_at_a_time("withdraw_fgc_consent"):
            request = ConsentGiverRequest(
                case_id=self.context.case_id, person_id=command.person_id, on=local_date(workflow.now())
            )
            giver = await self._store(
                "withdraw_fgc_consent", ActivityName.CHECK_FGC_CONSENT_GIVER, request, ConsentGiver
            )
            if giver.basis is FgcConsentBasis.NOT_ENTITLED:
                raise rejected(f"withdraw_fgc_consent: {command.person_id} cannot withdraw the family's consent")
            self.consent = ConsentState.REFUSED
            record = self.record_decision("withdraw_fgc_consent", command, f"consent withdrawn by {command.person_id}")
            self.core.facts["consent"] = "withdrawn"
            await self._close(FgcOutcome.CONSENT_WITHDRAWN)
        return record

    @withdraw_fgc_consent.validator
    def validate_withdraw_fgc_consent(self, command: WithdrawFgcConsent) -> None:
        self._check("withdraw_fgc_consent", command)
        if self.consent is not ConsentState.GIVEN:
            raise rejected("withdraw_fgc_consent: consent was not given; there is nothing to withdraw")
