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
    # -- professional disagreement (§8): partner-agency practitioners and the partnership --
    POLICE_OFFICER = "police_officer"
    SCHOOL_SAFEGUARDING_LEAD = "school_safeguarding_lead"
    """A school's designated safeguarding lead (KCSIE)."""
    PARTNERSHIP_CHAIR = "partnership_chair"
    """The safeguarding partnership's independent chair: decides at the last stage of a disagreement (§8)."""
    DESIGNATED_PROFESSIONAL = "designated_professional"
    """A designated safeguarding professional of the partnership (health's designated nurse or doctor) (§8)."""
    FGC_COORDINATOR = "fgc_coordinator"
    SUPPORT_WORKER = "support_worker"
    CONFERENCE_CHAIR = "conference_chair"
    LADO = "lado"
    """The Local Authority Designated Officer: advises on allegations against people who work with children (§6)."""
    LADO_MANAGER = "lado_manager"
    """The LADO's manager: the LADO team's manager, alerted and escalated to when a LADO deadline is missed."""
    ADMINISTRATOR = "administrator"
    """Manages teams, practitioners and their roles; makes no decision and reads no child's case."""


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
    CANCELLED = "cancelled"
    """No longer due because its process ended first (a plan ended before its next meeting): raises nothing."""


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


class ReferralRoute(StrEnum):
    """How a referral reached children's social care: a contact the front door decided to refer (§2), or work
    started directly (an assessment from a referral, a strategy discussion on new concerns, a LADO's referral)."""

    FRONT_DOOR = "front_door"
    DIRECT = "direct"


REFERRAL_OUTCOMES = frozenset(
    {ContactOutcome.ASSESSMENT, ContactOutcome.STRATEGY_DISCUSSION, ContactOutcome.IMMEDIATE_PROTECTION}
)
"""Front-door outcomes that make a contact a referral to children's social care (§2); advice and early help are
not. The census's episodes and the timeliness report count referrals by this one set."""


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


class Agency(StrEnum):
    """The agency a participant speaks for (statutory-rules.md §4: social care, health and police at least)."""

    SOCIAL_CARE = "social_care"
    POLICE = "police"
    HEALTH = "health"
    EDUCATION = "education"
    EARLY_HELP = "early_help"
    PROBATION = "probation"
    HOUSING = "housing"
    REFERRER = "referrer"
    OTHER = "other"


class StrategyOutcome(StrEnum):
    """The chair's decision at a strategy discussion (statutory-rules.md §4)."""

    S47_SINGLE_AGENCY = "s47_single_agency"
    S47_JOINT_WITH_POLICE = "s47_joint_with_police"
    CONTINUE_ASSESSMENT = "continue_assessment"
    CIN_PLAN = "cin_plan"
    EARLY_HELP = "early_help"
    IMMEDIATE_PROTECTION = "immediate_protection"


class EnquiryOutcome(StrEnum):
    """The outcome of a section 47 enquiry (statutory-rules.md §4)."""

    NOT_SUBSTANTIATED_CIN_PLAN = "not_substantiated_cin_plan"
    NOT_SUBSTANTIATED_EARLY_HELP = "not_substantiated_early_help"
    NOT_SUBSTANTIATED_NFA = "not_substantiated_nfa"
    SUBSTANTIATED = "substantiated"


class ConferenceOutcome(StrEnum):
    """The chair's decision at an initial child protection conference (statutory-rules.md §5)."""

    PLAN = "plan"
    NO_PLAN = "no_plan"


class PlanKind(StrEnum):
    """A plan of a child in the plans register: a Child in Need plan (s17) or a child protection plan (§3, §5)."""

    CIN = "cin"
    CP = "cp"


# -- family group conference (statutory-rules.md §7) --


class FgcReason(StrEnum):
    """Why a family group conference is offered: from which process, or before care proceedings (§7)."""

    ASSESSMENT = "assessment"
    CIN_PLAN = "cin_plan"
    CP_PLAN = "cp_plan"
    PRE_PROCEEDINGS = "pre_proceedings"
    """The family group decision-making offer before proceedings (s31ZA Children Act 1989)."""


class FgcConsentBasis(StrEnum):
    """Why a person may (or may not) consent to a family group conference (§7)."""

    PARENTAL_RESPONSIBILITY = "parental_responsibility"
    YOUNG_PERSON_16_17 = "young_person_16_17"
    NOT_ENTITLED = "not_entitled"


class FgcParticipantKind(StrEnum):
    """Who takes part in a family group conference (§7): the family's network and the professionals."""

    FAMILY_MEMBER = "family_member"
    FRIEND = "friend"
    CHILD = "child"
    ADVOCATE = "advocate"
    PROFESSIONAL = "professional"


class FgcMeetingStage(StrEnum):
    """The three stages of the conference meeting (§7)."""

    INFORMATION_SHARING = "information_sharing"
    PRIVATE_FAMILY_TIME = "private_family_time"
    PLAN_AGREEMENT = "plan_agreement"


class FgcOutcome(StrEnum):
    """How a family group conference process ended."""

    REFERRAL_NOT_AGREED = "referral_not_agreed"
    CONSENT_REFUSED = "consent_refused"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    PLAN_REVIEWED = "plan_reviewed"


# -- LADO (statutory-rules.md §6) --


class CaseKind(StrEnum):
    """What a case in the case store is about: a child, or an allegation against an adult (the LADO's case)."""

    CHILD = "child"
    LADO_ALLEGATION = "lado_allegation"


class LadoNotifier(StrEnum):
    """Who notified the LADO of an allegation (§6)."""

    EMPLOYER = "employer"
    AGENCY = "agency"
    MEMBER_OF_PUBLIC = "member_of_public"


class NotificationMethod(StrEnum):
    """How the LADO was notified."""

    PHONE = "phone"
    EMAIL = "email"
    ONLINE_FORM = "online_form"
    IN_PERSON = "in_person"
    LETTER = "letter"


class LadoOutcome(StrEnum):
    """The outcome of an allegation (§6; `unfounded` is the fifth, in recent KCSIE editions)."""

    SUBSTANTIATED = "substantiated"
    FALSE = "false"
    MALICIOUS = "malicious"
    UNSUBSTANTIATED = "unsubstantiated"
    UNFOUNDED = "unfounded"


class EmployerStrand(StrEnum):
    """What the employer does about an allegation, as the LADO records it (§6): the employer acts, not the LADO."""

    SUSPENSION = "suspension"
    INVESTIGATION = "investigation"
    DISCIPLINARY = "disciplinary"


class BarringReferral(StrEnum):
    """A referral that follows an outcome (§6): to the DBS (SVGA 2006 s35), and for teachers to their regulator."""

    DBS = "dbs"
    TEACHING_REGULATOR = "teaching_regulator"


class LadoRetention(StrEnum):
    """What happens to the record of an allegation (§6): malicious ones are removed, others kept to a date."""

    REMOVE = "remove_from_personnel_record"
    KEEP_UNTIL = "keep_until"


class ReviewOutcome(StrEnum):
    """The chair's decision at a review child protection conference (statutory-rules.md §5)."""

    CONTINUE = "continue_plan"
    END = "end_plan"


class PlanEndReason(StrEnum):
    """Why a child protection plan ended (statutory-rules.md §5): a review conference, or a manager without one."""

    NO_LONGER_AT_RISK = "no_longer_at_continuing_risk"
    MOVED_TO_ANOTHER_AUTHORITY = "moved_to_another_authority"
    TURNED_18 = "turned_18"
    DIED = "died"
    LEFT_UK = "left_uk"


# -- professional disagreement (statutory-rules.md §8) --


class DisagreementStage(StrEnum):
    """A stage of the professional disagreement procedure (§8); a profile orders the ones it uses."""

    PRACTITIONERS = "practitioners"
    TEAM_MANAGERS = "team_managers"
    SERVICE_MANAGERS = "service_managers"
    PARTNERSHIP = "partnership"


class DisputeState(StrEnum):
    """Where a dispute about a process's decision stands, as that process records it."""

    OPEN = "open"
    RESOLVED = "resolved"


class DisagreementOutcome(StrEnum):
    """Where a professional disagreement stands: open, resolved in writing, or refused by the process it concerns."""

    OPEN = "open"
    RESOLVED = "resolved"
    REFUSED = "refused"


class Sex(StrEnum):
    """A child's sex as the Children in Need census returns it (item N00783, from 2025/26; statutory-rules.md §9)."""

    MALE = "M"
    FEMALE = "F"
    UNKNOWN = "U"


class Ethnicity(StrEnum):
    """The DfE's ethnicity codes, as the Children in Need census returns them (statutory-rules.md §9)."""

    WHITE_BRITISH = "WBRI"
    WHITE_IRISH = "WIRI"
    TRAVELLER_OF_IRISH_HERITAGE = "WIRT"
    ANY_OTHER_WHITE_BACKGROUND = "WOTH"
    GYPSY_ROMA = "WROM"
    WHITE_AND_BLACK_CARIBBEAN = "MWBC"
    WHITE_AND_BLACK_AFRICAN = "MWBA"
    WHITE_AND_ASIAN = "MWAS"
    ANY_OTHER_MIXED_BACKGROUND = "MOTH"
    INDIAN = "AIND"
    PAKISTANI = "APKN"
    BANGLADESHI = "ABAN"
    ANY_OTHER_ASIAN_BACKGROUND = "AOTH"
    CARIBBEAN = "BCRB"
    AFRICAN = "BAFR"
    ANY_OTHER_BLACK_BACKGROUND = "BOTH"
    CHINESE = "CHNE"
    ANY_OTHER_ETHNIC_GROUP = "OOTH"
    REFUSED = "REFU"
    NOT_YET_OBTAINED = "NOBT"


# -- the Children in Need census (statutory-rules.md §9): the DfE's code sets, as its validation rules check them
# (the DfE "Children in need census 2025 to 2026" and "2026 to 2027" specifications; the community validator
# csc-validator-be-cin checks each list in the rule named beside it).


class ReferralSource(StrEnum):
    """Who referred the child to children's social care (census item ReferralSource; validator rule 8866)."""

    FAMILY_MEMBER_RELATIVE_CARER = "1A"
    ACQUAINTANCE = "1B"
    SELF = "1C"
    OTHER_INDIVIDUAL = "1D"
    SCHOOLS = "2A"
    EDUCATION_SERVICES = "2B"
    GP = "3A"
    HEALTH_VISITOR = "3B"
    SCHOOL_NURSE = "3C"
    OTHER_PRIMARY_HEALTH_SERVICES = "3D"
    EMERGENCY_DEPARTMENT = "3E"
    OTHER_HEALTH_SERVICES = "3F"
    HOUSING = "4"
    LA_SOCIAL_CARE = "5A"
    LA_OTHER_INTERNAL_DEPARTMENT = "5B"
    LA_EXTERNAL = "5C"
    EARLY_HELP = "5D"
    POLICE = "6"
    OTHER_LEGAL_AGENCY = "7"
    OTHER = "8"
    ANONYMOUS = "9"
    UNKNOWN = "10"


class PrimaryNeed(StrEnum):
    """The child's primary need, identified at assessment (census item PrimaryNeedCode; validator rule 8650)."""

    NOT_STATED = "N0"
    ABUSE_OR_NEGLECT = "N1"
    CHILD_DISABILITY_OR_ILLNESS = "N2"
    PARENT_DISABILITY_OR_ILLNESS = "N3"
    FAMILY_IN_ACUTE_STRESS = "N4"
    FAMILY_DYSFUNCTION = "N5"
    SOCIALLY_UNACCEPTABLE_BEHAVIOUR = "N6"
    LOW_INCOME = "N7"
    ABSENT_PARENTING = "N8"
    NOT_IN_NEED = "N9"
    """Cases other than children in need."""


class Disability(StrEnum):
    """A child's disability (census item Disability, one or more; `NONE` alone when none; validator rule 8540)."""

    NONE = "NONE"
    MOBILITY = "MOB"
    HAND_FUNCTION = "HAND"
    PERSONAL_CARE = "PC"
    INCONTINENCE = "INC"
    COMMUNICATION = "COMM"
    LEARNING = "LD"
    HEARING = "HEAR"
    VISION = "VIS"
    BEHAVIOUR = "BEH"
    CONSCIOUSNESS = "CON"
    AUTISM = "AUT"
    OTHER = "DDA"


class AssessmentFactor(StrEnum):
    """A factor identified at the end of an assessment (census item AssessmentFactors; validator rule 8897Q).

    The suffix says about whom: A the child, B a parent or carer, C another person in the household. The
    retired 18A and 19A (physical and sexual abuse, now split into 18B/18C and 19B/19C: validator queries
    8945Q and 8950Q) are not members, so no assessment can record them.
    """

    ALCOHOL_MISUSE_CHILD = "1A"
    ALCOHOL_MISUSE_PARENT = "1B"
    ALCOHOL_MISUSE_OTHER = "1C"
    DRUG_MISUSE_CHILD = "2A"
    DRUG_MISUSE_PARENT = "2B"
    DRUG_MISUSE_OTHER = "2C"
    DOMESTIC_ABUSE_CHILD = "3A"
    DOMESTIC_ABUSE_PARENT = "3B"
    DOMESTIC_ABUSE_OTHER = "3C"
    MENTAL_HEALTH_CHILD = "4A"
    MENTAL_HEALTH_PARENT = "4B"
    MENTAL_HEALTH_OTHER = "4C"
    LEARNING_DISABILITY_CHILD = "5A"
    LEARNING_DISABILITY_PARENT = "5B"
    LEARNING_DISABILITY_OTHER = "5C"
    PHYSICAL_DISABILITY_OR_ILLNESS_CHILD = "6A"
    PHYSICAL_DISABILITY_OR_ILLNESS_PARENT = "6B"
    PHYSICAL_DISABILITY_OR_ILLNESS_OTHER = "6C"
    YOUNG_CARER = "7A"
    PRIVATE_FOSTERING_OVERSEAS_RETURNING = "8B"
    PRIVATE_FOSTERING_OVERSEAS_REMAINING = "8C"
    PRIVATE_FOSTERING_UK_FAMILY_BREAKDOWN = "8D"
    PRIVATE_FOSTERING_UK_EDUCATION_OR_HEALTH = "8E"
    PRIVATE_FOSTERING_UK_OTHER = "8F"
    UNACCOMPANIED_ASYLUM_SEEKING_CHILD = "9A"
    GOING_MISSING = "10A"
    CHILD_SEXUAL_EXPLOITATION = "11A"
    TRAFFICKING = "12A"
    GANGS = "13A"
    SOCIALLY_UNACCEPTABLE_BEHAVIOUR = "14A"
    SELF_HARM = "15A"
    NEGLECT = "16A"
    EMOTIONAL_ABUSE = "17A"
    PHYSICAL_ABUSE_CHILD_ON_CHILD = "18B"
    PHYSICAL_ABUSE_ADULT_ON_CHILD = "18C"
    SEXUAL_ABUSE_CHILD_ON_CHILD = "19B"
    SEXUAL_ABUSE_ADULT_ON_CHILD = "19C"
    FEMALE_GENITAL_MUTILATION = "20"
    NO_FACTORS_IDENTIFIED = "21"
    """Only alone (validator rule 8869)."""
    FAITH_OR_BELIEF_ABUSE = "22A"
    CHILD_CRIMINAL_EXPLOITATION = "23A"
    OTHER = "24A"


class ReasonForClosure(StrEnum):
    """Why a Children in Need episode closed (census item ReasonForClosure; validator rule 8640; §9 RC1–RC9)."""

    ADOPTED = "RC1"
    DIED = "RC2"
    CHILD_ARRANGEMENTS_ORDER = "RC3"
    SPECIAL_GUARDIANSHIP_ORDER = "RC4"
    TRANSFERRED_TO_ANOTHER_LA = "RC5"
    TRANSFERRED_TO_ADULT_SERVICES = "RC6"
    SERVICES_CEASED = "RC7"
    """Services ceased for any other reason, including the child no longer being in need."""
    CLOSED_AFTER_ASSESSMENT_NFA = "RC8"
    CLOSED_AFTER_ASSESSMENT_EARLY_HELP = "RC9"


class UpnUnknown(StrEnum):
    """Why a child in the census has no unique pupil number (census item UPNunknown; validator rule 8770Q)."""

    UNDER_SIX = "UN1"
    """Under 6 years old and not yet given a UPN (also an unborn child)."""
    NEVER_AT_SCHOOL_IN_ENGLAND = "UN2"
    EDUCATED_OUTSIDE_SCHOOL = "UN3"
    NEW_TO_LA = "UN4"
    SOURCES_DISAGREE = "UN5"
    UNACCOMPANIED_ASYLUM_SEEKING_CHILD = "UN6"
    REFERRAL_NO_FURTHER_ACTION = "UN7"


LADO_REFERRAL_SOURCE = ReferralSource.LA_OTHER_INTERNAL_DEPARTMENT
"""The census source of a child the LADO refers to children's social care (§6, §9): the LADO is a service of the
local authority outside social care, so "LA services – other internal" (5B), not "LA services – social care"."""
