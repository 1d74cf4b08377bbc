"""Every code a person meets has a label of its own (`safeguarding.labels`), and the console shows labels only.

Walks every code of every field of every decision, every stage of every process and every process's outcome:
a code added without a label, or labelled by capitalising it ("Nfa advice"), fails here.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path

import pytest

from safeguarding.codes import ContactOutcome, CpCategory, Process, Role
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.labels import LABELS, PROCESS_OUTCOMES, field_codes, label, vocabularies, words
from safeguarding.stages import AssessmentStage, FgcStage, SharedStage

TEMPLATES = Path(__file__).resolve().parents[1] / "safeguarding" / "console" / "templates"


def _mechanical(code: str) -> str:
    """Return the code as the console used to show it: underscores as spaces, capitalised."""
    return code.replace("_", " ").capitalize()


def _codes_people_read() -> list[tuple[str, type[Enum]]]:
    """Return (where, vocabulary) for each decision's field codes, each process's stages and its outcomes."""
    found: list[tuple[str, type[Enum]]] = [("shared stages", SharedStage)]
    for process, description in DESCRIPTIONS.items():
        found += [(f"{process} stages", type(stage)) for stage in description.stages]
        if process in PROCESS_OUTCOMES:
            found.append((f"{process} outcome", PROCESS_OUTCOMES[process]))
        for decision in description.decisions:
            found += [(f"{process}.{decision.name}", codes) for codes in field_codes(decision.command)]
    return list(dict.fromkeys(found))


CODES = [(where, vocabulary, member) for where, vocabulary in _codes_people_read() for member in vocabulary]


def test_the_walk_finds_the_codes_of_fields_nested_in_a_decision() -> None:
    walked = {vocabulary for _, vocabulary, _ in CODES}
    assert {ContactOutcome, CpCategory, AssessmentStage, FgcStage, SharedStage} <= walked
    assert Role not in walked, "who decides comes from the credential: the actor's role is no field of the form"


@pytest.mark.parametrize(("where", "vocabulary", "member"), CODES, ids=lambda v: str(getattr(v, "value", v)))
def test_every_code_a_person_chooses_or_reads_has_a_label_of_its_own(
    where: str, vocabulary: type[Enum], member: Enum
) -> None:
    shown = LABELS.get(vocabulary, {}).get(str(member.value))
    assert shown, f"{where}: {vocabulary.__name__}.{member.name} has no label in safeguarding/labels.py"
    assert shown.lower() != _mechanical(str(member.value)).lower(), f"{where}: {shown!r} only capitalises the code"
    assert label(member) == shown


def test_every_process_and_role_has_a_label() -> None:
    for code in [*Process, *Role]:
        assert LABELS[type(code)].get(str(code)), code


def test_every_decision_is_called_by_words_of_its_own() -> None:
    for description in DESCRIPTIONS.values():
        for decision in description.decisions:
            assert decision.called.lower() != _mechanical(decision.name).lower(), decision.name


def test_a_plain_stage_or_outcome_is_read_in_its_processs_vocabularies() -> None:
    assert words("allocation", Process.ASSESSMENT) == LABELS[AssessmentStage][AssessmentStage.ALLOCATION]
    assert words("allocation", Process.FGC) == LABELS[FgcStage][FgcStage.ALLOCATION]
    assert words("allocation", Process.ASSESSMENT) != words("allocation", Process.FGC)
    assert words("nfa_advice", Process.FRONT_DOOR) == "No further action (advice given)"
    assert words("s47_single_agency", Process.STRATEGY_DISCUSSION) == "Section 47 enquiry (single agency)"
    assert words("cin_plan", Process.ASSESSMENT) == "Child in need plan"
    assert words("closed", Process.LADO) == LABELS[SharedStage][SharedStage.CLOSED]
    assert words(Process.LADO) != words(Role.LADO)
    assert ContactOutcome in vocabularies(Process.FRONT_DOOR)


def test_words_that_are_no_code_are_shown_as_written() -> None:
    assert words("child seen", Process.ASSESSMENT) == "Child seen"
    assert words("allocated to prac_sw_1", Process.ASSESSMENT) == "Allocated to prac_sw_1"
    assert words("grandmother") == "Grandmother"


def test_no_template_spells_a_code_out_itself() -> None:
    mechanical = re.compile(r"replace\(\s*\"_\"|\|\s*capitalize")
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(TEMPLATES.glob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if mechanical.search(line)
    ]
    assert offenders == [], f"codes shown without safeguarding.labels (the words filter): {offenders}"
