"""Flow rates of children's social care in England, from the DfE's national statistics.

Source: Department for Education, "Characteristics of children in need", reporting year 2024 (year ending
31 March 2024, published 31 October 2024), explore-education-statistics.service.gov.uk, national tables
(referrals, assessments, section 47 enquiries and initial child protection conferences, child protection
plans). The shares below are the national figures of that release rounded to two places; they are the
defaults of a simulation, not a claim about any one authority, and a procedure profile's authority may
differ a lot. Where a rate is a ratio of two national counts (section 47 enquiries per referral, say) it
is the ratio of that year's counts, so it mixes children whose enquiry began on a referral of the year
before; a simulation of one year accepts that.
"""

from __future__ import annotations

from dataclasses import dataclass

from safeguarding.codes import ReferralSource

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
