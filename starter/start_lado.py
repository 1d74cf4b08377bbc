"""`python -m starter start lado ...`: record an allegation against a person who works with children.

The notification form (statutory-rules.md §6: who, where, what happened and when, who is involved, who
notified and how) becomes an allegation case of its own in the case store, and the LADO's process
starts on it as `lado-<reference>`. The person the allegation is about is named only in the case store:
what is printed carries ids, codes and references. The notification's own clock (`lado_notification`) is
judged when the process starts, so the first deadline printed is the LADO's response
(`lado_response`), with its basis, computed by the same rules, profile and calendar the workflow uses.
A refused start writes nothing: every check runs before the allegation is recorded, a second start of
the same allegation is refused by its reference, which is already in use, and an allegation whose
process does not start is taken out again.
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from safeguarding.authority import roles_for
from safeguarding.codes import LadoNotifier, NotificationMethod, Process
from safeguarding.commands.lado import LadoInput, lado_workflow_id
from safeguarding.config import Settings
from safeguarding.database import create_engine, database_url
from safeguarding.procedure_profile import load_profile
from safeguarding.store.cases import get_case, get_case_by_reference
from safeguarding.store.lado import NotificationForm, PersonInPositionOfTrust, delete_allegation, insert_allegation
from safeguarding.temporal import connect
from starter.decide import resolve_actor
from starter.exits import Refused, finish
from starter.starting import MOMENT_HELP, case_context, first_deadline, parse_moment, start_process

TAKES_NOTIFICATIONS = roles_for("respond_to_notification")
"""Who may take a notification: the roles that respond to it (the LADO, or their manager covering; §6)."""


def register_lado(processes: argparse._SubParsersAction) -> None:
    """Add `start lado` to the processes of the `start` command."""
    lado = processes.add_parser(
        "lado", help="record an allegation against a person who works with children and start the LADO's process"
    )
    lado.add_argument("--reference", required=True, metavar="REF", help="the allegation's reference, e.g. LADO-0002")
    lado.add_argument("--lado", required=True, metavar="PRACTITIONER_ID", help="the LADO who took the notification")
    subject = lado.add_argument_group("the person the allegation is about (kept in the case store, never printed)")
    subject.add_argument("--subject-given-name", required=True)
    subject.add_argument("--subject-family-name", required=True)
    subject.add_argument("--subject-date-of-birth", metavar="DATE", help="e.g. 1988-06-15; the record's retention")
    subject.add_argument("--subject-role", required=True, help="their job or role, e.g. teaching assistant")
    subject.add_argument("--teacher", action="store_true", help="a teacher: the teaching regulator may be referred to")
    subject.add_argument("--subject-address")
    lado.add_argument("--employer", required=True)
    lado.add_argument("--setting", required=True, help="where they work with children, e.g. a school")
    lado.add_argument("--agency", help="the agency that placed them, if any")
    lado.add_argument("--what-happened", required=True)
    lado.add_argument("--happened-on", metavar="DATE", help="e.g. 2026-11-23")
    lado.add_argument("--came-to-attention-at", required=True, metavar="ISO_DATETIME", help=MOMENT_HELP)
    lado.add_argument("--action-taken", required=True, help="what the employer has done so far")
    lado.add_argument(
        "--child", dest="children", action="append", default=[], metavar="REF", help="a child's case (repeatable)"
    )
    lado.add_argument("--notifier", required=True, choices=[str(kind) for kind in LadoNotifier])
    lado.add_argument("--notifier-name", required=True)
    lado.add_argument("--notifier-organisation")
    lado.add_argument("--notifier-email")
    lado.add_argument("--notifier-phone")
    lado.add_argument("--method", required=True, choices=[str(method) for method in NotificationMethod])
    lado.add_argument("--notified-at", required=True, metavar="ISO_DATETIME", help=MOMENT_HELP)
    lado.set_defaults(handler=handle_lado)


def handle_lado(args: argparse.Namespace) -> int:
    """Record the allegation, start the LADO's process and print its response deadline."""
    return finish("start", start_lado(args))


async def start_lado(args: argparse.Namespace) -> dict[str, Any]:
    """Record the notification as an allegation case, then start `lado-<reference>` on it."""
    came_to_attention_at = parse_moment("--came-to-attention-at", args.came_to_attention_at)
    notified_at = parse_moment("--notified-at", args.notified_at)
    settings = Settings()
    profile = load_profile(settings.profile_path)
    profile.references.check("allegation", args.reference)
    lado = await resolve_actor(settings, args.lado)
    if lado.role not in TAKES_NOTIFICATIONS:
        takers = " or ".join(TAKES_NOTIFICATIONS)
        raise Refused(f"{lado.practitioner_id} is a {lado.role}: a notification is taken by a {takers}")
    client = await connect(settings)
    engine = create_engine(database_url(settings, settings.data_dir))
    sessions = async_sessionmaker(engine)
    try:
        async with sessions.begin() as session:
            children = []
            for reference in args.children:
                child = await get_case_by_reference(reference, session=session)
                if child is None:
                    raise Refused(f"no case with reference {reference!r}")
                children.append(child["id"])
            form = _form(args, lado.team_id, tuple(children), came_to_attention_at, notified_at)
            case_id = await insert_allegation(form, now=datetime.now(UTC), session=session)
            case = await get_case(case_id, session=session)
            assert case is not None, "inserted just above, in this transaction"
            context = await case_context(case, profile, session=session)
        # Committed before the start, so the workflow's first activity finds the allegation's case; taken
        # out again if the process does not start, so a refused start leaves nothing behind.
        workflow_id = lado_workflow_id(form.reference)
        started = LadoInput(
            context=context,
            came_to_attention_at=came_to_attention_at,
            notified_at=notified_at,
            notifier=form.notifier_kind,
            children=form.children,
            subject_is_teacher=form.subject.is_teacher,
            lado_id=lado.practitioner_id,
        )
        try:
            await start_process(client, settings, "Lado", started, workflow_id, Process.LADO)
        except Exception:
            async with sessions.begin() as session:
                await delete_allegation(case_id, session=session)
            raise
    finally:
        await engine.dispose()
    return {
        "workflow_id": workflow_id,
        "allegation_case_id": case_id,
        "case_reference": context.case_reference,
        "deadline": first_deadline(context, "lado_response", notified_at),
    }


def _form(
    args: argparse.Namespace,
    team_id: str,
    children: tuple[str, ...],
    came_to_attention_at: datetime,
    notified_at: datetime,
) -> NotificationForm:
    """Return the notification form the arguments fill in; the form refuses what does not fit (ids only)."""
    return NotificationForm(
        reference=args.reference,
        team_id=team_id,
        subject=PersonInPositionOfTrust(
            given_name=args.subject_given_name,
            family_name=args.subject_family_name,
            date_of_birth=_day("--subject-date-of-birth", args.subject_date_of_birth),
            role=args.subject_role,
            is_teacher=args.teacher,
            address=args.subject_address,
        ),
        employer=args.employer,
        setting=args.setting,
        agency=args.agency,
        what_happened=args.what_happened,
        happened_on=_day("--happened-on", args.happened_on),
        came_to_attention_at=came_to_attention_at,
        action_taken=args.action_taken,
        children=children,
        notifier_kind=LadoNotifier(args.notifier),
        notifier_name=args.notifier_name,
        notifier_organisation=args.notifier_organisation,
        notifier_email=args.notifier_email,
        notifier_phone=args.notifier_phone,
        method=NotificationMethod(args.method),
        notified_at=notified_at,
    )


def _day(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused(f"{option} {text!r} is not a date such as 2026-11-23") from None
