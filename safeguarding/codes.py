"""The codes of the domain: one StrEnum per vocabulary, and the only place each code is spelled.

Workflows, activities, the case store and the command line all import their codes from here, so a
stage, role or outcome has exactly one spelling. Values are stored in the case store and in workflow
histories: never change a value once it has shipped; add a new member instead.
"""

from __future__ import annotations

from enum import StrEnum


class Process(StrEnum):
    """A statutory process, one Temporal workflow type each (statutory-rules.md §2–§8)."""

    FRONT_DOOR = "front_door"
    ASSESSMENT = "assessment"
    JOINT_VISIT = "joint_visit"
    STRATEGY_DISCUSSION = "strategy_discussion"
    S47_ENQUIRY = "s47_enquiry"
    INITIAL_CONFERENCE = "initial_conference"
    CP_PLAN = "cp_plan"
    LADO = "lado"
    FGC = "fgc"
    DISAGREEMENT = "disagreement"
    DAILY_DIGEST = "daily_digest"
    CALENDAR_REFRESH = "calendar_refresh"


class Role(StrEnum):
    """What a practitioner is entitled to do; a decision names the roles that may make it."""

    SOCIAL_WORKER = "social_worker"
    TEAM_MANAGER = "team_manager"
    SERVICE_MANAGER = "service_manager"
    EDT_WORKER = "edt_worker"
    HEALTH_VISITOR = "health_visitor"
    MIDWIFE = "midwife"
    BUSINESS_SUPPORT = "business_support"


class ClockKind(StrEnum):
    """The kinds of statutory clock (statutory-rules.md §1): they are different clocks, never mixed."""

    WORKING_DAYS = "working_days"
    HOURS = "hours"
    CALENDAR_MONTHS = "calendar_months"
    CALENDAR_DAYS = "calendar_days"


class DeadlineState(StrEnum):
    """Where a deadline stands; `missed` is final, `met` records the day it was met."""

    PENDING = "pending"
    MET = "met"
    MISSED = "missed"
    EXTENDED = "extended"


class AlarmKind(StrEnum):
    """The notices a deadline raises: reminders before it, alerts after it passes."""

    REMINDER = "reminder"
    OVERDUE = "overdue"
    ESCALATION = "escalation"


class ContactOutcome(StrEnum):
    """Front-door outcomes (statutory-rules.md §2)."""

    NFA_ADVICE = "nfa_advice"
    EARLY_HELP = "early_help"
    ASSESSMENT = "assessment"
    STRATEGY_DISCUSSION = "strategy_discussion"
    IMMEDIATE_PROTECTION = "immediate_protection"


class ConsentState(StrEnum):
    """Consent to gather information from partner agencies (statutory-rules.md §2)."""

    NOT_YET_SOUGHT = "not_yet_sought"
    GIVEN = "given"
    REFUSED = "refused"
    OVERRIDDEN = "overridden"


class AssessmentOutcome(StrEnum):
    """Child and family assessment outcomes (statutory-rules.md §3), with their census closure codes."""

    NFA = "nfa"
    FAMILY_SUPPORT_PLAN = "family_support_plan"
    CIN_PLAN = "cin_plan"
    STRATEGY_DISCUSSION = "strategy_discussion"


CENSUS_CLOSURE_REASON: dict[AssessmentOutcome, str] = {
    AssessmentOutcome.NFA: "RC8",
    AssessmentOutcome.FAMILY_SUPPORT_PLAN: "RC9",
}
"""Census closure reasons for assessment outcomes that close the episode (statutory-rules.md §3, §9)."""


class AgeBand(StrEnum):
    """The only fact about a child's age that crosses into a workflow: never the date of birth."""

    UNBORN = "unborn"
    UNDER_FIVE = "under_5"
    FIVE_AND_OVER = "5_and_over"


class LeadPractitioner(StrEnum):
    """Who leads a joint visit (statutory-rules.md §3)."""

    SOCIAL_WORKER = "social_worker"
    HEALTH_PRACTITIONER = "health_practitioner"


class HandOffState(StrEnum):
    """A hand-off to another process: pending until that process exists and has taken it."""

    PENDING = "pending"
    STARTED = "started"


class TaskState(StrEnum):
    """A human task in the work tray."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Channel(StrEnum):
    """Notification channels behind the one `send` interface."""

    EMAIL = "email"
    GOVUK_NOTIFY = "govuk_notify"


class CpCategory(StrEnum):
    """The category of a child protection plan, with its census code as the value (statutory-rules.md §5)."""

    NEGLECT = "NEG"
    PHYSICAL = "PHY"
    EMOTIONAL = "EMO"
    SEXUAL = "SAB"
    MULTIPLE = "MUL"


class StrategyReason(StrEnum):
    """Why a strategy discussion was started (statutory-rules.md §4): several are possible on one case."""

    FRONT_DOOR = "front_door"
    IMMEDIATE_PROTECTION = "immediate_protection"
    ASSESSMENT = "assessment"
    LADO = "lado"
    NEW_INFORMATION = "new_information"
