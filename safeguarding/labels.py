"""Each code in words for a person: the one place a process, role, stage or outcome gets its label.

The codes (`safeguarding.codes`, `safeguarding.stages`, the command models' own enums) are stored and never
change; what a practitioner reads is here, by vocabulary (the code's enum), because one value can mean two
things: `allocation` is the assessment waiting for a social worker, or a family group conference waiting
for its coordinator. A plain string (a stage or an outcome as a process reports it) is read in the
vocabularies of its process (`vocabularies`): its stages first, then its outcome, then its decisions' codes.
A census code keeps its code beside its meaning ("Neglect (NEG)"), as practitioners know both.

`tests/test_labels.py` walks every code of every decision's fields and every stage of every process and
fails on one without a label of its own, so a new code cannot reach a page as a capitalised code.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import cache

from pydantic import BaseModel

from safeguarding.codes import (
    Agency,
    AssessmentFactor,
    AssessmentOutcome,
    BarringReferral,
    CaseKind,
    ConferenceOutcome,
    ConsentState,
    ContactOutcome,
    CpCategory,
    DeadlineState,
    DisagreementOutcome,
    DisagreementStage,
    EmployerStrand,
    EnquiryOutcome,
    FgcMeetingStage,
    FgcOutcome,
    FgcParticipantKind,
    LadoOutcome,
    PlanEndReason,
    PrimaryNeed,
    Process,
    ReviewOutcome,
    Role,
    StrategyOutcome,
)
from safeguarding.commands.coded_fields import coded_fields
from safeguarding.commands.front_door import ConsentOverrideGround
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.stages import (
    AssessmentStage,
    CpPlanStage,
    FgcStage,
    FrontDoorStage,
    InitialConferenceStage,
    JointVisitStep,
    LadoStage,
    S47Stage,
    SharedStage,
    StrategyDiscussionStage,
)

LABELS: dict[type[Enum], dict[str, str]] = {
    # -- who and what ---------------------------------------------------------------------------------
    Process: {
        Process.FRONT_DOOR: "Contact and referral (front door)",
        Process.ASSESSMENT: "Child and family assessment",
        Process.JOINT_VISIT: "Joint visit and assessment with health",
        Process.STRATEGY_DISCUSSION: "Strategy discussion",
        Process.S47_ENQUIRY: "Section 47 enquiry",
        Process.INITIAL_CONFERENCE: "Initial child protection conference",
        Process.CP_PLAN: "Child protection plan",
        Process.LADO: "Allegation against a person who works with children (LADO)",
        Process.FGC: "Family group conference",
        Process.DISAGREEMENT: "Professional disagreement",
        Process.DAILY_DIGEST: "Daily team digest",
        Process.CALENDAR_REFRESH: "Bank holiday calendar refresh",
    },
    Role: {
        Role.SOCIAL_WORKER: "Social worker",
        Role.TEAM_MANAGER: "Team manager",
        Role.SERVICE_MANAGER: "Service manager (head of service)",
        Role.EDT_WORKER: "Emergency duty team worker",
        Role.HEALTH_VISITOR: "Health visitor",
        Role.MIDWIFE: "Midwife",
        Role.BUSINESS_SUPPORT: "Business support officer",
        Role.POLICE_OFFICER: "Police officer",
        Role.SCHOOL_SAFEGUARDING_LEAD: "School designated safeguarding lead",
        Role.PARTNERSHIP_CHAIR: "Safeguarding partnership independent chair",
        Role.DESIGNATED_PROFESSIONAL: "Designated safeguarding professional",
        Role.FGC_COORDINATOR: "Family group conference coordinator",
        Role.SUPPORT_WORKER: "Family support worker",
        Role.CONFERENCE_CHAIR: "Child protection conference chair",
        Role.LADO: "Local authority designated officer (LADO)",
        Role.LADO_MANAGER: "LADO manager",
        Role.ADMINISTRATOR: "Administrator",
    },
    CaseKind: {
        CaseKind.CHILD: "Child's case",
        CaseKind.LADO_ALLEGATION: "Allegation against a person who works with children (LADO)",
    },
    DeadlineState: {
        DeadlineState.PENDING: "Ahead",
        DeadlineState.MET: "Met",
        DeadlineState.MISSED: "Missed",
        DeadlineState.EXTENDED: "Extended",
        DeadlineState.CANCELLED: "No longer due",
    },
    # -- the stages of each process, in the words of where it stands ---------------------------------
    SharedStage: {
        SharedStage.DISPUTED: "On hold: a professional disagreement about it is open",
        SharedStage.CLOSED: "Finished and closed",
    },
    FrontDoorStage: {
        FrontDoorStage.EDT: "With the emergency duty team (out of hours)",
        FrontDoorStage.SCREENING: "Screening the contact",
    },
    AssessmentStage: {
        AssessmentStage.ALLOCATION: "Waiting for a social worker to be allocated",
        AssessmentStage.IN_PROGRESS: "Assessment under way",
        AssessmentStage.AUTHORISATION: "Waiting for the manager's authorisation",
    },
    JointVisitStep: {
        JointVisitStep.TELL_FAMILY: "Telling the family",
        JointVisitStep.BACKGROUND_REVIEW: "Reviewing the background",
        JointVisitStep.PRE_MEET: "Pre-meet of the two practitioners",
        JointVisitStep.VISIT: "The joint visit",
        JointVisitStep.DEBRIEF: "Debrief and actions",
        JointVisitStep.REPORTING: "Reporting to each manager",
    },
    StrategyDiscussionStage: {
        StrategyDiscussionStage.DISCUSSION: "Holding the discussion",
        StrategyDiscussionStage.CIRCULATION: "Circulating the record",
    },
    S47Stage: {
        S47Stage.ENQUIRY: "Enquiries under way",
    },
    InitialConferenceStage: {
        InitialConferenceStage.SCHEDULING: "Setting the conference date",
        InitialConferenceStage.SCHEDULED: "Conference date set",
    },
    CpPlanStage: {
        CpPlanStage.ACTIVE: "Plan in force",
        CpPlanStage.ENDING: "Plan ending",
    },
    LadoStage: {
        LadoStage.INITIAL_CONSIDERATION: "Initial consideration by the LADO",
        LadoStage.ALLEGATION_MANAGEMENT: "Managing the allegation",
        LadoStage.PAUSED: "Paused while the police investigate",
        LadoStage.REFERRALS: "Barring and regulator referrals",
    },
    FgcStage: {
        FgcStage.REFERRAL: "Referral to the service",
        FgcStage.ALLOCATION: "Waiting for a coordinator to be allocated",
        FgcStage.PREPARATION: "Preparing with the family",
        FgcStage.CONFERENCE: "The conference meeting",
        FgcStage.PLAN_AGREEMENT: "Agreeing the family's plan",
        FgcStage.PLAN_REVISION: "Revising the family's plan",
        FgcStage.REVIEW: "Reviewing the plan",
    },
    DisagreementStage: {
        DisagreementStage.PRACTITIONERS: "Between the practitioners",
        DisagreementStage.TEAM_MANAGERS: "Between the team managers",
        DisagreementStage.SERVICE_MANAGERS: "Between the service managers (heads of service)",
        DisagreementStage.PARTNERSHIP: "With the safeguarding partnership",
    },
    # -- what is decided ---------------------------------------------------------------------------------
    # The census's code sets (statutory-rules.md §9): the DfE's meaning, with the code practitioners know.
    PrimaryNeed: {
        PrimaryNeed.NOT_STATED: "Not stated (N0)",
        PrimaryNeed.ABUSE_OR_NEGLECT: "Abuse or neglect (N1)",
        PrimaryNeed.CHILD_DISABILITY_OR_ILLNESS: "The child's disability or illness (N2)",
        PrimaryNeed.PARENT_DISABILITY_OR_ILLNESS: "A parent's disability or illness (N3)",
        PrimaryNeed.FAMILY_IN_ACUTE_STRESS: "Family in acute stress (N4)",
        PrimaryNeed.FAMILY_DYSFUNCTION: "Family dysfunction (N5)",
        PrimaryNeed.SOCIALLY_UNACCEPTABLE_BEHAVIOUR: "Socially unacceptable behaviour (N6)",
        PrimaryNeed.LOW_INCOME: "Low income (N7)",
        PrimaryNeed.ABSENT_PARENTING: "Absent parenting (N8)",
        PrimaryNeed.NOT_IN_NEED: "Not a child in need (N9)",
    },
    AssessmentFactor: {
        AssessmentFactor.ALCOHOL_MISUSE_CHILD: "Alcohol misuse: the child (1A)",
        AssessmentFactor.ALCOHOL_MISUSE_PARENT: "Alcohol misuse: a parent or carer (1B)",
        AssessmentFactor.ALCOHOL_MISUSE_OTHER: "Alcohol misuse: another person in the household (1C)",
        AssessmentFactor.DRUG_MISUSE_CHILD: "Drug misuse: the child (2A)",
        AssessmentFactor.DRUG_MISUSE_PARENT: "Drug misuse: a parent or carer (2B)",
        AssessmentFactor.DRUG_MISUSE_OTHER: "Drug misuse: another person in the household (2C)",
        AssessmentFactor.DOMESTIC_ABUSE_CHILD: "Domestic abuse: the child (3A)",
        AssessmentFactor.DOMESTIC_ABUSE_PARENT: "Domestic abuse: a parent or carer (3B)",
        AssessmentFactor.DOMESTIC_ABUSE_OTHER: "Domestic abuse: another person in the household (3C)",
        AssessmentFactor.MENTAL_HEALTH_CHILD: "Mental health: the child (4A)",
        AssessmentFactor.MENTAL_HEALTH_PARENT: "Mental health: a parent or carer (4B)",
        AssessmentFactor.MENTAL_HEALTH_OTHER: "Mental health: another person in the household (4C)",
        AssessmentFactor.LEARNING_DISABILITY_CHILD: "Learning disability: the child (5A)",
        AssessmentFactor.LEARNING_DISABILITY_PARENT: "Learning disability: a parent or carer (5B)",
        AssessmentFactor.LEARNING_DISABILITY_OTHER: "Learning disability: another person in the household (5C)",
        AssessmentFactor.PHYSICAL_DISABILITY_OR_ILLNESS_CHILD: "Physical disability or illness: the child (6A)",
        AssessmentFactor.PHYSICAL_DISABILITY_OR_ILLNESS_PARENT: (
            "Physical disability or illness: a parent or carer (6B)"
        ),
        AssessmentFactor.PHYSICAL_DISABILITY_OR_ILLNESS_OTHER: (
            "Physical disability or illness: another person in the household (6C)"
        ),
        AssessmentFactor.YOUNG_CARER: "Young carer (7A)",
        AssessmentFactor.PRIVATE_FOSTERING_OVERSEAS_RETURNING: "Privately fostered: from overseas, to return home (8B)",
        AssessmentFactor.PRIVATE_FOSTERING_OVERSEAS_REMAINING: "Privately fostered: from overseas, to stay (8C)",
        AssessmentFactor.PRIVATE_FOSTERING_UK_FAMILY_BREAKDOWN: "Privately fostered: UK, after a family breakdown (8D)",
        AssessmentFactor.PRIVATE_FOSTERING_UK_EDUCATION_OR_HEALTH: "Privately fostered: UK, for school or health (8E)",
        AssessmentFactor.PRIVATE_FOSTERING_UK_OTHER: "Privately fostered: UK, for another reason (8F)",
        AssessmentFactor.UNACCOMPANIED_ASYLUM_SEEKING_CHILD: "Unaccompanied asylum-seeking child (9A)",
        AssessmentFactor.GOING_MISSING: "Going or being missing (10A)",
        AssessmentFactor.CHILD_SEXUAL_EXPLOITATION: "Child sexual exploitation (11A)",
        AssessmentFactor.TRAFFICKING: "Trafficking (12A)",
        AssessmentFactor.GANGS: "Gangs (13A)",
        AssessmentFactor.SOCIALLY_UNACCEPTABLE_BEHAVIOUR: "Socially unacceptable behaviour (14A)",
        AssessmentFactor.SELF_HARM: "Self-harm (15A)",
        AssessmentFactor.NEGLECT: "Neglect (16A)",
        AssessmentFactor.EMOTIONAL_ABUSE: "Emotional abuse (17A)",
        AssessmentFactor.PHYSICAL_ABUSE_CHILD_ON_CHILD: "Physical abuse: by another child (18B)",
        AssessmentFactor.PHYSICAL_ABUSE_ADULT_ON_CHILD: "Physical abuse: by an adult (18C)",
        AssessmentFactor.SEXUAL_ABUSE_CHILD_ON_CHILD: "Sexual abuse: by another child (19B)",
        AssessmentFactor.SEXUAL_ABUSE_ADULT_ON_CHILD: "Sexual abuse: by an adult (19C)",
        AssessmentFactor.FEMALE_GENITAL_MUTILATION: "Female genital mutilation (20)",
        AssessmentFactor.NO_FACTORS_IDENTIFIED: "No factors identified (21)",
        AssessmentFactor.FAITH_OR_BELIEF_ABUSE: "Abuse linked to faith or belief (22A)",
        AssessmentFactor.CHILD_CRIMINAL_EXPLOITATION: "Child criminal exploitation (23A)",
        AssessmentFactor.OTHER: "Another factor (24A)",
    },
    ContactOutcome: {
        ContactOutcome.NFA_ADVICE: "No further action (advice given)",
        ContactOutcome.EARLY_HELP: "Refer to early help",
        ContactOutcome.ASSESSMENT: "Child and family assessment",
        ContactOutcome.STRATEGY_DISCUSSION: "Strategy discussion (possible significant harm)",
        ContactOutcome.IMMEDIATE_PROTECTION: "Immediate protection action",
    },
    ConsentState: {
        ConsentState.NOT_YET_SOUGHT: "Not yet asked",
        ConsentState.GIVEN: "Consent given",
        ConsentState.REFUSED: "Consent refused",
        ConsentState.OVERRIDDEN: "Consent overridden (statutory grounds)",
    },
    ConsentOverrideGround: {
        ConsentOverrideGround.RISK_OF_SIGNIFICANT_HARM: "Asking would put the child at risk of significant harm",
        ConsentOverrideGround.UNDERMINE_CRIMINAL_INVESTIGATION: "Asking would undermine a criminal investigation",
    },
    AssessmentOutcome: {
        AssessmentOutcome.NFA: "No further action",
        AssessmentOutcome.FAMILY_SUPPORT_PLAN: "Family support plan (early help)",
        AssessmentOutcome.CIN_PLAN: "Child in need plan",
        AssessmentOutcome.STRATEGY_DISCUSSION: "Strategy discussion (possible significant harm)",
    },
    StrategyOutcome: {
        StrategyOutcome.S47_SINGLE_AGENCY: "Section 47 enquiry (single agency)",
        StrategyOutcome.S47_JOINT_WITH_POLICE: "Section 47 enquiry (jointly with the police)",
        StrategyOutcome.CONTINUE_ASSESSMENT: "Carry on with the assessment",
        StrategyOutcome.CIN_PLAN: "Child in need plan",
        StrategyOutcome.EARLY_HELP: "Refer to early help",
        StrategyOutcome.IMMEDIATE_PROTECTION: "Immediate protection action",
    },
    Agency: {
        Agency.SOCIAL_CARE: "Children's social care",
        Agency.POLICE: "Police service",
        Agency.HEALTH: "Health services (NHS)",
        Agency.EDUCATION: "Education (school or college)",
        Agency.EARLY_HELP: "Early help services",
        Agency.PROBATION: "Probation service",
        Agency.HOUSING: "Housing services",
        Agency.REFERRER: "The referrer",
        Agency.OTHER: "Another agency",
    },
    EnquiryOutcome: {
        EnquiryOutcome.NOT_SUBSTANTIATED_CIN_PLAN: "Not substantiated: child in need plan",
        EnquiryOutcome.NOT_SUBSTANTIATED_EARLY_HELP: "Not substantiated: refer to early help",
        EnquiryOutcome.NOT_SUBSTANTIATED_NFA: "Not substantiated: no further action",
        EnquiryOutcome.SUBSTANTIATED: "Substantiated: initial child protection conference",
    },
    ConferenceOutcome: {
        ConferenceOutcome.PLAN: "Child protection plan",
        ConferenceOutcome.NO_PLAN: "No child protection plan",
    },
    ReviewOutcome: {
        ReviewOutcome.CONTINUE: "Continue the plan",
        ReviewOutcome.END: "End the plan",
    },
    PlanEndReason: {
        PlanEndReason.NO_LONGER_AT_RISK: "No longer at continuing risk of significant harm",
        PlanEndReason.MOVED_TO_ANOTHER_AUTHORITY: "Moved to another local authority",
        PlanEndReason.TURNED_18: "The young person turned 18",
        PlanEndReason.DIED: "The child died",
        PlanEndReason.LEFT_UK: "Left the United Kingdom",
    },
    CpCategory: {
        CpCategory.NEGLECT: "Neglect (NEG)",
        CpCategory.PHYSICAL: "Physical abuse (PHY)",
        CpCategory.EMOTIONAL: "Emotional abuse (EMO)",
        CpCategory.SEXUAL: "Sexual abuse (SAB)",
        CpCategory.MULTIPLE: "Multiple categories (MUL)",
    },
    LadoOutcome: {
        LadoOutcome.SUBSTANTIATED: "Substantiated (enough evidence to prove it)",
        LadoOutcome.FALSE: "False (enough evidence to disprove it)",
        LadoOutcome.MALICIOUS: "Malicious (a deliberate act to deceive)",
        LadoOutcome.UNSUBSTANTIATED: "Unsubstantiated (not enough evidence either way)",
        LadoOutcome.UNFOUNDED: "Unfounded (no evidence or basis)",
    },
    EmployerStrand: {
        EmployerStrand.SUSPENSION: "Suspended from work",
        EmployerStrand.INVESTIGATION: "Employer's investigation",
        EmployerStrand.DISCIPLINARY: "Disciplinary process",
    },
    BarringReferral: {
        BarringReferral.DBS: "Disclosure and Barring Service (DBS)",
        BarringReferral.TEACHING_REGULATOR: "Teaching Regulation Agency",
    },
    FgcParticipantKind: {
        FgcParticipantKind.FAMILY_MEMBER: "A member of the family",
        FgcParticipantKind.FRIEND: "Family friend",
        FgcParticipantKind.CHILD: "The child",
        FgcParticipantKind.ADVOCATE: "The child's advocate",
        FgcParticipantKind.PROFESSIONAL: "A professional working with the family",
    },
    FgcMeetingStage: {
        FgcMeetingStage.INFORMATION_SHARING: "Sharing information with the family",
        FgcMeetingStage.PRIVATE_FAMILY_TIME: "The family's private time",
        FgcMeetingStage.PLAN_AGREEMENT: "Agreeing the plan",
    },
    FgcOutcome: {
        FgcOutcome.REFERRAL_NOT_AGREED: "The referral was not agreed",
        FgcOutcome.CONSENT_REFUSED: "The family did not consent",
        FgcOutcome.CONSENT_WITHDRAWN: "The family withdrew consent",
        FgcOutcome.PLAN_REVIEWED: "The family's plan reviewed",
    },
    DisagreementOutcome: {
        DisagreementOutcome.OPEN: "Still open",
        DisagreementOutcome.RESOLVED: "Resolved in writing",
        DisagreementOutcome.REFUSED: "Not taken forward",
    },
}
"""Each vocabulary's codes in words, by the code's value."""

PROCESS_OUTCOMES: dict[Process, type[Enum]] = {
    Process.FRONT_DOOR: ContactOutcome,
    Process.ASSESSMENT: AssessmentOutcome,
    Process.STRATEGY_DISCUSSION: StrategyOutcome,
    Process.S47_ENQUIRY: EnquiryOutcome,
    Process.INITIAL_CONFERENCE: ConferenceOutcome,
    Process.CP_PLAN: PlanEndReason,
    Process.LADO: LadoOutcome,
    Process.FGC: FgcOutcome,
    Process.DISAGREEMENT: DisagreementOutcome,
}
"""The codes a process closes with (its `outcome`); a process not named here closes with words of its own."""

_CODE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")


def label(code: Enum) -> str:
    """Return the label of an enum member; one without a label reads as its value in words (see the module test)."""
    return LABELS.get(type(code), {}).get(str(code.value)) or plain(str(code.value))


def words(code: object, process: object = None) -> str:
    """Return a code as words: an enum member by its own vocabulary, a plain string by its process's.

    A string that is no code of the process (a decision's outcome in words, "child seen") is shown as it is,
    its first letter a capital.
    """
    if isinstance(code, Enum):
        return label(code)
    text = str(code)
    if process in DESCRIPTIONS:
        for vocabulary in vocabularies(Process(str(process))):
            found = LABELS.get(vocabulary, {}).get(text)
            if found:
                return found
    return plain(text)


def plain(text: str) -> str:
    """Return text with a capital first letter; a bare code (`no_plan`) with spaces for its underscores."""
    shown = text.replace("_", " ") if _CODE.match(text) else text
    return shown[:1].upper() + shown[1:]


@cache
def vocabularies(process: Process) -> tuple[type[Enum], ...]:
    """Return the vocabularies a plain string of `process` is read in: its stages, its outcome, its decisions' codes."""
    description = DESCRIPTIONS[process]
    found: list[type[Enum]] = [type(stage) for stage in description.stages]
    found.append(SharedStage)
    if process in PROCESS_OUTCOMES:
        found.append(PROCESS_OUTCOMES[process])
    for decision in description.decisions:
        found += field_codes(decision.command)
    return tuple(dict.fromkeys(found))


def field_codes(model: type[BaseModel]) -> list[type[Enum]]:
    """Return every vocabulary a decision's coded fields take (`commands.coded_fields`: the actor's role is not one)."""
    return list(dict.fromkeys(codes for _, codes in coded_fields(model)))
