"""The LADO's rules as plain data: the harm test's consequences, referrals, retention, the work tray (§6)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from safeguarding.allegations import lado_tasks, required_referrals
from safeguarding.codes import BarringReferral, LadoOutcome, LadoRetention
from safeguarding.commands.lado import ConsiderAllegation, LadoState, RecordAllegationOutcome, RecordEmployerAction
from safeguarding.stages import LadoStage
from safeguarding.store.lado import retention_for

ACTOR = {"practitioner_id": "lado-1", "role": "lado", "team_id": "team-lado"}


def _consideration(*, met: bool, **extra) -> dict:
    limb = {"met": False, "note": "Nothing indicates it"}
    return {
        "actor": ACTOR,
        "harm_test": {
            "harmed_a_child": {"met": met, "note": "Bruising seen"},
            "possible_offence": limb,
            "risk_of_harm": limb,
            "unsuitable": limb,
        },
        "advice_to_employer": "Follow the procedure",
        **extra,
    }


def test_the_harm_test_is_met_when_any_one_limb_is() -> None:
    assert ConsiderAllegation.model_validate(_consideration(met=True)).harm_test.met
    assert not ConsiderAllegation.model_validate(_consideration(met=False)).harm_test.met


@pytest.mark.parametrize(
    ("met", "extra", "message"),
    [
        (False, {"refer_to_police": True}, "nothing is referred"),
        (False, {"refer_to_childrens_social_care": ["case-1"]}, "nothing is referred"),
        (True, {"low_level_concern": True}, "not a low-level concern"),
        (True, {"refer_to_childrens_social_care": ["case-1", "case-1"]}, "a child is referred once"),
    ],
)
def test_a_consideration_must_follow_from_its_harm_test(met: bool, extra: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ConsiderAllegation.model_validate(_consideration(met=met, **extra))


def test_a_limb_without_a_note_is_malformed() -> None:
    payload = _consideration(met=True)
    payload["harm_test"]["risk_of_harm"] = {"met": False, "note": ""}
    with pytest.raises(ValidationError, match=r"risk_of_harm\.note"):
        ConsiderAllegation.model_validate(payload)


def test_suspension_is_never_recorded_without_the_alternatives_considered() -> None:
    with pytest.raises(ValidationError, match="alternatives considered"):
        RecordEmployerAction.model_validate(
            {"actor": ACTOR, "strand": "suspension", "report": "Suspended", "suspended": True}
        )


@pytest.mark.parametrize("outcome", [LadoOutcome.FALSE, LadoOutcome.MALICIOUS, LadoOutcome.UNFOUNDED])
def test_an_allegation_found_false_malicious_or_unfounded_cannot_ground_a_removal(outcome: LadoOutcome) -> None:
    with pytest.raises(ValidationError, match="cannot ground a removal"):
        RecordAllegationOutcome.model_validate(
            {"actor": ACTOR, "outcome": outcome, "removed_from_regulated_activity": True, "rationale": "x"}
        )


@pytest.mark.parametrize(
    ("removed", "teacher", "expected"),
    [
        (False, True, []),
        (True, False, [BarringReferral.DBS]),
        (True, True, [BarringReferral.DBS, BarringReferral.TEACHING_REGULATOR]),
    ],
)
def test_a_removal_from_regulated_activity_needs_a_dbs_referral_and_a_teacher_also_the_regulator(
    removed: bool, teacher: bool, expected: list[BarringReferral]
) -> None:
    assert required_referrals(removed_from_regulated_activity=removed, is_teacher=teacher) == expected


def test_a_malicious_allegation_is_removed_whatever_the_date_of_birth() -> None:
    kept = retention_for(LadoOutcome.MALICIOUS, date_of_birth=None, allegation_on=date(2026, 11, 2), retirement_age=67)
    assert (kept.retention, kept.retain_until) == (LadoRetention.REMOVE, None)


def test_a_young_persons_record_is_kept_until_their_retirement_age() -> None:
    kept = retention_for(
        LadoOutcome.UNSUBSTANTIATED, date_of_birth=date(1996, 2, 29), allegation_on=date(2026, 11, 2), retirement_age=67
    )
    assert (kept.retention, kept.retain_until) == (LadoRetention.KEEP_UNTIL, date(2063, 3, 1))
    assert kept.summary.startswith("kept until normal retirement age (67)")
    assert "2063" not in kept.summary  # the date can reveal the date of birth: it stays in the case store


def test_an_older_persons_record_is_kept_for_ten_years_after_the_allegation() -> None:
    kept = retention_for(
        LadoOutcome.SUBSTANTIATED, date_of_birth=date(1962, 5, 1), allegation_on=date(2026, 11, 2), retirement_age=67
    )
    assert kept.retain_until == date(2036, 11, 2)
    assert kept.summary.startswith("kept for 10 years")


def test_keeping_a_record_without_a_date_of_birth_is_refused() -> None:
    with pytest.raises(ValueError, match="date of birth is not recorded"):
        retention_for(LadoOutcome.FALSE, date_of_birth=None, allegation_on=date(2026, 11, 2), retirement_age=67)


def test_the_work_tray_follows_the_stage() -> None:
    assert [t.decision for t in lado_tasks(LadoStage.INITIAL_CONSIDERATION, LadoState(), {}, "lado-1")] == [
        "respond_to_notification",
        "consider_allegation",
    ]
    paused = [t.decision for t in lado_tasks(LadoStage.PAUSED, LadoState(meetings=1), {}, "lado-1")]
    assert "record_allegation_outcome" not in paused and "record_allegation_meeting" in paused
    state = LadoState(referrals_required=[BarringReferral.DBS], referrals_made=[BarringReferral.DBS])
    assert lado_tasks(LadoStage.REFERRALS, state, {}, None) == []
