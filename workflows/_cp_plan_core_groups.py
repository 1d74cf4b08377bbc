"""The child protection plan's core group meetings (statutory-rules.md §5).

A part of `workflows.cp_plan.ChildProtectionPlanWorkflow`: the lead social worker or the team manager
records each core group meeting, the first within 10 working days of the initial conference (rule
`core_group`), each later one at the profile's interval from the last (rule `core_group_interval`).
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.commands.cp_plan import RecordCoreGroup
    from safeguarding.models import DecisionRecord
    from safeguarding.working_days import describe_day, local_date
    from workflows._cp_plan_facts import CpPlanFacts
    from workflows._process import rejected


class CpPlanCoreGroupSteps(CpPlanFacts):
    """The core group Update of the child protection plan (not a workflow itself)."""

    @workflow.update(name="record_core_group")
    async def record_core_group(self, command: RecordCoreGroup) -> DecisionRecord:
        """The lead social worker or manager records a core group meeting: it meets the deadline and sets the next."""
        held = command.effective_at or workflow.now()
        n = self.state.core_groups_held + 1
        record = self.record_decision("record_core_group", command, f"core group meeting {n} held")
        self.meet_deadline(f"core_group_{n}", held)
        self.state.core_groups_held, self.state.last_core_group_at = n, held
        self._deadline(f"core_group_{n + 1}", "core_group_interval", held)
        self._update_facts()
        await self.record()
        return record

    @record_core_group.validator
    def validate_record_core_group(self, command: RecordCoreGroup) -> None:
        last = self.state.last_core_group_at
        self.check_decision("record_core_group", command, not_before=last or self.input.icpc_held_at)
        self._check_lead("record_core_group", command)
        if last is not None and local_date(command.effective_at or workflow.now()) == local_date(last):
            raise rejected(f"record_core_group: the core group of {describe_day(local_date(last))} is already recorded")
