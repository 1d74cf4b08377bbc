"""Clear text: every command, start input and person record refuses control characters (line breaks and tabs
excepted), so no value the case store cannot hold reaches a workflow."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator

import pytest
from pydantic import BaseModel, ValidationError

from safeguarding.codes import ConsentState, Role
from safeguarding.commands import Decision
from safeguarding.commands.assessment import DebriefAction, RecordDebrief
from safeguarding.commands.front_door import RecordConsent
from safeguarding.commands.registry import COMMANDS
from safeguarding.models import Actor, FromState, Frozen
from safeguarding.refusal import refusal_reason
from safeguarding.store.lado import PersonInPositionOfTrust
from safeguarding.text import check_clear, scrub, scrubbed
from workflows.registry import ALL_WORKFLOWS

ACTOR = Actor(practitioner_id="prac-1", role=Role.SOCIAL_WORKER, team_id="team-1")


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\x07", "\x7f", "\x85"])
def test_a_control_character_in_a_rationale_is_refused_naming_the_field_and_the_character(bad: str) -> None:
    with pytest.raises(ValidationError) as refused:
        RecordConsent(actor=ACTOR, consent=ConsentState.GIVEN, rationale=f"seen{bad}")

    [error] = refused.value.errors()
    assert error["loc"] == ("rationale",)
    assert f"control character U+{ord(bad[0]):04X} at position 5" in error["msg"]


def test_line_breaks_and_tabs_are_kept() -> None:
    text = "Line one\r\nLine two\n\tindented"
    assert RecordConsent(actor=ACTOR, consent=ConsentState.GIVEN, rationale=text).rationale == text


def test_a_lone_surrogate_is_refused_too() -> None:
    with pytest.raises(ValidationError):
        RecordConsent(actor=ACTOR, consent=ConsentState.GIVEN, rationale="seen\ud800")


def test_text_nested_in_a_command_is_checked() -> None:
    with pytest.raises(ValidationError, match="control character U\\+0000"):
        RecordDebrief(actor=ACTOR, actions=(DebriefAction(description="visit\x00", owner_id="prac-1"),))


def test_a_person_record_refuses_control_characters() -> None:
    with pytest.raises(ValidationError, match="control character U\\+0008"):
        PersonInPositionOfTrust(given_name="Sam\b", family_name="Example", role="teaching assistant")


CONFIGURATION = {
    "CensusSettings",
    "ClosedDay",
    "DisagreementProcedure",
    "DisagreementStageSetting",
    "Escalation",
    "LadoSettings",
    "OfficeHours",
    "ProcedureProfile",
    "ReferencePatterns",
    "Reminders",
    "RuleSetting",
    "TraySettings",
    "WorkingCalendar",
}
"""The procedure profile and the calendar: the authority's configuration, not a person's input."""
CARRIED_STATE = {
    "AssessmentState",
    "ChronologyEntry",
    "CpPlanState",
    "DecisionRecord",
    "Due",
    "LadoState",
    "ProcessCore",
    "TrackedDeadline",
}
"""What a process carries into its next run through continue-as-new: its own state, made from checked input."""


def _models(annotation: object) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models(field.annotation)
    for arg in typing.get_args(annotation):
        yield from _models(arg)
    if isinstance(annotation, types.UnionType):
        for arg in annotation.__args__:
            yield from _models(arg)


def _inputs() -> set[type[BaseModel]]:
    """Every model a person or system sends in: each decision's command and each workflow's start input."""
    roots: list[object] = list(COMMANDS.values())
    for workflow in ALL_WORKFLOWS:
        run = workflow.__temporal_workflow_definition.run_fn  # type: ignore[attr-defined]
        roots += [hint for name, hint in typing.get_type_hints(run).items() if name != "return"]
    return {model for root in roots for model in _models(root)}


def test_every_command_and_start_input_checks_its_text() -> None:
    inputs = _inputs()
    assert RecordDebrief in inputs and DebriefAction in inputs
    unchecked = sorted(
        m.__name__
        for m in inputs
        if m.__module__.startswith("safeguarding") and (not issubclass(m, Frozen) or issubclass(m, FromState))
    )
    assert unchecked == sorted(CONFIGURATION | CARRIED_STATE)
    assert all(issubclass(m, Decision) for m in COMMANDS.values())


def test_check_clear_looks_through_collections_and_mappings() -> None:
    assert check_clear({"a": ("b", ["c"])}) == {"a": ("b", ["c"])}
    with pytest.raises(ValueError, match="U\\+001B"):
        check_clear({"a": ("b", ["c\x1b"])})
    with pytest.raises(ValueError, match="U\\+0000"):
        check_clear({"key\x00": "value"})


def test_scrub_replaces_only_what_the_store_cannot_hold() -> None:
    assert scrub("a\x00b\r\nc\td\x7f") == "a\ufffdb\r\nc\td\ufffd"
    entry = FromState.model_construct()
    assert scrubbed(entry) == entry


def test_the_reason_for_an_unreadable_body_names_the_field_without_quoting_it() -> None:
    with pytest.raises(ValidationError) as refused:
        RecordConsent(actor=ACTOR, consent=ConsentState.GIVEN, rationale="the child's name\x00")

    reason = refusal_reason(RuntimeError(f"ValidationError: {refused.value}"))

    assert reason == (
        "the RecordConsent body is not valid: rationale: contains the control character U+0000 at position 17; "
        "only printable text, line breaks and tabs are accepted"
    )
