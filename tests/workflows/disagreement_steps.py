"""Steps that drive a professional disagreement in tests: the partner agencies, raising it, reading it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from temporalio.client import WorkflowHandle

from safeguarding.codes import DisputeState, Role
from safeguarding.commands.disagreement import DisagreementInput, DisagreementResult, RaiseDisagreement, disagreement_id
from safeguarding.models import Actor, ProcessStatus
from safeguarding.schema import chronology, disagreements
from safeguarding.store.partnerships import set_duty_manager, upsert_partnership
from tests.factories import CaseIds, create_practitioner
from tests.fixtures.temporal import Harness
from tests.workflows.time_control import eventually

PARTNERSHIP_MAILBOX = "partnership@example.invalid"


@dataclass(frozen=True)
class Partners:
    """The partner-agency practitioners of the seeded team, and its duty manager."""

    police_officer_id: str
    school_lead_id: str
    duty_manager_id: str


async def seed_partners(harness: Harness) -> Partners:
    """Add a police officer, a school's safeguarding lead, a duty manager and the example partnership."""
    team = harness.team.team_id
    async with harness.sessionmaker.begin() as session:
        police = await create_practitioner(session, team_id=team, role=Role.POLICE_OFFICER)
        school = await create_practitioner(session, team_id=team, role=Role.SCHOOL_SAFEGUARDING_LEAD)
        # A service manager by role, so the team's own team manager and service manager stay who they are.
        duty = await create_practitioner(session, team_id=team, role=Role.SERVICE_MANAGER)
        await set_duty_manager(team, duty, await harness.env.get_current_time(), session=session)
        partnership = harness.profile.disagreement
        assert partnership is not None
        await upsert_partnership(
            partnership.partnership,
            name="Fictional Safeguarding Partnership",
            mailbox=PARTNERSHIP_MAILBOX,
            session=session,
        )
    return Partners(police_officer_id=police, school_lead_id=school, duty_manager_id=duty)


def actor(harness: Harness, role: Role, practitioner_id: str) -> Actor:
    """Return `practitioner_id` of the seeded team acting in `role`."""
    return Actor(practitioner_id=practitioner_id, role=role, team_id=harness.team.team_id)


async def raise_disagreement(
    harness: Harness,
    case: CaseIds,
    about: WorkflowHandle,
    about_key: str,
    by: Actor,
    *,
    immediate_risk: bool = False,
) -> WorkflowHandle:
    """Start a disagreement raised by `by` about `about_key` of the process `about`."""
    raised_at = await harness.env.get_current_time()
    raised = RaiseDisagreement(
        actor=by,
        about_workflow_id=about.id,
        about_key=about_key,
        disagrees_with="The plan does not meet the child's needs; concerns about neglect are not addressed.",
        proposes="A Child in Need plan led by the social worker.",
        immediate_risk=immediate_risk,
    )
    return await harness.start(
        "Disagreement",
        DisagreementInput(context=harness.context(case), raised=raised),
        disagreement_id(case.reference, raised_at),
        result_type=DisagreementResult,
    )


async def status(handle: WorkflowHandle) -> ProcessStatus:
    """Return the process's `status` query."""
    return await handle.query("status", result_type=ProcessStatus)


async def disputed(about: WorkflowHandle) -> ProcessStatus:
    """Wait until the process `about` shows an open dispute, and return its status."""

    async def marked():
        """the process marks its decision as disputed"""
        current = await status(about)
        return current if any(d.state is DisputeState.OPEN for d in current.disputes) else None

    return await eventually(marked)


async def at_stage(handle: WorkflowHandle, stage: str) -> ProcessStatus:
    """Wait until the disagreement awaits a decision at `stage`, and return its status."""

    async def reached():
        """the disagreement awaits a decision at the stage"""
        current = await status(handle)
        return current if current.stage == stage and current.open_tasks else None

    return await eventually(reached)


async def log_line(harness: Harness, workflow_id: str) -> dict:
    """Return the disagreement's line of the escalation log."""
    async with harness.sessionmaker() as session:
        row = (await session.execute(select(disagreements).where(disagreements.c.workflow_id == workflow_id))).one()
    return dict(row._mapping)


async def events(harness: Harness, workflow_id: str) -> list[str]:
    """Return the chronology events `workflow_id` wrote, in order."""
    async with harness.sessionmaker() as session:
        query = select(chronology.c.event).where(chronology.c.workflow_id == workflow_id).order_by(chronology.c.id)
        return list((await session.execute(query)).scalars())


async def summaries(harness: Harness, workflow_id: str, event: str) -> list[str]:
    """Return the summaries of the chronology entries of `event` that `workflow_id` wrote."""
    async with harness.sessionmaker() as session:
        query = select(chronology.c.summary).where(chronology.c.workflow_id == workflow_id, chronology.c.event == event)
        return list((await session.execute(query.order_by(chronology.c.id))).scalars())


def mail(harness: Harness, since: int = 0) -> list[tuple[str, str]]:
    """Return (to, subject) of every e-mail received after the first `since`."""
    return [(m["To"], m["Subject"]) for m in harness.smtp.messages[since:]]


def address(practitioner_id: str) -> str:
    """Return the e-mail address the factories give `practitioner_id`."""
    return f"{practitioner_id}@example.invalid"
