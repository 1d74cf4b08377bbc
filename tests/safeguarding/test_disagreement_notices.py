"""The professional disagreement notices (statutory-rules.md §8): plain words, and apart from deadline alerts."""

from __future__ import annotations

import pytest

from safeguarding.codes import DisagreementStage
from safeguarding.notices import render

FIELDS = {
    "case_reference": "CR-1001",
    "process": "assessment",
    "about_key": "authorise:1",
    "due": "Fri 4 Dec 2026",
    "basis": "5 working days after the disagreement being raised on Fri 27 Nov 2026",
    "reason": "raised by a health visitor",
    "workflow_id": "disagreement-CR-1001-20261127T100000",
    "change": "the decision was changed to cin_plan",
}


@pytest.mark.parametrize("stage", list(DisagreementStage))
def test_every_stage_is_named_in_words_the_people_at_it_recognise(stage: DisagreementStage) -> None:
    notice = render("disagreement_stage", {**FIELDS, "disagreement_stage": str(stage)})

    assert "_" not in notice.subject  # words, not the code
    assert notice.subject.startswith("Professional disagreement – case CR-1001: for the ")
    assert "Child and family assessment, authorise:1" in notice.body


def test_the_stage_notice_says_escalation_is_not_a_complaint_and_the_clocks_keep_running() -> None:
    body = render("disagreement_stage", {**FIELDS, "disagreement_stage": "practitioners"}).body

    assert "Escalation is not a complaint" in body
    assert "keeps running and its deadlines keep counting" in body
    assert "goes to the next stage automatically" in body


def test_the_duty_manager_is_told_to_act_now_and_not_to_wait_for_the_disagreement() -> None:
    notice = render("disagreement_immediate_risk", {**FIELDS, "disagreement_stage": "service_managers"})

    assert notice.subject == "Immediate risk – professional disagreement on case CR-1001: act now"
    assert "do not wait for the disagreement to be resolved" in notice.body
    assert "the service managers (heads of service)" in notice.body


def test_disagreement_notices_never_read_like_a_missed_deadline() -> None:
    subjects = [
        render(template, {**FIELDS, "disagreement_stage": "team_managers"}).subject
        for template in ("disagreement_stage", "disagreement_immediate_risk", "disagreement_resolved")
    ]
    assert not [s for s in subjects if "overdue" in s.lower() or s.startswith("Reminder")]
