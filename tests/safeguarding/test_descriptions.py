"""Each process described once: the descriptions match the workflows' Updates, name only real roles and stages,
and the command and role tables are derived from them."""

from __future__ import annotations

import typing

import pytest
from temporalio import workflow

from safeguarding import stages
from safeguarding.authority import DECISION_ROLES, roles_for
from safeguarding.codes import DisagreementStage, Process, Role
from safeguarding.commands import Decision
from safeguarding.commands.reassign import Reassign
from safeguarding.commands.registry import COMMANDS
from safeguarding.descriptions.assessment import ASSESSMENT
from safeguarding.descriptions.description import DecisionDescription, ProcessDescription
from safeguarding.descriptions.front_door import FRONT_DOOR
from safeguarding.descriptions.registry import DESCRIPTIONS, MACHINE_UPDATES
from safeguarding.named_practitioners import NamesPractitioner
from workflows._process import ProcessWorkflow
from workflows.registry import ALL_WORKFLOWS

DEFINITIONS = {cls: workflow._Definition.must_from_class(cls) for cls in ALL_WORKFLOWS}
PROCESSES = [cls for cls in ALL_WORKFLOWS if issubclass(cls, ProcessWorkflow)]
STAGE_ENUMS = [
    member
    for member in vars(stages).values()
    if isinstance(member, type)
    and issubclass(member, stages.Stage)
    and member not in (stages.Stage, stages.SharedStage)
]


def _decisions_of(cls: type) -> set[str]:
    return {name for name in DEFINITIONS[cls].updates if name is not None} - MACHINE_UPDATES


def test_every_process_workflow_is_described_under_its_own_name_and_no_other_workflow_is() -> None:
    described = {d.workflow: d for d in DESCRIPTIONS.values()}
    assert {DEFINITIONS[cls].name for cls in PROCESSES} == set(described)
    for cls in PROCESSES:
        assert described[DEFINITIONS[cls].name].process is cls.PROCESS
    for cls in set(ALL_WORKFLOWS) - set(PROCESSES):
        assert _decisions_of(cls) == set(), f"{DEFINITIONS[cls].name} takes decisions no description names"


@pytest.mark.parametrize("cls", PROCESSES, ids=lambda cls: cls.__name__)
def test_every_update_handler_is_described_and_every_description_has_its_handler(cls: type) -> None:
    description = DESCRIPTIONS[cls.PROCESS]
    updates = DEFINITIONS[cls].updates
    assert _decisions_of(cls) == {d.name for d in description.decisions}
    for decision in description.decisions:
        (takes,) = updates[decision.name].arg_types or []
        assert isinstance(takes, type) and issubclass(decision.command, takes), decision.name
        assert updates[decision.name].validator is not None, decision.name


@pytest.mark.parametrize("description", DESCRIPTIONS.values(), ids=lambda d: str(d.process))
def test_every_described_role_and_stage_is_real(description: ProcessDescription) -> None:
    (kind,) = {type(stage) for stage in description.stages}
    assert kind in STAGE_ENUMS or kind is DisagreementStage
    assert set(description.stages) == set(kind), "the path names every stage of the process, once"
    assert len(description.stages) == len(set(description.stages))
    for decision in description.decisions:
        assert decision.roles and all(isinstance(role, Role) for role in decision.roles), decision.name
        assert len(decision.roles) == len(set(decision.roles)), decision.name
        assert decision.stages and set(decision.stages) <= set(description.stages), decision.name
        assert issubclass(decision.command, Decision) and decision.command is not Decision, decision.name
        assert decision.help.strip() and "\n" not in decision.help, decision.name
        assert decision.title is None or decision.title.strip(), decision.name


def test_the_command_table_is_derived_from_the_descriptions() -> None:
    described: dict[str, list[DecisionDescription]] = {}
    for description in DESCRIPTIONS.values():
        for decision in description.decisions:
            described.setdefault(decision.name, []).append(decision)
    assert set(COMMANDS) == set(described)
    for name, decisions in described.items():
        if len(decisions) == 1:
            assert COMMANDS[name] is decisions[0].command, name
        else:
            assert all(issubclass(d.command, COMMANDS[name]) for d in decisions), name
    assert COMMANDS["reassign"] is Reassign


def test_the_role_table_is_derived_from_the_descriptions() -> None:
    for name, roles in DECISION_ROLES.items():
        allowed = {
            role
            for d in DESCRIPTIONS.values()
            for decision in d.decisions
            if decision.name == name
            for role in decision.roles
        }
        assert set(roles) == allowed and len(roles) == len(allowed), name
        assert roles_for(name) == roles
    assert DECISION_ROLES["decide_contact"] == FRONT_DOOR.decision("decide_contact").roles
    assert DECISION_ROLES["reassign"] == (Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.LADO_MANAGER)


@pytest.mark.parametrize("description", DESCRIPTIONS.values(), ids=lambda d: str(d.process))
def test_every_process_is_reassigned_by_its_managers_with_a_reason_to_someone_in_the_role_its_work_needs(
    description: ProcessDescription,
) -> None:
    reassign = description.decision("reassign")
    lado = description.process is Process.LADO
    assert reassign.roles == ((Role.LADO_MANAGER,) if lado else (Role.TEAM_MANAGER, Role.SERVICE_MANAGER))
    assert reassign.rationale_required and not reassign.once and reassign.title is None
    assert issubclass(reassign.command, Reassign) and reassign.command is not Reassign
    assert set(_named_roles(reassign.command)) < set(_named_roles(Reassign))


def test_a_decision_without_a_title_is_no_task_of_its_own_and_a_task_takes_its_described_title_and_roles() -> None:
    with pytest.raises(ValueError, match="not a task of its own"):
        ASSESSMENT.decision("return_assessment").task()
    task = ASSESSMENT.decision("authorise").task(assignee_id="prac-1")
    assert (task.key, task.decision, task.title, task.allowed_roles, task.assignee_id) == (
        "authorise",
        "authorise",
        "Authorise the assessment (or return it)",
        (Role.TEAM_MANAGER,),
        "prac-1",
    )
    assert [d.name for d in ASSESSMENT.tasks_at(stages.AssessmentStage.IN_PROGRESS)] == [
        "record_child_seen",
        "submit_assessment",
    ]


def test_a_description_refuses_stages_its_process_does_not_have_and_a_decision_without_roles() -> None:
    with pytest.raises(ValueError, match="stages it does not have"):
        ProcessDescription(
            process=FRONT_DOOR.process,
            workflow="FrontDoor",
            stages=(stages.FrontDoorStage.EDT,),
            decisions=(FRONT_DOOR.decision("decide_contact"),),
            workflow_id=str,
        )
    with pytest.raises(ValueError, match="names its roles"):
        DecisionDescription(name="x", command=Reassign, roles=(), stages=(stages.S47Stage.ENQUIRY,), help="x")


def _named_roles(model: type[Decision]) -> tuple[Role, ...]:
    hint = typing.get_type_hints(model, include_extras=True)["practitioner_id"]
    (marker,) = [m for m in typing.get_args(hint)[1:] if isinstance(m, NamesPractitioner)]
    return marker.roles
