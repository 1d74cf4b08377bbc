"""`python -m starter start front-door|assessment|strategy-discussion|lado|fgc ... --actor PRACTITIONER_ID`.

`start front-door` records the contact in the case store and starts the front door (statutory-rules.md
§2) as `front-door-<contact id>`, so several contacts on one case each run their own clock. `start
assessment` starts a child and family assessment directly from a referral (§3) under the id the front door
hands off to (`assessment-<case ref>`, `-2` and on for a re-referred case's later ones), so one case never
runs two. `start strategy-discussion`
starts one on an open case when new information arrives (§4). Each prints the workflow id and the first
deadline with its basis, computed by the same rules, profile and calendar the workflow uses. `start lado`
records an allegation and starts the LADO's process (§6); `start fgc` proposes a family group conference
(§7). Who starts it is `--actor` (`--lado` for an allegation), whose role and team are read from the case
store; the use cases are in `safeguarding.service`. A refused start writes nothing.
"""

from __future__ import annotations

import argparse

from safeguarding.codes import ReferralSource
from safeguarding.service.assessments import AssessmentRequest, start_assessment
from safeguarding.service.contacts import ContactRecorded, ContactRequest, record_contact
from safeguarding.service.starting import ProcessStarted
from safeguarding.service.strategy_discussions import StrategyDiscussionRequest, start_strategy_discussion
from starter.arguments import MOMENT_HELP, acting, add_actor, option_names, parse_moment
from starter.exits import finish
from starter.start_fgc import register_fgc
from starter.start_lado import register_lado

SOURCES = [str(code) for code in ReferralSource]
"""The census sources of referral the commands accept (codes.ReferralSource)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `start` command and its processes."""
    parser = subparsers.add_parser("start", help="record a contact and start a process", description=__doc__)
    processes = parser.add_subparsers(dest="process", required=True, metavar="PROCESS")

    front_door = processes.add_parser("front-door", help="record a contact and start the front door")
    front_door.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. EX-0007")
    front_door.add_argument("--received-at", required=True, metavar="ISO_DATETIME", help=MOMENT_HELP)
    front_door.add_argument("--source", required=True, help="who made contact, e.g. school, police, health")
    front_door.add_argument("--summary", required=True, help="what the referrer said")
    front_door.add_argument("--referrer-name")
    front_door.add_argument("--referrer-email", help="where the acknowledgement and the outcome are sent")
    front_door.add_argument("--referrer-organisation")
    front_door.add_argument("--referral-source", choices=SOURCES, help="the census source of referral (e.g. 2A)")
    add_actor(front_door, acts="who takes the contact")
    front_door.set_defaults(handler=handle_front_door)

    assessment = processes.add_parser("assessment", help="start a child and family assessment from a referral")
    assessment.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. EX-0002")
    assessment.add_argument("--referral-at", required=True, metavar="ISO_DATETIME", help=MOMENT_HELP)
    assessment.add_argument(
        "--referral-source", required=True, choices=SOURCES, help="the census source of the referral (e.g. 2A)"
    )
    add_actor(assessment, acts="who starts it")
    assessment.set_defaults(handler=handle_assessment)

    discussion = processes.add_parser(
        "strategy-discussion", help="start a strategy discussion on an open case when new information arrives"
    )
    discussion.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. EX-0007")
    discussion.add_argument("--concerns-at", required=True, metavar="ISO_DATETIME", help=MOMENT_HELP)
    discussion.add_argument(
        "--referral-source",
        choices=SOURCES,
        help="the census source of the referral, needed when the child is in no open episode (e.g. 6)",
    )
    add_actor(discussion, acts="who convenes it")
    discussion.set_defaults(handler=handle_strategy_discussion)

    register_lado(processes)
    register_fgc(processes)


def handle_front_door(args: argparse.Namespace) -> int:
    """Record the contact, start the front door and print where it stands."""
    return finish("start", start_front_door(args), option_names("received_at"))


def handle_assessment(args: argparse.Namespace) -> int:
    """Start the assessment and print where it stands."""
    return finish("start", start_an_assessment(args), option_names("referral_at"))


def handle_strategy_discussion(args: argparse.Namespace) -> int:
    """Start the strategy discussion and print its time limit."""
    return finish("start", start_a_strategy_discussion(args), option_names("concerns_at"))


async def start_front_door(args: argparse.Namespace) -> ContactRecorded:
    """Record the contact and start `front-door-<contact id>`."""
    request = ContactRequest(
        case_reference=args.case,
        received_at=parse_moment("--received-at", args.received_at),
        source=args.source,
        summary=args.summary,
        referrer_name=args.referrer_name,
        referrer_email=args.referrer_email,
        referrer_organisation=args.referrer_organisation,
        referral_source=args.referral_source,
    )
    return await acting(args.actor, record_contact, request)


async def start_an_assessment(args: argparse.Namespace) -> ProcessStarted:
    """Start the case's assessment from a referral received at `--referral-at`; print the id it runs under."""
    request = AssessmentRequest(
        case_reference=args.case,
        referral_at=parse_moment("--referral-at", args.referral_at),
        referral_source=args.referral_source,
    )
    return await acting(args.actor, start_assessment, request)


async def start_a_strategy_discussion(args: argparse.Namespace) -> ProcessStarted:
    """Start a strategy discussion about an open case on new information."""
    request = StrategyDiscussionRequest(
        case_reference=args.case,
        concerns_at=parse_moment("--concerns-at", args.concerns_at),
        referral_source=args.referral_source,
    )
    return await acting(args.actor, start_strategy_discussion, request)
