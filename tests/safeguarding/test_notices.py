"""The notice templates: every one renders from the fields the workflows pass, in plain English."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from safeguarding.codes import AgeBand, ContactOutcome, Process
from safeguarding.notices import TEMPLATES, TemplateError, digest_fields, render

FIELDS = {
    "case_reference": "CR-1001",
    "rule_id": "assessment",
    "title": "Conclude the child and family assessment (manager authorisation)",
    "due": "Fri 15 Jan 2027",
    "basis": "45 working days after the referral on Mon 9 Nov 2026",
    "process": "assessment",
    "workflow_id": "assessment-CR-1001",
    "received": "Mon 9 Nov 2026",
    "outcome": "assessment",
    "decided": "Tue 10 Nov 2026",
    "age_band": "under_5",
    "team_id": "team-east",
    "day": "Mon 11 Jan 2027",
    "overdue_count": "0",
    "overdue": "Nothing is overdue.",
    "due_count": "0",
    "due_soon": "Nothing is due.",
    "meeting": "Tue 15 Dec 2026 10:00",
    "venue": "Northtown Family Hub",
    "end_reason": "turned_18",
    # -- professional disagreement --
    "disagreement_stage": "team_managers",
    "about_key": "authorise:1",
    "reason": "escalated automatically: the time limit of the practitioner stage passed",
    "change": "the decision stands",
}


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_template_renders_from_its_fields_with_no_placeholder_left(template) -> None:
    fields = {name: FIELDS[name] for name in TEMPLATES[template].fields}

    notice = render(template, fields)

    assert notice.subject and notice.body
    assert "{" not in notice.subject + notice.body
    assert "\n" not in notice.subject


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_a_missing_field_is_an_error_naming_the_template_and_the_field(template) -> None:
    missing = TEMPLATES[template].fields[-1]
    fields = {name: FIELDS[name] for name in TEMPLATES[template].fields if name != missing}

    with pytest.raises(TemplateError, match=f"template '{template}' needs field '{missing}'"):
        render(template, fields)


def test_an_unknown_template_is_an_error() -> None:
    with pytest.raises(TemplateError, match="unknown notice template 'birthday_card'"):
        render("birthday_card", FIELDS)


def test_the_outcome_letter_says_what_was_decided_in_words_not_codes() -> None:
    notice = render("referral_outcome", {**FIELDS, "outcome": "strategy_discussion"})

    assert "strategy discussion with partner agencies" in notice.body
    assert "strategy_discussion" not in notice.body
    assert "Tue 10 Nov 2026" in notice.body


def test_an_unknown_outcome_code_is_an_error_rather_than_a_guess() -> None:
    with pytest.raises(TemplateError, match="field 'outcome' has unknown code 'adopted'"):
        render("referral_outcome", {**FIELDS, "outcome": "adopted"})


@pytest.mark.parametrize(("field", "codes"), [("outcome", ContactOutcome), ("process", Process), ("age_band", None)])
def test_every_code_a_workflow_may_pass_has_plain_english(field, codes) -> None:
    values = list(codes) if codes else [AgeBand.UNDER_FIVE, AgeBand.UNBORN]
    template = {"outcome": "referral_outcome", "process": "deadline_reminder", "age_band": "health_team_briefing"}
    for value in values:
        render(template[field], {**FIELDS, field: str(value)})


def test_the_health_briefing_for_an_unborn_baby_asks_for_a_midwife() -> None:
    notice = render("health_team_briefing", {**FIELDS, "age_band": "unborn"})

    assert "a midwife" in notice.body
    assert "pre-birth" in notice.subject


def test_a_reminders_subject_says_how_long_is_left() -> None:
    notice = render("deadline_reminder", {**FIELDS, "time_left": "due in 5 working days"})

    assert notice.subject == (
        "Reminder – case CR-1001: Conclude the child and family assessment (manager authorisation), "
        "due in 5 working days (by Fri 15 Jan 2027)"
    )


def test_a_reminder_queued_before_the_subject_said_how_long_is_left_still_renders() -> None:
    notice = render("deadline_reminder", FIELDS)

    assert notice.subject.endswith("(manager authorisation), due (by Fri 15 Jan 2027)")


def test_a_newline_in_a_field_cannot_start_a_second_header_line() -> None:
    notice = render("deadline_reminder", {**FIELDS, "title": "Hold the meeting\nBcc: someone@example.invalid"})

    assert "\n" not in notice.subject


def test_the_digest_lists_each_deadline_by_case_reference_and_due_day() -> None:
    item = SimpleNamespace(case_reference="CR-7", title="Hold the strategy discussion", due_date=date(2027, 1, 8))

    fields = digest_fields(team_id="team-east", day=date(2027, 1, 11), overdue=[item], due_soon=[])
    body = render("team_digest", fields).body

    assert "- CR-7: Hold the strategy discussion, was due by Fri 8 Jan 2027" in body
    assert "Nothing is due." in body
    assert fields["overdue_count"] == "1" and fields["day"] == "Mon 11 Jan 2027"
