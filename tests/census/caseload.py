"""A small fixed caseload in the real case store, for the census year 2026/27 (and one episode in 2025/26).

Built on the example seed (seeded as on 1 December 2026, so the unborn child is due on 31 March 2027) plus
one more child, with the records the processes leave behind written by hand (`tests.census.records`):

- `school_age` (7): referred by a school; assessment, section 47 substantiated, initial conference, CP plan
  (neglect, later emotional abuse) reviewed twice and open at the reference date; a pre-proceedings period
  with a family group meeting offered and held.
- `under_five` (2): an episode in 2025/26 closed after assessment with no further action (RC8); referred again
  by the health visitor in June 2026: assessment, CIN plan, case closed in January 2027 (RC7).
- `unborn`: referred by the midwife in December 2026; assessment, no further action (RC8).
- `teenager` (14): referred by the police; assessment and section 47 not substantiated, closed (RC8); referred
  again in February 2027, assessment still going on at the reference date.
- `contact_only`: a contact closed with advice: not a referral, never in the return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import (
    AssessmentOutcome,
    ConferenceOutcome,
    ContactOutcome,
    CpCategory,
    EnquiryOutcome,
    PlanKind,
    Process,
    ReasonForClosure,
    ReferralSource,
)
from safeguarding.store.examples import EXAMPLE_IDS, TEAM_ID, seed_examples
from tests.census import records
from tests.factories import create_case

SEEDED_ON = date(2026, 12, 1)


@dataclass(frozen=True)
class FixedCaseload:
    """The children's person ids."""

    school_age: str
    under_five: str
    unborn: str
    teenager: str
    contact_only: str


async def build_fixed_caseload(db: async_sessionmaker[AsyncSession]) -> FixedCaseload:
    """Write the caseload; return the children's ids."""
    ids = EXAMPLE_IDS
    async with db.begin() as session:
        await seed_examples(session, today=SEEDED_ON)
        teenager = await create_case(session, team_id=TEAM_ID, date_of_birth=date(2012, 3, 10))
        contact_only = await create_case(session, team_id=TEAM_ID, date_of_birth=date(2016, 5, 2))
        await _school_age(session, ids.school_age.case_id, ids.school_age.child_id)
        await _under_five(session, ids.under_five.case_id, ids.under_five.child_id)
        await _unborn(session, ids.unborn.case_id, ids.unborn.child_id)
        await _teenager(session, teenager.case_id, teenager.child_id)
        await records.referral(
            session, contact_only.case_id, TEAM_ID, date(2026, 9, 14), "2A", ContactOutcome.NFA_ADVICE
        )
    return FixedCaseload(
        school_age=ids.school_age.child_id,
        under_five=ids.under_five.child_id,
        unborn=ids.unborn.child_id,
        teenager=teenager.child_id,
        contact_only=contact_only.child_id,
    )


async def _school_age(session: AsyncSession, case_id: str, child_id: str) -> None:
    await records.characterise(session, child_id, sex="M", ethnicity="WBRI", upn_unknown="UN3", disabilities=["NONE"])
    await records.referral(
        session, case_id, TEAM_ID, date(2026, 4, 13), ReferralSource.SCHOOLS, ContactOutcome.STRATEGY_DISCUSSION
    )
    assessment = await records.process(
        session, case_id, TEAM_ID, Process.ASSESSMENT, date(2026, 4, 14), date(2026, 5, 20),
        AssessmentOutcome.STRATEGY_DISCUSSION, {"authorise": [date(2026, 5, 20)]},
    )  # fmt: skip
    await records.finding(session, case_id, assessment, "N1", ["3B", "16A"])
    await records.process(
        session, case_id, TEAM_ID, Process.S47_ENQUIRY, date(2026, 4, 15), date(2026, 4, 30),
        EnquiryOutcome.SUBSTANTIATED, {"conclude_enquiry": [date(2026, 4, 30)]},
    )  # fmt: skip
    conference = await records.process(
        session, case_id, TEAM_ID, Process.INITIAL_CONFERENCE, date(2026, 4, 15), date(2026, 5, 5),
        ConferenceOutcome.PLAN, {"decide_conference": [date(2026, 5, 5)]},
    )  # fmt: skip
    await records.icpc_target(session, case_id, TEAM_ID, conference, date(2026, 5, 6))
    cp_plan = await records.process(
        session, case_id, TEAM_ID, Process.CP_PLAN, date(2026, 5, 5), None, None,
        {"decide_review": [date(2026, 8, 4), date(2027, 2, 2)]},
    )  # fmt: skip
    await records.plan(
        session, case_id, child_id, cp_plan, PlanKind.CP, date(2026, 5, 5),
        category=CpCategory.NEGLECT, latest_category=CpCategory.EMOTIONAL,
    )  # fmt: skip
    await records.pre_proceedings_period(
        session,
        case_id,
        started_on=date(2026, 9, 1),
        letter_before_proceedings_on=date(2026, 9, 8),
        fgdm_offered=True,
        fgdm_facilitated=True,
        initial_meeting_on=date(2026, 9, 22),
        review_meetings=1,
        decided_on=date(2026, 12, 1),
    )


async def _under_five(session: AsyncSession, case_id: str, child_id: str) -> None:
    await records.characterise(session, child_id, sex="F", ethnicity="MWBC", disabilities=["COMM", "LD"])
    await records.referral(
        session, case_id, TEAM_ID, date(2025, 9, 1), ReferralSource.HEALTH_VISITOR, ContactOutcome.ASSESSMENT
    )
    earlier = await records.process(
        session, case_id, TEAM_ID, Process.ASSESSMENT, date(2025, 9, 2), date(2025, 10, 1),
        AssessmentOutcome.NFA, {"authorise": [date(2025, 10, 1)]},
    )  # fmt: skip
    await records.finding(session, case_id, earlier, "N4", ["21"])
    await records.referral(
        session, case_id, TEAM_ID, date(2026, 6, 1), ReferralSource.HEALTH_VISITOR, ContactOutcome.ASSESSMENT
    )
    assessment = await records.process(
        session, case_id, TEAM_ID, Process.ASSESSMENT, date(2026, 6, 2), date(2026, 7, 10),
        AssessmentOutcome.CIN_PLAN, {"authorise": [date(2026, 7, 10)]},
    )  # fmt: skip
    await records.finding(session, case_id, assessment, "N3", ["4B", "3B"])
    await records.plan(session, case_id, child_id, assessment, PlanKind.CIN, date(2026, 7, 10), date(2027, 1, 15))
    await records.close_case(session, case_id, date(2027, 1, 15), ReasonForClosure.SERVICES_CEASED)


async def _unborn(session: AsyncSession, case_id: str, child_id: str) -> None:
    await records.characterise(session, child_id, disabilities=["NONE"])
    await records.referral(
        session, case_id, TEAM_ID, date(2026, 12, 1), ReferralSource.OTHER_HEALTH_SERVICES, ContactOutcome.ASSESSMENT
    )
    assessment = await records.process(
        session, case_id, TEAM_ID, Process.ASSESSMENT, date(2026, 12, 2), date(2027, 1, 14),
        AssessmentOutcome.NFA, {"authorise": [date(2027, 1, 14)]},
    )  # fmt: skip
    await records.finding(session, case_id, assessment, "N9", ["21"])


async def _teenager(session: AsyncSession, case_id: str, child_id: str) -> None:
    await records.characterise(session, child_id, sex="F", ethnicity="AIND", upn_unknown="UN4", disabilities=["NONE"])
    await records.referral(
        session, case_id, TEAM_ID, date(2026, 10, 5), ReferralSource.POLICE, ContactOutcome.STRATEGY_DISCUSSION
    )
    assessment = await records.process(
        session, case_id, TEAM_ID, Process.ASSESSMENT, date(2026, 10, 6), date(2026, 10, 20),
        AssessmentOutcome.STRATEGY_DISCUSSION, {"authorise": [date(2026, 10, 20)]},
    )  # fmt: skip
    await records.finding(session, case_id, assessment, "N1", ["3C", "23A"])
    await records.process(
        session, case_id, TEAM_ID, Process.S47_ENQUIRY, date(2026, 10, 7), date(2026, 10, 21),
        EnquiryOutcome.NOT_SUBSTANTIATED_NFA, {"conclude_enquiry": [date(2026, 10, 21)]},
    )  # fmt: skip
    await records.referral(
        session, case_id, TEAM_ID, date(2027, 2, 8), ReferralSource.FAMILY_MEMBER_RELATIVE_CARER,
        ContactOutcome.ASSESSMENT,
    )  # fmt: skip
    await records.process(session, case_id, TEAM_ID, Process.ASSESSMENT, date(2027, 2, 9), None, None)
