"""The stages of each process keep the values that running cases, histories and the case store hold."""

from __future__ import annotations

from enum import StrEnum

from safeguarding import stages
from safeguarding.stages import AssessmentStage, LadoStage, SharedStage, Stage

SHIPPED = {
    "SharedStage": {"disputed", "closed"},
    "FrontDoorStage": {"screening", "edt"},
    "AssessmentStage": {"allocation", "in_progress", "authorisation"},
    "JointVisitStep": {"tell_family", "background_review", "pre_meet", "visit", "debrief", "reporting"},
    "StrategyDiscussionStage": {"discussion", "circulation"},
    "S47Stage": {"enquiry"},
    "InitialConferenceStage": {"scheduling", "scheduled"},
    "CpPlanStage": {"active", "ending"},
    "LadoStage": {"initial_consideration", "allegation_management", "paused_police_investigation", "referrals"},
    "FgcStage": {"referral", "allocation", "preparation", "conference", "plan_agreement", "plan_revision", "review"},
}
"""The stage values recorded before the stages were enums: a running case is in one of these."""


def test_every_stage_keeps_the_value_running_cases_hold() -> None:
    enums = {name: kind for name, kind in vars(stages).items() if isinstance(kind, type) and issubclass(kind, Stage)}
    assert {name: {str(member) for member in kind} for name, kind in enums.items() if kind is not Stage} == SHIPPED


def test_a_stage_reads_as_the_plain_string_it_replaces() -> None:
    assert isinstance(AssessmentStage.IN_PROGRESS, StrEnum)
    assert AssessmentStage.IN_PROGRESS == "in_progress"
    assert repr(LadoStage.PAUSED) == repr("paused_police_investigation")
    assert f"stage {SharedStage.CLOSED} -> {SharedStage.DISPUTED!r}" == "stage closed -> 'disputed'"
