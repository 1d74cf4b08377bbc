"""Record an allegation against a person who works with children, and start the LADO's process on it.

The notification (statutory-rules.md §6: who, where, what happened and when, who is involved, who notified
and how) becomes an allegation case of its own in the case store, and the LADO's process starts on it as
`lado-<reference>`. The LADO who takes it is the acting practitioner, and the allegation is their team's.
The person the allegation is about is named only in the case store: what is returned carries ids, codes
and references. The notification's own clock (`lado_notification`) is judged when the process starts, so
the first deadline returned is the LADO's response (`lado_response`). A refused start writes nothing: every
check runs before the allegation is recorded, and an allegation whose process does not start is taken out
again.
"""

from __future__ import annotations

from pydantic import Field

from safeguarding.authority import roles_for
from safeguarding.codes import Process, Role
from safeguarding.commands.lado import LadoInput, lado_workflow_id
from safeguarding.service.access import Principal
from safeguarding.service.errors import Conflict, Invalid
from safeguarding.service.root import Services
from safeguarding.service.starting import (
    ProcessStarted,
    case_context,
    check_moment,
    first_deadline,
    require_starter,
    start_process,
)
from safeguarding.store.cases import get_case, get_case_by_reference
from safeguarding.store.lado import Notification, NotificationForm, delete_allegation, insert_allegation

TAKES_NOTIFICATIONS: tuple[Role, ...] = roles_for("respond_to_notification")
"""Who may take a notification: the roles that respond to it (the LADO, or their manager covering; §6)."""


class AllegationRequest(Notification):
    """The LADO notification form as it is taken: the children involved named by their cases' references."""

    reference: str = Field(
        min_length=1, max_length=64, description="The allegation's own reference, in the profile's form."
    )
    children: tuple[str, ...] = Field(default=(), description="The cases of the children involved, by reference.")


class AllegationRecorded(ProcessStarted):
    """The allegation recorded as a case of its own and the LADO's process started, with the response deadline."""

    allegation_case_id: str


async def start_lado(services: Services, principal: Principal, request: AllegationRequest) -> AllegationRecorded:
    """Record the notification as an allegation case of the LADO's team, then start `lado-<reference>` on it."""
    require_starter(principal, "start_lado", TAKES_NOTIFICATIONS, "a notification is taken")
    await check_moment(services, "came_to_attention_at", request.came_to_attention_at)
    await check_moment(services, "notified_at", request.notified_at)
    try:
        services.profile.references.check("allegation", request.reference)
    except ValueError as exc:
        raise Invalid(str(exc), field="reference") from None
    async with services.sessions.begin() as session:
        if await get_case_by_reference(request.reference, session=session) is not None:
            raise Conflict(f"reference {request.reference} is already in use", field="reference")
        children = []
        for reference in request.children:
            child = await get_case_by_reference(reference, session=session)
            if child is None:
                raise Invalid(f"no case with reference {reference!r}", field="children")
            children.append(child["id"])
        form = NotificationForm.model_validate(
            {**dict(request), "children": tuple(children), "team_id": principal.team_id}
        )
        try:
            case_id = await insert_allegation(form, now=await services.now(), session=session)
        except ValueError as exc:  # what the checks above leave to it: the reference taken a moment ago
            raise Conflict(str(exc), field="reference") from None
        case = await get_case(case_id, session=session)
        assert case is not None, "inserted just above, in this transaction"
        context = await case_context(services, case, session=session)
        deadline = first_deadline(context, "lado_response", form.notified_at)
    # Committed before the start, so the workflow's first activity finds the allegation's case; taken out
    # again if the process does not start, so a refused start leaves nothing behind.
    workflow_id = lado_workflow_id(form.reference)
    started = LadoInput(
        context=context,
        came_to_attention_at=form.came_to_attention_at,
        notified_at=form.notified_at,
        notifier=form.notifier_kind,
        children=form.children,
        subject_is_teacher=form.subject.is_teacher,
        lado_id=principal.practitioner_id,
    )
    try:
        await start_process(services, "Lado", started, workflow_id, Process.LADO)
    except Exception:
        async with services.sessions.begin() as session:
            await delete_allegation(case_id, session=session)
        raise
    return AllegationRecorded(
        workflow_id=workflow_id, allegation_case_id=case_id, case_reference=context.case_reference, deadline=deadline
    )
