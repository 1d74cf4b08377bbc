"""Propose a family group conference on an open case (statutory-rules.md §7).

A conference is offered from another process of the case (an assessment, a Child in Need or child
protection plan: `source_workflow_id` names it, and it must be a process of the same case), or before care
proceedings in the letter before proceedings (the s31ZA offer: `offer_letter_at`; commencement date
unconfirmed). It runs as `fgc-<case ref>-<date proposed>`, so a case has one conference proposed per day.
It is voluntary, and every clock of §7 is local and starts only once the manager has agreed the referral
and the family has consented: at the start no deadline runs yet. A refused start writes nothing.
"""

from __future__ import annotations

from pydantic import Field
from temporalio.service import RPCError, RPCStatusCode

from safeguarding import search_attributes as sa
from safeguarding.authority import roles_for
from safeguarding.codes import FgcReason, Process, Role
from safeguarding.commands.fgc import FgcInput, fgc_workflow_id
from safeguarding.models import AwareDatetime, Frozen, ProcessContext
from safeguarding.service.access import Principal
from safeguarding.service.errors import Invalid
from safeguarding.service.root import Services
from safeguarding.service.starting import (
    ProcessStarted,
    case_context,
    check_moment,
    open_team_case,
    require_starter,
    start_process,
)
from safeguarding.service.temporal_outages import read_or_unavailable

PROPOSES_CONFERENCES: tuple[Role, ...] = roles_for("refer_to_fgc")
"""Who proposes a conference: the referrer, a social worker or support worker (§7)."""
CLOCKS_START = "when the manager has agreed the referral and the family has consented (statutory-rules.md §7)"


class ConferenceRequest(Frozen):
    """A family group conference to propose on an open case, and what offers it."""

    case_reference: str = Field(min_length=1, max_length=64, description="The case, e.g. EX-0007.")
    proposed_at: AwareDatetime = Field(description="When it was proposed: no decision of it may be dated earlier.")
    reason: FgcReason
    source_workflow_id: str | None = Field(
        default=None,
        max_length=200,
        description="The process of the case that offers it, e.g. assessment-EX-0007 (not with pre_proceedings).",
    )
    offer_letter_at: AwareDatetime | None = Field(
        default=None, description="With pre_proceedings only: the letter before proceedings that made the offer."
    )


class ConferenceProposed(ProcessStarted):
    """The conference started, awaiting its referral: no deadline runs until `clocks_start` says."""

    reason: FgcReason
    source_workflow_id: str | None
    clocks_start: str


async def start_fgc(services: Services, principal: Principal, request: ConferenceRequest) -> ConferenceProposed:
    """Start `fgc-<case ref>-<date proposed>` on the open case."""
    require_starter(principal, "start_fgc", PROPOSES_CONFERENCES, "a family group conference is proposed")
    await check_moment(services, "proposed_at", request.proposed_at)
    if request.offer_letter_at is not None:
        await check_moment(services, "offer_letter_at", request.offer_letter_at)
    async with services.sessions() as session:
        case = await open_team_case(principal, "start_fgc", request.case_reference, session=session)
        context = await case_context(services, case, session=session)
    started = FgcInput(
        context=context,
        proposed_at=request.proposed_at,
        reason=request.reason,
        source_workflow_id=request.source_workflow_id,
        offer_letter_at=request.offer_letter_at,
    )
    if started.source_workflow_id is not None:
        await _check_source(services, started.source_workflow_id, context)
    workflow_id = fgc_workflow_id(context.case_reference, request.proposed_at)
    await start_process(services, "FamilyGroupConference", started, workflow_id, Process.FGC)
    return ConferenceProposed(
        workflow_id=workflow_id,
        case_reference=context.case_reference,
        reason=started.reason,
        source_workflow_id=started.source_workflow_id,
        deadline=None,
        clocks_start=CLOCKS_START,
    )


async def _check_source(services: Services, workflow_id: str, context: ProcessContext) -> None:
    """Refuse a source process that does not exist or belongs to another case: the conference links to it."""
    client = await services.temporal()
    try:
        description = await read_or_unavailable(
            f"describing {workflow_id}", client.get_workflow_handle(workflow_id).describe
        )
    except RPCError as exc:
        if exc.status is RPCStatusCode.NOT_FOUND:
            raise Invalid(f"source_workflow_id: no workflow {workflow_id!r}", field="source_workflow_id") from None
        raise
    reference = description.typed_search_attributes.get(sa.CASE_REFERENCE)
    if reference != context.case_reference:
        raise Invalid(
            f"source_workflow_id: {workflow_id} is not a process of case {context.case_reference}",
            field="source_workflow_id",
        )
