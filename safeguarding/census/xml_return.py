"""The census return as the DfE's XML message (statutory-rules.md §9).

Element names and their order follow the DfE's children in need census specification as the community
validator (csc-validator-be-cin) reads it: a Header (CollectionDetails, Source) and Children, each Child
with ChildIdentifiers, ChildCharacteristics and one CINdetails per episode. The child's sex is `Sex`
(N00783, M/F/U), never the retired `GenderCurrent`. From 2026/27 an episode carries its pre-proceedings
periods (`PreProceedingsandFGDM`); earlier specifications have no such block. Booleans are `true`/`false`.

Items the case store does not hold are left out rather than guessed: AssessmentInternalReviewDate, and in
the pre-proceedings block PPOutcome and LetterInitCPDate.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from safeguarding.census.caseload import Child, PreProceedings
from safeguarding.census.period import CensusPeriod
from safeguarding.census.returns import CensusChild, Episode
from safeguarding.codes import Ethnicity, Sex, UpnUnknown

UPN_AGE = 6
"""A child under this age at the reference date with no UPN is returned as UN1 unless another reason is recorded."""


@dataclass(frozen=True)
class Source:
    """Who sends the return: the authority's DfE number and the software that wrote it."""

    la_code: str
    software: str
    release: str
    serial_no: int
    written_at: datetime


def census_xml(period: CensusPeriod, source: Source, children: Iterable[CensusChild]) -> bytes:
    """Return the census message for `period` as UTF-8 XML with its declaration."""
    message = ET.Element("Message")
    header = ET.SubElement(message, "Header")
    details = ET.SubElement(header, "CollectionDetails")
    _items(details, Collection="CIN", Year=str(period.header_year), ReferenceDate=period.reference_date)
    _items(
        ET.SubElement(header, "Source"),
        SourceLevel="L",
        LEA=source.la_code,
        SoftwareCode=source.software,
        Release=source.release,
        SerialNo=f"{source.serial_no:03d}",
        DateTime=source.written_at.replace(microsecond=0, tzinfo=None).isoformat(),
    )
    listed = ET.SubElement(message, "Children")
    for child in children:
        _child(ET.SubElement(listed, "Child"), child, period)
    ET.indent(message)
    return ET.tostring(message, encoding="utf-8", xml_declaration=True)


def _items(parent: ET.Element, **values: str | date | int | bool | None) -> None:
    """Add one element per value that is present, in the order given."""
    for name, value in values.items():
        if value is None:
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        ET.SubElement(parent, name).text = text


def _child(element: ET.Element, census_child: CensusChild, period: CensusPeriod) -> None:
    child, ref = census_child.child, period.reference_date
    born = child.date_of_birth if child.date_of_birth is not None and child.date_of_birth <= ref else None
    expected = None if born else (child.expected_birth_date or child.date_of_birth)
    _items(
        ET.SubElement(element, "ChildIdentifiers"),
        LAchildID=census_child.la_child_id,
        UPN=child.upn,
        FormerUPN=child.former_upn,
        UPNunknown=None if child.upn else _upn_unknown(child, born, ref),
        PersonBirthDate=born,
        ExpectedPersonBirthDate=expected,
        # An unborn child's sex is returned as unknown (validator rule 8750).
        Sex=str(Sex.UNKNOWN) if born is None else (child.sex or str(Sex.UNKNOWN)),
        PersonDeathDate=child.date_of_death if child.date_of_death and child.date_of_death <= ref else None,
    )
    characteristics = ET.SubElement(element, "ChildCharacteristics")
    _items(characteristics, Ethnicity=child.ethnicity or str(Ethnicity.NOT_YET_OBTAINED))
    if child.disabilities:
        disabilities = ET.SubElement(characteristics, "Disabilities")
        for code in child.disabilities:
            ET.SubElement(disabilities, "Disability").text = code
    for episode in census_child.episodes:
        _episode(ET.SubElement(element, "CINdetails"), episode, period)


def _upn_unknown(child: Child, born: date | None, ref: date) -> str | None:
    if child.upn_unknown:
        return child.upn_unknown
    if born is None or _age(born, ref) < UPN_AGE:
        return str(UpnUnknown.UNDER_SIX)
    return None


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _episode(element: ET.Element, episode: Episode, period: CensusPeriod) -> None:
    _items(
        element,
        CINreferralDate=episode.referral_on,
        ReferralSource=episode.referral_source,
        PrimaryNeedCode=episode.primary_need,
        CINclosureDate=episode.closure_on,
        ReasonForClosure=episode.closure_reason,
        DateOfInitialCPC=episode.icpc_without_s47,
    )
    for assessment in episode.assessments:
        block = ET.SubElement(element, "Assessments")
        _items(
            block,
            AssessmentActualStartDate=assessment.started_on,
            AssessmentAuthorisationDate=assessment.authorised_on,
        )
        if assessment.authorised_on is not None:
            factors = ET.SubElement(block, "FactorsIdentifiedAtAssessment")
            for code in assessment.factors:
                ET.SubElement(factors, "AssessmentFactors").text = code
    for started_on, ended_on in episode.cin_plans:
        _items(ET.SubElement(element, "CINPlanDates"), CINPlanStartDate=started_on, CINPlanEndDate=ended_on)
    for enquiry in episode.enquiries:
        _items(
            ET.SubElement(element, "Section47"),
            S47ActualStartDate=enquiry.started_on,
            InitialCPCtarget=enquiry.icpc_target,
            DateOfInitialCPC=enquiry.icpc_on,
            ICPCnotRequired=enquiry.icpc_not_required,
        )
    _items(element, ReferralNFA=False)
    for plan in episode.protection_plans:
        block = ET.SubElement(element, "ChildProtectionPlans")
        _items(
            block,
            CPPstartDate=plan.started_on,
            CPPendDate=plan.ended_on,
            InitialCategoryOfAbuse=plan.initial_category,
            LatestCategoryOfAbuse=plan.latest_category,
            NumberOfPreviousCPP=plan.previous_plans,
        )
        for review in plan.reviews:
            _items(ET.SubElement(block, "Reviews"), CPPreviewDate=review)
    if period.spec.has_pre_proceedings:
        for pre in episode.pre_proceedings:
            _pre_proceedings(ET.SubElement(element, "PreProceedingsandFGDM"), pre, period.reference_date)


def _pre_proceedings(element: ET.Element, pre: PreProceedings, ref: date) -> None:
    def by_ref(day: date | None) -> date | None:
        return day if day is not None and day <= ref else None

    _items(
        element,
        PPStartDate=pre.started_on,
        LBPSentDate=by_ref(pre.letter_before_proceedings_on),
        FGDMMeetingOffer=None if pre.fgdm_offered is None else int(pre.fgdm_offered),
        FGDMMeetingFac=None if pre.fgdm_facilitated is None else int(pre.fgdm_facilitated),
        InitialPPMeetingDate=by_ref(pre.initial_meeting_on),
        ReviewMeetingsCount=pre.review_meetings,
        StepDecisionDate=by_ref(pre.decided_on),
        CourtAppDate=by_ref(pre.court_application_on),
    )
