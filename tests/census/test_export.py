"""The census return built from the fixed caseload in the real case store (statutory-rules.md §9)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.census.episodes import la_child_id
from safeguarding.census.period import CensusSpec
from safeguarding.codes import ContactOutcome, Role
from safeguarding.schema import cases, people
from safeguarding.service.access import Principal
from safeguarding.service.census import export_census
from safeguarding.service.errors import Conflict, Invalid, Refused
from safeguarding.service.root import Services
from safeguarding.store.examples import TEAM_ID
from tests.census import records
from tests.census.caseload import FixedCaseload
from tests.census.records import at


def child(root: ET.Element, person_id: str) -> ET.Element | None:
    """The Child element of `person_id`, or None."""
    wanted = la_child_id(person_id)
    for element in root.iter("Child"):
        if element.findtext("ChildIdentifiers/LAchildID") == wanted:
            return element
    return None


def texts(element: ET.Element, path: str) -> list[str]:
    return [found.text or "" for found in element.findall(path)]


async def test_the_2026_return_has_its_header_and_each_referred_child_once(
    services: Services, head_of_service: Principal, caseload: FixedCaseload
) -> None:
    exported = await export_census(services, head_of_service, year=2026)
    root = ET.fromstring(exported.xml)
    assert exported.spec is CensusSpec.CIN_2026_27
    assert [root.findtext(f"Header/CollectionDetails/{item}") for item in ("Collection", "Year", "ReferenceDate")] == [
        "CIN",
        "2027",
        "2027-03-31",
    ]
    assert root.findtext("Header/Source/LEA") == "999"
    assert root.findtext("Header/Source/SourceLevel") == "L"
    ids = texts(root, "Children/Child/ChildIdentifiers/LAchildID")
    assert sorted(ids) == sorted(
        la_child_id(p) for p in (caseload.school_age, caseload.under_five, caseload.unborn, caseload.teenager)
    )
    assert (exported.children, exported.episodes) == (4, 5)
    assert child(root, caseload.contact_only) is None
    assert not list(root.iter("GenderCurrent"))


async def test_a_cp_plan_its_conference_and_pre_proceedings(
    services: Services, head_of_service: Principal, caseload: FixedCaseload
) -> None:
    root = ET.fromstring((await export_census(services, head_of_service, year=2026)).xml)
    found = child(root, caseload.school_age)
    assert found is not None
    (episode,) = found.findall("CINdetails")
    assert [episode.findtext(i) for i in ("CINreferralDate", "ReferralSource", "PrimaryNeedCode", "ReferralNFA")] == [
        "2026-04-13",
        "2A",
        "N1",
        "false",
    ]
    assert episode.find("CINclosureDate") is None
    assert texts(episode, "Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors") == ["3B", "16A"]
    assert texts(episode, "Assessments/AssessmentAuthorisationDate") == ["2026-05-20"]
    s47 = episode.find("Section47")
    assert s47 is not None
    assert [
        s47.findtext(i) for i in ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired")
    ] == [
        "2026-04-15",
        "2026-05-06",
        "2026-05-05",
        "false",
    ]
    plan = episode.find("ChildProtectionPlans")
    assert plan is not None
    assert [plan.findtext(i) for i in ("CPPstartDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse")] == [
        "2026-05-05",
        "NEG",
        "EMO",
    ]
    assert plan.find("CPPendDate") is None
    assert plan.findtext("NumberOfPreviousCPP") == "0"
    assert texts(plan, "Reviews/CPPreviewDate") == ["2026-08-04", "2027-02-02"]
    pre = episode.find("PreProceedingsandFGDM")
    assert pre is not None
    assert [pre.findtext(i) for i in ("PPStartDate", "LBPSentDate", "FGDMMeetingOffer", "FGDMMeetingFac")] == [
        "2026-09-01",
        "2026-09-08",
        "1",
        "1",
    ]
    assert found.findtext("ChildIdentifiers/Sex") == "M"
    assert found.findtext("ChildIdentifiers/UPNunknown") == "UN3"


async def test_the_2025_26_specification_has_no_pre_proceedings_block(
    services: Services, head_of_service: Principal, caseload: FixedCaseload
) -> None:
    exported = await export_census(services, head_of_service, year=2026, spec=CensusSpec.CIN_2025_26)
    root = ET.fromstring(exported.xml)
    assert exported.spec is CensusSpec.CIN_2025_26
    assert not list(root.iter("PreProceedingsandFGDM"))
    assert list(root.iter("ChildProtectionPlans"))


async def test_closures_after_assessment_after_an_enquiry_and_of_the_case(
    services: Services, head_of_service: Principal, caseload: FixedCaseload
) -> None:
    root = ET.fromstring((await export_census(services, head_of_service, year=2026)).xml)
    under_five, unborn, teenager = (child(root, p) for p in (caseload.under_five, caseload.unborn, caseload.teenager))
    assert under_five is not None and unborn is not None and teenager is not None
    # The 2025 episode closed before the year began: only the June 2026 one, closed with the case.
    (episode,) = under_five.findall("CINdetails")
    assert [episode.findtext(i) for i in ("CINreferralDate", "CINclosureDate", "ReasonForClosure")] == [
        "2026-06-01",
        "2027-01-15",
        "RC7",
    ]
    assert texts(episode, "CINPlanDates/CINPlanStartDate") + texts(episode, "CINPlanDates/CINPlanEndDate") == [
        "2026-07-10",
        "2027-01-15",
    ]
    assert texts(under_five, "ChildCharacteristics/Disabilities/Disability") == ["COMM", "LD"]
    # Closed after assessment with no further action; unborn: expected date, sex unknown, no UPN (UN1).
    assert [unborn.findtext(f"CINdetails/{i}") for i in ("CINclosureDate", "ReasonForClosure", "PrimaryNeedCode")] == [
        "2027-01-14",
        "RC8",
        "N9",
    ]
    assert unborn.find("ChildIdentifiers/PersonBirthDate") is None
    assert unborn.findtext("ChildIdentifiers/ExpectedPersonBirthDate") == "2027-03-31"
    assert [unborn.findtext(f"ChildIdentifiers/{i}") for i in ("Sex", "UPNunknown")] == ["U", "UN1"]
    assert unborn.findtext("ChildCharacteristics/Ethnicity") == "NOBT"
    # An enquiry not substantiated closes its episode (services ceased, RC7; no conference); the next is open.
    first, second = teenager.findall("CINdetails")
    assert [first.findtext(i) for i in ("CINclosureDate", "ReasonForClosure")] == ["2026-10-21", "RC7"]
    assert first.findtext("Section47/ICPCnotRequired") == "true"
    assert first.find("Section47/DateOfInitialCPC") is None
    assert second.find("CINclosureDate") is None
    assert second.findtext("PrimaryNeedCode") == "N0"
    assert texts(second, "Assessments/AssessmentActualStartDate") == ["2027-02-09"]
    assert second.find("Assessments/AssessmentAuthorisationDate") is None
    assert second.find("Assessments/FactorsIdentifiedAtAssessment") is None


async def test_the_2025_return_sees_nothing_after_its_reference_date(
    services: Services, head_of_service: Principal, caseload: FixedCaseload
) -> None:
    exported = await export_census(services, head_of_service, year=2025)
    root = ET.fromstring(exported.xml)
    assert exported.spec is CensusSpec.CIN_2025_26
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    assert texts(root, "Children/Child/ChildIdentifiers/LAchildID") == [la_child_id(caseload.under_five)]
    assert texts(root, "Children/Child/CINdetails/ReasonForClosure") == ["RC8"]
    assert texts(root, "Children/Child/CINdetails/Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors") == [
        "21"
    ]


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.SOCIAL_WORKER, Role.BUSINESS_SUPPORT, Role.ADMINISTRATOR])
async def test_only_the_head_of_service_may_export_it(services: Services, role: Role) -> None:
    with pytest.raises(Refused):
        await export_census(services, Principal(practitioner_id="prac-x", role=role, team_id=TEAM_ID), year=2026)


async def test_a_year_not_begun_or_without_a_specification_is_refused(
    services: Services, head_of_service: Principal
) -> None:
    with pytest.raises(Invalid, match="has not begun"):
        await export_census(services, head_of_service, year=2028, spec=CensusSpec.CIN_2026_27)
    with pytest.raises(Invalid, match="no census specification") as refused:
        await export_census(services, head_of_service, year=2024)
    assert refused.value.field == "spec"


def test_the_census_id_is_letters_and_digits_stable_and_at_most_20() -> None:
    assert la_child_id("person-example-7y") == "personexample7y"
    long = la_child_id("person-0123456789abcdef0123456789")
    assert long == la_child_id("person-0123456789abcdef0123456789")
    assert long.isalnum() and len(long) == 20
    assert long != la_child_id("person-0123456789abcdef0123456780")


async def test_two_children_whose_census_ids_would_coincide_are_refused(
    db: async_sessionmaker[AsyncSession], services: Services, head_of_service: Principal, caseload: FixedCaseload
) -> None:
    async with db.begin() as session:
        await session.execute(insert(people).values(id="personexample7y", given_name="Other", family_name="Child"))
        await session.execute(
            insert(cases).values(
                id="case-other",
                reference="EX-OTHER",
                child_id="personexample7y",
                team_id=TEAM_ID,
                opened_at=at(date(2026, 5, 1)),
            )
        )
        await records.referral(session, "case-other", TEAM_ID, date(2026, 5, 4), "2A", ContactOutcome.ASSESSMENT)

    with pytest.raises(Conflict, match="personexample7y"):
        await export_census(services, head_of_service, year=2026)
