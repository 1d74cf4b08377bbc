"""Flow rates of children's social care in England, from the DfE's national statistics.

Source: Department for Education, "Characteristics of children in need", reporting year 2024 (year ending
31 March 2024, published 31 October 2024), explore-education-statistics.service.gov.uk, national tables
(referrals, assessments, section 47 enquiries and initial child protection conferences, child protection
plans). The shares below are the national figures of that release rounded to two places; they are the
defaults of a simulation, not a claim about any one authority, and a procedure profile's authority may
differ a lot. Where a rate is a ratio of two national counts (section 47 enquiries per referral, say) it
is the ratio of that year's counts, so it mixes children whose enquiry began on a referral of the year
before; a simulation of one year accepts that.

Where the release publishes no figure the field says "ours": an assumption of the model, to be set from an
authority's own data (the release does not split section 47 enquiries by single or joint agency).

No national statistic exists for LADO allegations (outside the children in need census) or family group
conferences (family group decision-making appears only in the 2026/27 census's pre-proceedings block), so
there is no rate for them here and none is made up: the authority supplies its own figures, as behaviour
options that default to 0 (`Behaviour.lado_allegations` from its LADO annual report, `Behaviour.fgc_share`
from its own service data; `safeguarding.simulation.lado_fgc` draws them).
"""

from __future__ import annotations

from dataclasses import dataclass

from safeguarding.codes import CpCategory, EnquiryOutcome, ReferralSource

RELEASE = "DfE, Characteristics of children in need, reporting year 2024 (year ending 31 March 2024)"


@dataclass(frozen=True)
class NationalRates:
    """The shares that send a referral down each path (statutory-rules.md §2, §3, §4)."""

    assessed: float = 0.90
    """Referrals that lead to a child and family assessment (the rest: no further action or early help)."""
    early_help_of_not_assessed: float = 0.5
    """Of referrals not assessed, those signposted to early help rather than closed with advice (ours: the
    release counts both as "no further action" at referral)."""
    not_in_need: float = 0.36
    """Assessments that found the child not in need: closed with no further action (census closure RC8)."""
    section_47_per_referral: float = 0.32
    """Section 47 enquiries started per referral (about 201,000 enquiries to 621,000 referrals)."""
    icpc_per_section_47: float = 0.39
    """Initial child protection conferences per section 47 enquiry."""
    plan_per_icpc: float = 0.80
    """Child protection plans started per initial conference."""
    re_referral: float = 0.22
    """Referrals within 12 months of an earlier referral of the same child."""
    family_support_of_in_need: float = 0.5
    """Of children found in need without an enquiry, those on a Family Support Plan rather than a Child in Need
    plan (ours: the census does not split them; statutory-rules.md §3)."""
    icpc_within_15_working_days: float = 0.78
    """Initial conferences held within 15 working days of the start of the section 47 enquiry (about 78%;
    the DfE counts from the enquiry's start, statutory-rules.md §5)."""
    joint_with_police: float = 0.5
    """Section 47 enquiries carried out jointly with the police rather than by social care alone (ours)."""
    not_substantiated: tuple[tuple[float, EnquiryOutcome], ...] = (
        (0.45, EnquiryOutcome.NOT_SUBSTANTIATED_CIN_PLAN),
        (0.25, EnquiryOutcome.NOT_SUBSTANTIATED_EARLY_HELP),
        (0.30, EnquiryOutcome.NOT_SUBSTANTIATED_NFA),
    )
    """Of enquiries that lead to no conference, what follows (ours: the release counts only conferences)."""
    initial_category: tuple[tuple[float, CpCategory], ...] = (
        (0.50, CpCategory.NEGLECT),
        (0.38, CpCategory.EMOTIONAL),
        (0.07, CpCategory.PHYSICAL),
        (0.04, CpCategory.SEXUAL),
        (0.01, CpCategory.MULTIPLE),
    )
    """Child protection plans starting in the year by initial category of abuse: neglect about half,
    emotional abuse about 38%, physical 7%, sexual 4%, multiple about 1% (rounded)."""
    unborn: float = 0.01
    """Children not yet born (pre-birth assessments: a joint visit with the midwife, §3): about 1% of children
    in need at 31 March by age; the release gives age at the census date, not at referral."""
    under_five: float = 0.20
    """Children under five (a joint visit with the health visitor, §3): about 20% of children in need at
    31 March (under 1 about 5%, 1 to 4 about 15%), by the same stand-in."""
    plan_length_months: tuple[tuple[float, int, int], ...] = (
        (0.27, 0, 3),
        (0.42, 3, 12),
        (0.27, 12, 24),
        (0.04, 24, 36),
    )
    """Child protection plans ending in the year by length: (share, from months, to months); about 4% last two
    years or more."""
    referral_sources: tuple[tuple[float, ReferralSource], ...] = (
        (0.29, ReferralSource.POLICE),
        (0.21, ReferralSource.SCHOOLS),
        (0.09, ReferralSource.GP),
        (0.06, ReferralSource.OTHER_HEALTH_SERVICES),
        (0.09, ReferralSource.LA_SOCIAL_CARE),
        (0.08, ReferralSource.FAMILY_MEMBER_RELATIVE_CARER),
        (0.04, ReferralSource.HOUSING),
        (0.14, ReferralSource.OTHER),
    )
    """Who refers: police about 29%, schools about 21%, health about 15% (GP and other health here)."""


DFE_2024 = NationalRates()
