"""Steps that drive the LADO's process in tests: a LADO team, a notification, the harm test, the outcome."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import WorkflowHandle

from safeguarding.codes import LadoNotifier, LadoOutcome, NotificationMethod, Role
from safeguarding.commands.lado import (
    ConsiderAllegation,
    HarmLimb,
    HarmTest,
    LadoInput,
    LadoResult,
    RecordAllegationOutcome,
    lado_workflow_id,
)
from safeguarding.models import Actor, ProcessStatus
from safeguarding.procedure_profile import ProcedureProfile
from safeguarding.schema import teams
from safeguarding.store.lado import NotificationForm, PersonInPositionOfTrust, insert_allegation
from tests.factories import CaseIds, create_practitioner, create_team, new_id
from tests.fixtures.temporal import Harness


@dataclasses.dataclass(frozen=True)
class LadoTeam:
    """The LADO service: a LADO, and their manager who is the team's manager and service manager."""

    team_id: str
    lado_id: str
    manager_id: str

    def actor(self, role: Role = Role.LADO) -> Actor:
        """Return the LADO (or their manager) as the actor of a decision."""
        practitioner = self.manager_id if role is Role.LADO_MANAGER else self.lado_id
        return Actor(practitioner_id=practitioner, role=role, team_id=self.team_id)


async def create_lado_team(session: AsyncSession) -> LadoTeam:
    """Create the LADO team, its LADO and the LADO's manager (the team's service manager too)."""
    team_id = await create_team(session, name="Fictional LADO Service")
    lado_id = await create_practitioner(session, team_id=team_id, role=Role.LADO)
    manager_id = await create_practitioner(session, team_id=team_id, role=Role.LADO_MANAGER)
    await session.execute(update(teams).where(teams.c.id == team_id).values(service_manager_id=manager_id))
    return LadoTeam(team_id=team_id, lado_id=lado_id, manager_id=manager_id)


async def seed_lado_team(harness: Harness) -> LadoTeam:
    """Create and commit the LADO team for a running test."""
    async with harness.sessionmaker.begin() as session:
        return await create_lado_team(session)


def notification_form(
    team: LadoTeam,
    *,
    came_to_attention_at: datetime,
    notified_at: datetime,
    children: tuple[str, ...] = (),
    is_teacher: bool = False,
    date_of_birth: date | None = date(1990, 4, 12),
    reference: str | None = None,
) -> NotificationForm:
    """Return a fictional notification by a school about one of its staff."""
    return NotificationForm(
        reference=reference or f"REF-LADO-{new_id('a').split('-')[1].upper()}",
        team_id=team.team_id,
        subject=PersonInPositionOfTrust(
            given_name="Alex",
            family_name="Fictional-Subject",
            date_of_birth=date_of_birth,
            role="class teacher" if is_teacher else "teaching assistant",
            is_teacher=is_teacher,
            address="2 Nowhere Lane, Testtown",
        ),
        employer="Fictional Academy Trust",
        setting="Fictional Primary School",
        what_happened="A pupil said the member of staff grabbed their arm hard in the corridor.",
        happened_on=came_to_attention_at.date() - timedelta(days=1),
        came_to_attention_at=came_to_attention_at,
        action_taken="The pupil was spoken to by the designated safeguarding lead; no investigation started.",
        children=children,
        notifier_kind=LadoNotifier.EMPLOYER,
        notifier_name="Fictional Headteacher",
        notifier_organisation="Fictional Primary School",
        notifier_email="head@example.invalid",
        method=NotificationMethod.PHONE,
        notified_at=notified_at,
    )


async def notify(harness: Harness, form: NotificationForm) -> str:
    """Record the notification in the case store as the LADO's duty desk would; return the allegation's case id."""
    async with harness.sessionmaker.begin() as session:
        return await insert_allegation(form, now=await harness.env.get_current_time(), session=session)


async def start_lado(
    harness: Harness,
    team: LadoTeam,
    form: NotificationForm,
    *,
    profile: ProcedureProfile | None = None,
) -> WorkflowHandle:
    """Record the notification and start `lado-<reference>` for it."""
    case_id = await notify(harness, form)
    context = harness.context(CaseIds(case_id, form.reference, "", team.team_id))
    if profile is not None:
        context = context.model_copy(update={"profile": profile})
    return await harness.start(
        "Lado",
        LadoInput(
            context=context,
            came_to_attention_at=form.came_to_attention_at,
            notified_at=form.notified_at,
            notifier=form.notifier_kind,
            children=form.children,
            subject_is_teacher=form.subject.is_teacher,
            lado_id=team.lado_id,
        ),
        lado_workflow_id(form.reference),
        result_type=LadoResult,
    )


def harm_test(*, met: bool) -> HarmTest:
    """Return a harm test with every limb recorded: met on the first two limbs, or none."""
    return HarmTest(
        harmed_a_child=HarmLimb(met=met, note="Bruising seen on the pupil's arm" if met else "No injury seen"),
        possible_offence=HarmLimb(met=met, note="Possible assault" if met else "No offence indicated"),
        risk_of_harm=HarmLimb(met=False, note="No earlier concerns"),
        unsuitable=HarmLimb(met=False, note="No conduct outside work known"),
    )


def consider(team: LadoTeam, *, children: tuple[str, ...] = (), police: bool = False) -> ConsiderAllegation:
    """Return the LADO's consideration that the harm test is met, referring `children` (and the police)."""
    return ConsiderAllegation(
        actor=team.actor(),
        harm_test=harm_test(met=True),
        advice_to_employer="Do not investigate; keep the member of staff away from the pupil pending the meeting",
        refer_to_childrens_social_care=children,
        refer_to_police=police,
    )


def outcome(team: LadoTeam, result: LadoOutcome, *, removed: bool = False, resigned: bool = False):
    """Return the LADO's outcome decision."""
    return RecordAllegationOutcome(
        actor=team.actor(),
        outcome=result,
        removed_from_regulated_activity=removed,
        resigned=resigned,
        rationale=f"The evidence gathered shows the allegation is {result}",
    )


async def status(handle: WorkflowHandle) -> ProcessStatus:
    """Return the process's `status` query."""
    return await handle.query("status", result_type=ProcessStatus)


def deadline(state: ProcessStatus, key: str):
    """Return the deadline `key` of a status."""
    return next(d for d in state.deadlines if d.key == key)
