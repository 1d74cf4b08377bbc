"""The timeliness report against hand-computed answers on a small fixed caseload in the real case store.

The caseload is `timeliness_caseload.py`'s, over the census year 2027/28 (1 April 2027 to 31 March 2028),
read on 1 June 2028, so the year is over and everything is counted to 31 March. Working days are counted
after the start, up to and including the end (the start is day 0); bank holidays of England and Wales only.
Each expected number below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import ClockKind, Role
from safeguarding.procedure_profile import RuleSetting
from safeguarding.service.access import Principal
from safeguarding.service.errors import Invalid, NotFound, Refused
from safeguarding.service.root import Services
from safeguarding.service.timeliness import read_timeliness
from safeguarding.store.closures import announce_closure
from safeguarding.store.examples import ExampleIds
from safeguarding.timeliness.counting import Indicator
from safeguarding.timeliness.report import TimelinessReport
from tests.factories import create_case
from tests.service.timeliness_caseload import at, contact, write_caseload

Sessionmaker = async_sessionmaker[AsyncSession]
ActAs = Callable[[str], Awaitable[Principal]]
READ_ON = date(2028, 6, 1)


def counted(report: TimelinessReport, key: str) -> tuple[int, int, float | None, dict[str, int]]:
    """Return an indicator's numerator, denominator, share and its bands that hold anything."""
    indicator: Indicator = next(i for i in report.indicators if i.key == key)
    return (
        indicator.numerator,
        indicator.denominator,
        indicator.share,
        {band.label: band.count for band in indicator.bands if band.count},
    )


@pytest.fixture
async def authority(db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs) -> TimelinessReport:
    """The whole authority's report on 2027/28, read by the service manager."""
    await write_caseload(db, examples.team_id)
    manager = await act_as(examples.service_manager_id)
    return await read_timeliness(services, manager, year=2027, today=READ_ON)


async def test_the_report_covers_the_census_year_to_its_reference_date(authority: TimelinessReport) -> None:
    assert (authority.year, authority.first_day, authority.reference_date, authority.as_of, authority.team_id) == (
        "2027/28",
        date(2027, 4, 1),
        date(2028, 3, 31),
        date(2028, 3, 31),
        None,
    )
    for indicator in authority.indicators:
        assert indicator.definition and indicator.source and indicator.convention in ("dfe", "ours")
        assert indicator.convention == "dfe" or indicator.differs


async def test_contacts_decided_within_1_working_day_over_christmas_a_weekend_and_29_february(
    authority: TimelinessReport,
) -> None:
    # Thu 23 Dec -> Wed 29 Dec 2027: Fri 24 (1; a local closure, which national reporting does not skip),
    #   Mon 27 and Tue 28 (substitute bank holidays), Wed 29 (2): late.
    # Fri 24 Dec -> Wed 29 Dec: 1.  Mon 28 Feb -> Tue 29 Feb 2028: 1.  Sun 26 Mar -> Mon 27 Mar 2028: 1.
    # Fri 31 Dec 2027 -> Tue 4 Jan 2028 (Mon 3 Jan the New Year substitute day): 1.  Two decided the same day.
    # Wed 1 Mar 2028, never decided: late by 31 March.  Two contacts of 2026 are outside the year.
    assert counted(authority, "referral_decisions_within_1_working_day") == (
        6,
        8,
        0.75,
        {
            "same day": 2,
            "next working day": 4,
            "2 to 3 working days": 1,
            "not decided, past 1 working day": 1,
        },
    )


async def test_re_referrals_count_a_previous_referral_within_12_calendar_months_even_of_the_year_before(
    authority: TimelinessReport,
) -> None:
    # Referrals in the year (contacts sent to social care): A 23 Dec, B 24 Dec, A 28 Feb, D 10 Jun 2027,
    # E 10 Jun 2027, F 31 Dec.  Re-referrals: A (23 Dec 2027 is within 12 months of 28 Feb 2028) and D
    # (10 Jun 2026 is exactly 12 months before 10 Jun 2027); not E (9 Jun 2026 is 12 months and a day).
    # C's contact was advice (not a referral); B's of 1 March is undecided (not yet a referral).
    assert counted(authority, "re_referrals_within_12_months") == (
        2,
        6,
        0.333,
        {"no referral in the previous 12 months": 4, "re-referral within 12 months": 2},
    )


async def test_assessment_durations_in_the_dfes_bands_from_the_start_and_in_ours_from_the_referral(
    authority: TimelinessReport,
) -> None:
    # A: Thu 30 Dec 2027 -> Wed 1 Mar 2028: 31 Dec (1), January 20 (Mon 3 Jan a bank holiday), February 21
    #    (29 Feb among them), 1 Mar: 43.  From the referral on Thu 23 Dec: Fri 24, Wed 29, Thu 30, Fri 31 (4)
    #    + 20 + 21 + 1 = 46, over 45: a year without 29 February would have made it 45.
    # B: started and authorised Fri 24 Dec 2027: same day (0); its referral was that day too.
    # D: Thu 10 Jun -> Thu 30 Sep 2027: June 14, July 22, August 21 (Mon 30 Aug), September 22: 79.
    # F: Tue 4 Jan -> Tue 18 Jan 2028: 10.  From the referral on Fri 31 Dec 2027: 11.
    # G: Wed 24 Mar -> Thu 1 Apr 2027 (authorised in the year): Thu 25 (1), Good Friday and Easter Monday,
    #    Tue 30, Wed 31, Thu 1 (4); no referral contact, so counted from its start: 4.
    assert counted(authority, "assessment_duration") == (
        4,
        5,
        0.8,
        {"same day": 1, "1 to 10 working days": 2, "41 to 45 working days": 1, "61 or more working days": 1},
    )
    assert counted(authority, "assessment_within_45_of_referral") == (
        3,
        5,
        0.6,
        {"within 45 working days": 3, "over 45 working days": 2},
    )


async def test_initial_conferences_from_the_s47_start_and_from_the_strategy_discussion(
    authority: TimelinessReport,
) -> None:
    # B: s47 Fri 24 Dec 2027 -> ICPC Fri 14 Jan 2028: 29, 30, 31 Dec (3), 4-7 Jan (7), 10-14 Jan (12).
    #    From the discussion on Thu 23 Dec: 13.
    # G: s47 Wed 24 Mar 2027 -> ICPC Fri 16 Apr 2027: 25 Mar (1), Easter, 30 Mar - 2 Apr (5), 5-9 (10),
    #    12-16 (15).  From the discussion on Tue 23 Mar: 16, late by Working Together's count.
    # F: s47 and discussion Mon 7 Feb 2028 -> ICPC Tue 7 Mar 2028: 8-11 Feb (4), 14-18 (9), 21-25 (14),
    #    28, 29 Feb (16), 1-3 Mar (19), 6, 7 Mar (21).
    assert counted(authority, "icpc_within_15_of_s47") == (
        2,
        3,
        0.667,
        {"11 to 15 working days": 2, "21 or more working days": 1},
    )
    assert counted(authority, "icpc_within_15_of_strategy_discussion") == (
        1,
        3,
        0.333,
        {"11 to 15 working days": 1, "16 to 20 working days": 1, "21 or more working days": 1},
    )


async def test_child_protection_plans_reviews_durations_and_second_plans(authority: TimelinessReport) -> None:
    # Open at 31 March 2028 and 3 months or more on a plan (started by 31 Dec 2027): G, H, I, M.
    # G from 16 Apr 2027: reviewed 16 Jul (in time), then 17 Jan 2028, after 16 Jan: late.
    # H from Tue 30 Nov 2027: first review due by 29 Feb 2028 (30 February does not exist), held that day.
    # I from 10 Jan 2027 and M from 31 Mar 2026: no review held, overdue.
    assert counted(authority, "cp_reviews_in_time") == (
        1,
        4,
        0.25,
        {"all reviews in time": 1, "a review held late": 1, "a review overdue at the reference date": 2},
    )
    # Ended in the year: J 1 Mar 2026 - 1 Mar 2028 (2 years), K 31 Aug 2027 - 29 Feb 2028 (6 months exactly:
    # 31 August plus 6 months is 29 February), L 1 Jul - 15 Aug 2027 (under 3 months).  H's first plan ended
    # before the year.
    assert counted(authority, "cp_plans_ending_by_duration") == (
        1,
        3,
        0.333,
        {"3 months or less": 1, "more than 3 months but less than or equal to 6 months": 1, "2 years and over": 1},
    )
    # Open at 31 March 2028: B (from 14 Jan) and F (7 Mar) 3 months or less, H (30 Nov) 4 months, G (16 Apr
    # 2027) under a year, I (10 Jan 2027) over a year, M (31 Mar 2026) 2 years.
    assert counted(authority, "cp_plans_open_two_years") == (
        1,
        6,
        0.167,
        {
            "3 months or less": 2,
            "more than 3 months but less than or equal to 6 months": 1,
            "more than 6 months but less than 1 year": 1,
            "1 year but less than 2 years": 1,
            "2 years and over": 1,
        },
    )
    # Started in the year: B (2 previous plans), G, H (no previous plan recorded, but an earlier plan in the
    # case store), K, F, L.
    assert counted(authority, "cp_second_or_later_plans") == (
        2,
        6,
        0.333,
        {"first plan": 4, "second plan": 1, "third or later": 1},
    )


async def test_lado_allegations_resolved_within_1_and_3_months(authority: TimelinessReport) -> None:
    # Mon 31 Jan -> Tue 29 Feb 2028: a month from 31 January is 29 February (a working day): in time.
    # Fri 24 Sep -> Fri 24 Dec 2027: a month from 24 Sep is Sun 24 Oct, moved back to Fri 22 Oct: late for
    #   1 month; 3 months is Fri 24 Dec, a working day nationally: in time.
    # Mon 28 Jun -> Fri 1 Oct 2027: 3 months is Tue 28 Sep: late for both.
    # Thu 1 Apr -> Thu 8 Apr 2027: within a week.  One resolved on 30 Mar 2027 is outside the year.
    bands = {
        "within 1 week": 1,
        "over 1 week, within 1 month": 1,
        "over 1 month, within 3 months": 1,
        "over 3 months, within 12 months": 1,
    }
    assert counted(authority, "lado_resolved_within_1_month") == (2, 4, 0.5, bands)
    assert counted(authority, "lado_resolved_within_3_months") == (3, 4, 0.75, bands)


async def test_family_group_conferences_from_referral_to_the_meeting(authority: TimelinessReport) -> None:
    # 20 Dec 2027 -> 17 Jan 2028: 28 days.  1 Feb -> 28 Mar 2028: 56 days with 29 February.
    # 1 Apr -> 15 Jun 2027: 75 days.  One meeting on 5 Apr 2028 belongs to the next year.
    assert counted(authority, "fgc_referral_to_conference") == (
        2,
        3,
        0.667,
        {"within 4 weeks": 1, "4 to 8 weeks": 1, "over 8 weeks": 1},
    )


async def test_a_team_managers_report_counts_their_teams_cases_and_earlier_referrals_of_any_team(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    await write_caseload(db, examples.team_id)
    report = await read_timeliness(services, await act_as(examples.team_manager_id), year=2027, today=READ_ON)

    assert report.team_id == examples.team_id
    # Without child F, the other team's: one next-day decision, one 10-day assessment, one 21-day ICPC fewer.
    assert counted(report, "referral_decisions_within_1_working_day")[:3] == (5, 7, 0.714)
    assert counted(report, "re_referrals_within_12_months")[:3] == (2, 5, 0.4)
    assert counted(report, "assessment_duration")[:3] == (3, 4, 0.75)
    assert counted(report, "icpc_within_15_of_s47")[:3] == (2, 2, 1.0)
    assert counted(report, "cp_second_or_later_plans")[:3] == (2, 5, 0.4)
    # The allegations are the LADO service's cases, not this team's.
    assert counted(report, "lado_resolved_within_1_month") == (0, 0, None, {})


async def test_a_year_not_yet_over_is_counted_to_today(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    await write_caseload(db, examples.team_id)
    report = await read_timeliness(
        services, await act_as(examples.service_manager_id), year=2027, today=date(2028, 1, 31)
    )

    assert report.as_of == date(2028, 1, 31)
    # Open on 31 January and on a plan since 31 October 2027 or before: G (its review of 17 January a day
    # late), and I, J, K and M, overdue with no review held (K's first was due 30 Nov 2027); J and K end later.
    assert counted(report, "cp_reviews_in_time") == (
        0,
        5,
        0.0,
        {"a review held late": 1, "a review overdue at the reference date": 4},
    )


async def test_the_report_is_for_managers_and_a_team_manager_reads_only_their_own_team(
    services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    for reader in (examples.social_worker_id, examples.lado_id, examples.conference_chair_id):
        with pytest.raises(Refused):
            await read_timeliness(services, await act_as(reader), year=2026, today=READ_ON)
    other_team = Principal(practitioner_id="prac-other-tm", role=Role.TEAM_MANAGER, team_id="team-other")
    with pytest.raises(Refused):
        await read_timeliness(services, other_team, year=2026, team_id=examples.team_id, today=READ_ON)
    manager = await act_as(examples.service_manager_id)
    assert (await read_timeliness(services, manager, team_id=examples.team_id, today=READ_ON)).year == "2028/29"


@pytest.mark.parametrize(
    ("year", "team_id", "error", "field"),
    [
        (2028, "team-\x00", Invalid, "team_id"),
        (2029, None, Invalid, "year"),
        (99999, None, Invalid, "year"),
        (2014, None, Invalid, "year"),
        (0, None, Invalid, "year"),  # before the calendar, and before any date there is
        (-1, None, Invalid, "year"),
        (2027, "team-unknown", NotFound, None),
    ],
)
async def test_a_bad_year_or_team_is_an_error(
    services: Services,
    examples: ExampleIds,
    act_as: ActAs,
    year: int,
    team_id: str | None,
    error: type[Exception],
    field: str | None,
) -> None:
    with pytest.raises(error) as refused:
        await read_timeliness(
            services, await act_as(examples.service_manager_id), year=year, team_id=team_id, today=READ_ON
        )
    assert getattr(refused.value, "field", None) == field


async def test_a_bank_holiday_announced_in_the_case_store_is_counted_and_a_local_closure_is_not(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    async with db.begin() as session:
        case = await create_case(session, team_id=examples.team_id)
        # Fri 31 Dec 2027 -> Wed 5 Jan 2028: Tue 4 (1), Wed 5 (2), Mon 3 Jan being New Year's substitute day.
        await contact(session, case, at(date(2027, 12, 31)), at(date(2028, 1, 5)))
    manager = await act_as(examples.service_manager_id)

    async def decided_in_time(local: bool) -> tuple[int, int]:
        async with db.begin() as session:
            await announce_closure(date(2028, 1, 4), "Fictional closure", local=local, session=session)
        report = await read_timeliness(services, manager, year=2027, today=READ_ON)
        return counted(report, "referral_decisions_within_1_working_day")[:2]

    assert await decided_in_time(local=True) == (0, 1)
    assert await decided_in_time(local=False) == (1, 1)


async def test_a_family_group_conference_is_in_time_by_the_profiles_own_clock(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    await write_caseload(db, examples.team_id)
    setting = RuleSetting(clock=ClockKind.WORKING_DAYS, amount=39, source="a fictional authority's FGC procedure")
    profile = services.profile.model_copy(update={"rules": {**services.profile.rules, "fgc_whole_process": setting}})
    local = Services(settings=services.settings, profile=profile, sessions=services.sessions)

    report = await read_timeliness(local, await act_as(examples.service_manager_id), year=2027, today=READ_ON)

    # 20 Dec 2027 -> 17 Jan 2028 is 17 working days (27, 28 Dec and 3 Jan closed): in time.
    # 1 Feb -> 28 Mar 2028 is 40 working days (29 February among them): one too many.  1 Apr -> 15 Jun 2027: late.
    assert counted(report, "fgc_referral_to_conference")[:3] == (1, 3, 0.333)
    definition = next(i.definition for i in report.indicators if i.key == "fgc_referral_to_conference")
    assert "39 working days (fgc_whole_process)" in definition
