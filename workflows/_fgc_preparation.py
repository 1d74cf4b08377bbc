"""The family group conference's coordinator and preparation (statutory-rules.md §7).

A part of `workflows.fgc.FamilyGroupConferenceWorkflow`: the manager acknowledges the referral by allocating
an independent coordinator, whose clocks then run (first contact, the baseline meeting, preparation; an
urgent conference has only the first); the coordinator contacts the family, meets the child and family and
maps the network, then agrees the invitees with them — a split conference where domestic abuse makes one
meeting unsafe, exclusions from private family time with reasons, interpreters.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.commands.fgc import (
        AllocateFgcCoordinator,
        InviteFgcParticipants,
        RecordFgcBaselineMeeting,
        RecordFgcFirstContact,
    )
    from safeguarding.fgc_records import FgcInvitation
    from safeguarding.models import DecisionRecord, Recipient
    from safeguarding.stages import FgcStage
    from workflows._fgc_decisions import FgcDecisions
    from workflows._process import rejected


class FgcPreparationSteps(FgcDecisions):
    """The coordinator's and the preparation's Updates of the family group conference (not a workflow itself)."""

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
        self.set_stage(FgcStage.PREPARATION)
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
        self._check("allocate_fgc_coordinator", command)
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
        self._check("record_fgc_first_contact", command)

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
        self._check("record_fgc_baseline_meeting", command)
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
            await self._store("invite_fgc_participants", ActivityName.STORE_FGC_PARTICIPANTS, invitation)
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
        self._check("invite_fgc_participants", command)
        assert self.referral is not None
        needed = ["record_fgc_first_contact"] + ([] if self.referral.urgent else ["record_fgc_baseline_meeting"])
        missing = [name for name in needed if not self._decided(name)]
        if missing:
            raise rejected(f"invite_fgc_participants: record {' and '.join(missing)} first")
