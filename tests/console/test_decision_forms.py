"""Decision forms made from the command models: which decisions the console can ask for, and how answers are read."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from safeguarding.codes import Role
from safeguarding.commands import Decision
from safeguarding.console.decision_forms import (
    CHECKBOXES,
    DATE,
    DATETIME,
    LINES,
    PRACTITIONER,
    RADIOS,
    RECORD,
    RECORDS,
    REPEATS,
    TEXTAREA,
    UNSUPPORTED,
    YES_NO,
    DecisionForm,
    Unreadable,
    decision_form,
    read_body,
)
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.working_days import LONDON

COMMON = {
    "decide_contact",
    "record_consent",
    "allocate",
    "submit_assessment",
    "authorise",
    "return_assessment",
    "decide_strategy",
    "decide_conference",
    "reassign",
}


def _forms() -> dict[tuple[str, str], DecisionForm]:
    return {
        (str(process), d.name): decision_form(
            d.command, rationale_required=d.rationale_required, rationale_when=d.rationale_when
        )
        for process, description in DESCRIPTIONS.items()
        for d in description.decisions
    }


def _form(process: str, name: str) -> DecisionForm:
    return _forms()[(process, name)]


def test_every_decision_of_every_process_is_fully_renderable_the_common_ones_included() -> None:
    unrenderable = {key for key, form in _forms().items() if not form.renderable}

    assert unrenderable == set()
    assert {name for (_, name) in _forms()} >= COMMON


def test_every_field_but_the_actor_is_asked_for() -> None:
    for (process, name), form in _forms().items():
        command = DESCRIPTIONS[process].decision(name).command  # type: ignore[index]
        assert [f.name for f in form.fields if f.name not in ("rationale", "effective_at")] == [
            field for field in command.model_fields if field not in ("actor", "rationale", "effective_at")
        ]


def test_a_type_the_form_cannot_ask_for_is_marked_and_makes_the_form_unrenderable() -> None:
    class Odd(Decision):
        shape: set[int]

    form = decision_form(Odd, rationale_required=False, rationale_when=None)

    assert (form.fields[0].name, form.fields[0].kind) == ("shape", UNSUPPORTED)
    assert not form.renderable


def test_a_list_of_nested_records_is_repeated_fieldsets_and_blank_ones_are_left_out() -> None:
    form = _form("joint_visit", "record_debrief")
    actions = form.fields[0]

    assert (actions.kind, len(actions.groups)) == (RECORDS, REPEATS)
    assert [f.name for f in actions.groups[1]] == ["actions-1-description", "actions-1-owner_id"]
    body = read_body(
        form,
        {
            "actions-0-description": "Book the paediatric assessment",
            "actions-0-owner_id": "prac-1",
            "actions-2-description": "Tell the school",
            "actions-2-owner_id": "",
            "neglect_concern": "true",
        },
    )
    assert body == {
        "actions": (
            {"description": "Book the paediatric assessment", "owner_id": "prac-1"},
            {"description": "Tell the school"},
        ),
        "neglect_concern": True,
    }
    harm_test = _form("lado", "consider_allegation").fields[0]
    assert (harm_test.kind, [f.key for f in harm_test.groups[0]]) == (
        RECORD,
        ["harmed_a_child", "possible_offence", "risk_of_harm", "unsuitable"],
    )


def test_a_code_is_a_radio_by_its_label_and_the_rationale_says_it_is_required() -> None:
    form = _form("front_door", "decide_contact")
    outcome, rationale, effective_at = form.fields

    assert (outcome.name, outcome.kind, outcome.required) == ("outcome", RADIOS, True)
    assert ("nfa_advice", "No further action (advice given)") in [(c.value, c.text) for c in outcome.choices]
    assert (rationale.kind, rationale.required, rationale.hint) == (
        TEXTAREA,
        True,
        "Required: say why this decision was made.",
    )
    assert (effective_at.kind, effective_at.required) == (DATETIME, False)


def test_a_census_code_is_shown_with_its_meaning_and_ids_naming_practitioners_are_selects_of_their_role() -> None:
    form = _form("initial_conference", "decide_conference")
    kinds = {f.name: f for f in form.fields}

    assert ("NEG", "Neglect (NEG)") in [(c.value, c.text) for c in kinds["category"].choices]
    assert (kinds["lead_social_worker_id"].kind, kinds["lead_social_worker_id"].roles) == (
        PRACTITIONER,
        (Role.SOCIAL_WORKER,),
    )
    assert kinds["core_group_member_ids"].kind == LINES
    assert _form("assessment", "allocate").fields[0].roles == (Role.SOCIAL_WORKER,)
    assert {f.kind for f in _form("lado", "record_allegation_outcome").fields if f.name == "resigned"} == {YES_NO}
    assert {f.kind for f in _form("cp_plan", "end_without_conference").fields if f.name.endswith("_on")} == {DATE}


def test_the_assessments_findings_are_a_census_code_as_radios_and_a_list_of_codes_as_checkboxes() -> None:
    kinds = {f.name: f for f in _form("assessment", "authorise").fields}
    need, factors = kinds["primary_need"], kinds["factors"]

    assert (need.kind, need.required) == (RADIOS, True)
    assert ("N1", "Abuse or neglect (N1)") in [(c.value, c.text) for c in need.choices]
    assert (factors.kind, factors.required) == (CHECKBOXES, True)
    assert ("16A", "Neglect (16A)") in [(c.value, c.text) for c in factors.choices]
    assert ("21", "No factors identified (21)") in [(c.value, c.text) for c in factors.choices]
    assert factors.hint is not None and factors.hint.startswith("Choose all that apply.")
    assert "factors" not in read_body(_form("assessment", "authorise"), {"outcome": "nfa", "factors": ""})


def test_answers_are_read_into_a_body_leaving_blanks_out() -> None:
    form = _form("assessment", "authorise")

    body = read_body(
        form,
        {
            "outcome": "cin_plan",
            "primary_need": "N1",
            "factors": "3B\n16A",
            "reasons_for_delay": "",
            "family_consents_to_health_lead": "false",
            "rationale": "  Needs a plan.\r\nSecond line.  ",
            "effective_at-day": "2",
            "effective_at-month": "3",
            "effective_at-year": "2026",
            "effective_at-time": "9:05",
        },
    )

    assert body == {
        "outcome": "cin_plan",
        "primary_need": "N1",
        "factors": ("3B", "16A"),
        "family_consents_to_health_lead": False,
        "rationale": "Needs a plan.\nSecond line.",
        "effective_at": datetime(2026, 3, 2, 9, 5, tzinfo=LONDON),
    }
    lines = read_body(_form("fgc", "refer_to_fgc"), {"questions": "one\r\n\r\n two \nthree", "bottom_lines": ""})
    assert lines == {"questions": ("one", "two", "three")}
    assert read_body(
        _form("cp_plan", "end_without_conference"),
        {
            "transfer_in_conference_on-day": "1",
            "transfer_in_conference_on-month": "12",
            "transfer_in_conference_on-year": "2025",
        },
    )["transfer_in_conference_on"] == date(2025, 12, 1)


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ({"effective_at-day": "31", "effective_at-month": "2", "effective_at-year": "2026"}, "must be a real date"),
        (
            {"effective_at-day": "1", "effective_at-month": "2", "effective_at-year": "2026", "effective_at-time": "9"},
            "needs a time",
        ),
    ],
)
def test_a_date_that_is_no_date_is_refused_naming_its_field(answers: dict[str, str], reason: str) -> None:
    with pytest.raises(Unreadable) as refused:
        read_body(_form("front_door", "decide_contact"), {"outcome": "assessment", **answers})

    assert refused.value.field == "effective_at"
    assert reason in refused.value.reason
