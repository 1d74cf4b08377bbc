"""The notices the service sends, as data: subject and body templates by name, and their plain English.

Messages carry the case reference and never a child's name (personal data stays in the case store).
Workflows pass codes (`assessment`, `under_5`); this module turns each into the words a busy social
worker, manager, health team or referrer would want to read. Deadline notices follow the remind ->
overdue -> escalate pattern of statutory-rules.md §1 (reminders in office hours); the referral letters
follow statutory-rules.md §2 (acknowledge the referrer; tell them the outcome in writing); the health
briefing follows the joint visits procedure of statutory-rules.md §3.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from safeguarding.codes import AgeBand, ContactOutcome, DisagreementStage, PlanEndReason, Process
from safeguarding.labels import LABELS
from safeguarding.working_days import describe_day


@dataclass(frozen=True)
class NoticeTemplate:
    """One message: `fields` are what the caller must pass; the texts use them and their plain English.

    `optional` fields have a default: a notice queued by a process that predates the field still renders.
    """

    fields: tuple[str, ...]
    subject: str
    body: str
    optional: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RenderedNotice:
    """A message ready for a channel."""

    subject: str
    body: str


class DigestLine(Protocol):
    """What the team digest shows of one deadline: the case reference, what is due and when."""

    @property
    def case_reference(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def due_date(self) -> date: ...


class TemplateError(ValueError):
    """A notice that cannot be rendered: unknown template, missing field or unknown code. Never retried."""


_DEADLINE_FIELDS = ("case_reference", "rule_id", "title", "due", "basis", "process", "workflow_id")
_DEADLINE_FOOTER = (
    "Process: {process_text}\n"
    "Rule: {rule_id}\n"
    "How the date was worked out: {basis}\n"
    "\n"
    "Process reference: {workflow_id}\n"
)

TEMPLATES: dict[str, NoticeTemplate] = {
    "deadline_reminder": NoticeTemplate(
        _DEADLINE_FIELDS,
        "Reminder – case {case_reference}: {title}, {time_left} (by {due})",
        'Case {case_reference}: "{title}" is due by {due}.\n'
        "\n"
        "If it is done, record it on the case so the deadline shows as met. If it cannot be met in time, "
        "talk to your team manager and record the reasons on the case.\n"
        "\n" + _DEADLINE_FOOTER,
        optional=(("time_left", "due"),),
    ),
    "deadline_overdue": NoticeTemplate(
        _DEADLINE_FIELDS,
        "Overdue – case {case_reference}: {title}, was due by {due}",
        'Case {case_reference}: "{title}" was due by {due} and is not recorded as done.\n'
        "\n"
        "Please check with the allocated worker. If it has been done, make sure it is recorded on the case; "
        "if not, agree what happens next and record the reasons for the delay.\n"
        "\n" + _DEADLINE_FOOTER,
    ),
    "deadline_escalation": NoticeTemplate(
        _DEADLINE_FIELDS,
        "Still overdue – case {case_reference}: {title}, was due by {due}",
        'Case {case_reference}: "{title}" was due by {due} and is still not recorded as done. '
        "The team manager was alerted when it became overdue.\n"
        "\n"
        "Please review the case with the team manager and make sure the reasons for the delay and the "
        "plan to complete it are recorded.\n"
        "\n" + _DEADLINE_FOOTER,
    ),
    "record_refused": NoticeTemplate(
        ("case_reference", "process", "reason", "workflow_id"),
        "Action needed – case {case_reference}: part of the record could not be stored",
        "Case {case_reference}: the case record could not store part of what was recorded ({reason}).\n"
        "\n"
        "The process is still running and its deadlines are still watched. Characters the record cannot "
        "hold were replaced; please check the latest entries on the case and correct them if needed.\n"
        "\n"
        "Process: {process_text}\n"
        "Process reference: {workflow_id}\n",
    ),
    "referral_acknowledgement": NoticeTemplate(
        ("case_reference", "received"),
        "We have received your referral (our reference {case_reference})",
        "Thank you for your referral, which we received on {received}.\n"
        "\n"
        "Our reference is {case_reference}. Please quote it whenever you contact us about this referral. "
        "We will decide what needs to happen next and write to tell you the outcome.\n"
        "\n"
        "If you think a child is in immediate danger, call the police on 999.\n",
    ),
    "referral_outcome": NoticeTemplate(
        ("case_reference", "outcome", "decided"),
        "The outcome of your referral (our reference {case_reference})",
        "Thank you for your referral (our reference {case_reference}).\n"
        "\n"
        "On {decided} we decided: {outcome_text}\n"
        "\n"
        "If you have new information or are still worried about the child, please contact us again and "
        "quote the reference. If you think a child is in immediate danger, call the police on 999.\n",
    ),
    "health_team_briefing": NoticeTemplate(
        ("case_reference", "age_band", "workflow_id"),
        "Joint visit needed: case {case_reference} ({age_band_text})",
        "Children's social care has started a child and family assessment for case {case_reference}, "
        "which concerns {age_band_text}. Under the joint visits procedure the assessment is done jointly "
        "with {health_practitioner}.\n"
        "\n"
        "Please:\n"
        "- allocate {health_practitioner} and tell the allocated social worker who it is;\n"
        "- flag the child as vulnerable in the health record;\n"
        "- share any background you hold, and join the pre-meet to plan the visit and agree who leads.\n"
        "\n"
        "Process reference: {workflow_id}\n",
    ),
    "cp_plan_ended": NoticeTemplate(
        ("case_reference", "decided", "end_reason", "workflow_id"),
        "Child protection plan ended: case {case_reference}",
        "The child protection plan for case {case_reference}, to whose conference your agency was invited, "
        "ended on {decided}: {end_reason_text}\n"
        "\n"
        "Please update your own records. Contact the allocated social worker if you have any concerns.\n"
        "\n"
        "Process reference: {workflow_id}\n",
    ),
    "cp_plan_two_years": NoticeTemplate(
        ("case_reference", "due", "basis", "workflow_id"),
        "Child protection plan at two years: case {case_reference}",
        "The child protection plan for case {case_reference} has lasted two years on {due} ({basis}).\n"
        "\n"
        "Plans that last this long are brought to the service manager: please review the plan's progress "
        "with the team manager and the conference chair.\n"
        "\n"
        "Process reference: {workflow_id}\n",
    ),
    # Family group conference (statutory-rules.md §7): the family's meeting, so the words are for a family.
    "fgc_referral_acknowledgement": NoticeTemplate(
        ("case_reference", "workflow_id"),
        "Family group conference referral acknowledged: case {case_reference}",
        "Your referral for a family group conference for case {case_reference} has been acknowledged and an "
        "independent coordinator allocated. The coordinator will contact the family and agree the "
        "preparation with them. Please be ready to attend the meeting and review the plan with the family.\n"
        "\n"
        "Process reference: {workflow_id}\n",
    ),
    "fgc_invitation": NoticeTemplate(
        ("case_reference", "meeting", "venue", "workflow_id"),
        "Invitation to a family group conference on {meeting}",
        "You are invited to a family group conference on {meeting} at {venue}.\n"
        "\n"
        "A family group conference is a meeting where the family and friends who care about a child make a "
        "plan together. It has three parts: sharing information, private family time (the professionals "
        "leave so the family can talk on their own), and sharing and agreeing the family's plan. It can "
        "last up to three hours. Taking part is voluntary.\n"
        "\n"
        "If you cannot come, need an interpreter or any help to take part, please tell the coordinator "
        "and quote reference {case_reference}.\n"
        "\n"
        "Process reference: {workflow_id}\n",
    ),
    "fgc_reminder": NoticeTemplate(
        ("case_reference", "meeting", "venue", "workflow_id"),
        "Reminder: family group conference on {meeting}",
        "This is a reminder that the family group conference is on {meeting} at {venue}.\n"
        "\n"
        "If you can no longer come, please tell the coordinator and quote reference {case_reference}.\n"
        "\n"
        "Process reference: {workflow_id}\n",
    ),
    "fgc_cancelled": NoticeTemplate(
        ("case_reference", "workflow_id"),
        "Family group conference cancelled (reference {case_reference})",
        "The family group conference you were invited to (reference {case_reference}) will not go ahead: "
        "the family has decided not to continue, which is their choice to make.\n"
        "\n"
        "Process reference: {workflow_id}\n",
    ),
    # Professional disagreement (statutory-rules.md §8): distinct from the deadline notices above, which are
    # about a missed statutory deadline; these are about professionals who disagree about what a child needs.
    "disagreement_stage": NoticeTemplate(
        ("case_reference", "disagreement_stage", "process", "about_key", "due", "basis", "reason", "workflow_id"),
        "Professional disagreement – case {case_reference}: for {stage_text} to resolve by {due}",
        "A professional disagreement about case {case_reference} is now for {stage_text} to resolve "
        "({reason}).\n"
        "\n"
        "It concerns: {process_text}, {about_key}.\n"
        "\n"
        "Please resolve it by {due} at the lowest level you can: record the outcome agreed in writing, or "
        "escalate it with your reasons. If it is not resolved by then, it goes to the next stage "
        "automatically.\n"
        "\n"
        "Escalation is not a complaint. The process it concerns keeps running and its deadlines keep "
        "counting. If the child is at immediate risk, act now through MASH, the Emergency Duty Team or "
        "the police.\n"
        "\n"
        "How the date was worked out: {basis}\n"
        "Disagreement reference: {workflow_id}\n",
    ),
    "disagreement_immediate_risk": NoticeTemplate(
        ("case_reference", "disagreement_stage", "process", "about_key", "workflow_id"),
        "Immediate risk – professional disagreement on case {case_reference}: act now",
        "A professional has raised a disagreement about case {case_reference} and says the child is at "
        "immediate risk.\n"
        "\n"
        "As duty manager, make sure the child is safe now, through MASH, the Emergency Duty Team or the "
        "police; do not wait for the disagreement to be resolved. It starts with {stage_text}.\n"
        "\n"
        "It concerns: {process_text}, {about_key}.\n"
        "Disagreement reference: {workflow_id}\n",
    ),
    "disagreement_resolved": NoticeTemplate(
        ("case_reference", "disagreement_stage", "change", "workflow_id"),
        "Professional disagreement resolved – case {case_reference}",
        "The professional disagreement about case {case_reference} was resolved with {stage_text}: "
        "{change}.\n"
        "\n"
        "The outcome agreed in writing is recorded on the case; please read it there and update your "
        "own records.\n"
        "\n"
        "Disagreement reference: {workflow_id}\n",
    ),
    "team_digest": NoticeTemplate(
        ("team_id", "day", "overdue_count", "overdue", "due_count", "due_soon"),
        "Team {team_id} work for {day}: {overdue_count} overdue, {due_count} due in the next 7 days",
        "Deadlines for team {team_id} as at the start of {day}.\n"
        "\n"
        "Overdue ({overdue_count}):\n"
        "{overdue}\n"
        "\n"
        "Due in the next 7 days ({due_count}):\n"
        "{due_soon}\n"
        "\n"
        "Open each case to see who it is allocated to and how the date was worked out.\n",
    ),
}

# Codes the workflows pass, and the words each becomes. Strict: an unknown code is an error, never a
# guess, because these texts go to referrers and partner agencies.
_PLAIN: dict[str, Mapping[str, Mapping[str, str]]] = {
    "outcome": {
        ContactOutcome.NFA_ADVICE: {
            "outcome_text": "children's social care will take no further action. Where it helps, we have "
            "given advice or pointed the family to other services."
        },
        ContactOutcome.EARLY_HELP: {"outcome_text": "the family will be offered early help (Family Help)."},
        ContactOutcome.ASSESSMENT: {"outcome_text": "a social worker will carry out a child and family assessment."},
        ContactOutcome.STRATEGY_DISCUSSION: {
            "outcome_text": "we are holding a strategy discussion with partner agencies, such as the police "
            "and health, to decide whether child protection enquiries are needed."
        },
        ContactOutcome.IMMEDIATE_PROTECTION: {
            "outcome_text": "action has been taken to keep the child safe straight away, and a strategy "
            "discussion with partner agencies will follow."
        },
    },
    "age_band": {
        AgeBand.UNDER_FIVE: {"age_band_text": "a child under 5", "health_practitioner": "a health visitor"},
        AgeBand.UNBORN: {
            "age_band_text": "an unborn baby (pre-birth assessment)",
            "health_practitioner": "a midwife",
        },
    },
    "end_reason": {
        PlanEndReason.NO_LONGER_AT_RISK: {
            "end_reason_text": "a review conference decided the child is no longer at continuing risk of "
            "significant harm. The child will be supported under a Child in Need plan."
        },
        PlanEndReason.MOVED_TO_ANOTHER_AUTHORITY: {
            "end_reason_text": "the child has moved permanently to another local authority, which has held "
            "its own transfer-in conference."
        },
        PlanEndReason.TURNED_18: {"end_reason_text": "the young person has turned 18."},
        PlanEndReason.DIED: {"end_reason_text": "the child has died."},
        PlanEndReason.LEFT_UK: {"end_reason_text": "the child has left the United Kingdom."},
    },
    "disagreement_stage": {
        DisagreementStage.PRACTITIONERS: {"stage_text": "the practitioners involved"},
        DisagreementStage.TEAM_MANAGERS: {"stage_text": "the team managers"},
        DisagreementStage.SERVICE_MANAGERS: {"stage_text": "the service managers (heads of service)"},
        DisagreementStage.PARTNERSHIP: {
            "stage_text": "the safeguarding partnership (its independent chair and designated professionals)"
        },
    },
    "process": {process: {"process_text": LABELS[Process][process]} for process in Process},
}


def render(template: str, fields: Mapping[str, str]) -> RenderedNotice:
    """Return the subject and body of `template` filled from `fields` (extra fields are ignored)."""
    spec = TEMPLATES.get(template)
    if spec is None:
        raise TemplateError(f"unknown notice template {template!r}")
    missing = [name for name in spec.fields if name not in fields]
    if missing:
        raise TemplateError(f"template {template!r} needs field {missing[0]!r}")
    values = {name: fields[name] for name in spec.fields}
    values.update({name: fields.get(name, default) for name, default in spec.optional})
    for name in spec.fields:
        if name in _PLAIN:
            words = _PLAIN[name].get(values[name])
            if words is None:
                raise TemplateError(f"template {template!r}: field {name!r} has unknown code {values[name]!r}")
            values.update(words)
    # A subject is one header line: a stray newline in a field must not start another header.
    subject = " ".join(spec.subject.format_map(values).split())
    return RenderedNotice(subject=subject, body=spec.body.format_map(values))


def digest_fields(
    *, team_id: str, day: date, overdue: Sequence[DigestLine], due_soon: Sequence[DigestLine]
) -> dict[str, str]:
    """Return the `team_digest` fields for a team's overdue and due-soon deadlines on `day`."""
    return {
        "team_id": team_id,
        "day": describe_day(day),
        "overdue_count": str(len(overdue)),
        "overdue": _lines(overdue, "was due by", "Nothing is overdue."),
        "due_count": str(len(due_soon)),
        "due_soon": _lines(due_soon, "due by", "Nothing is due."),
    }


def _lines(items: Sequence[DigestLine], verb: str, empty: str) -> str:
    if not items:
        return empty
    return "\n".join(f"- {i.case_reference}: {i.title}, {verb} {describe_day(i.due_date)}" for i in items)
