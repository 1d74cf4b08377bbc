"""`python -m starter start lado ...`: record an allegation against a person who works with children.

The notification form (statutory-rules.md §6: who, where, what happened and when, who is involved, who
notified and how) becomes an allegation case of its own in the case store, and the LADO's process
starts on it as `lado-<reference>` (`safeguarding.service.lado`). `--lado` is the LADO who took the
notification, and acts. The person the allegation is about is named only in the case store: what is
printed carries ids, codes and references, and the LADO's response deadline (`lado_response`) with its
basis. A refused start writes nothing.
"""

from __future__ import annotations

import argparse

from safeguarding.codes import LadoNotifier, NotificationMethod
from safeguarding.service.lado import AllegationRecorded, AllegationRequest, start_lado
from safeguarding.store.lado import PersonInPositionOfTrust
from starter.arguments import MOMENT_HELP, acting, add_actor, option_names, parse_day, parse_moment
from starter.exits import finish


def register_lado(processes: argparse._SubParsersAction) -> None:
    """Add `start lado` to the processes of the `start` command."""
    lado = processes.add_parser(
        "lado", help="record an allegation against a person who works with children and start the LADO's process"
    )
    lado.add_argument("--reference", required=True, metavar="REF", help="the allegation's reference, e.g. LADO-0002")
    add_actor(lado, "--lado", "--actor", acts="the LADO who took the notification")
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
    return finish("start", record_allegation(args), option_names("came_to_attention_at", "notified_at"))


async def record_allegation(args: argparse.Namespace) -> AllegationRecorded:
    """Record the notification the options fill in, as the LADO `--lado`, and start `lado-<reference>`."""
    request = AllegationRequest(
        reference=args.reference,
        subject=PersonInPositionOfTrust(
            given_name=args.subject_given_name,
            family_name=args.subject_family_name,
            date_of_birth=parse_day("--subject-date-of-birth", args.subject_date_of_birth),
            role=args.subject_role,
            is_teacher=args.teacher,
            address=args.subject_address,
        ),
        employer=args.employer,
        setting=args.setting,
        agency=args.agency,
        what_happened=args.what_happened,
        happened_on=parse_day("--happened-on", args.happened_on),
        came_to_attention_at=parse_moment("--came-to-attention-at", args.came_to_attention_at),
        action_taken=args.action_taken,
        children=tuple(args.children),
        notifier_kind=LadoNotifier(args.notifier),
        notifier_name=args.notifier_name,
        notifier_organisation=args.notifier_organisation,
        notifier_email=args.notifier_email,
        notifier_phone=args.notifier_phone,
        method=NotificationMethod(args.method),
        notified_at=parse_moment("--notified-at", args.notified_at),
    )
    return await acting(args.actor, start_lado, request)
