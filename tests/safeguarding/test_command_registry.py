"""The map from a decision's name to its command model: complete, and agreeing with who may decide."""

from __future__ import annotations

from temporalio import workflow

from safeguarding.authority import DECISION_ROLES
from safeguarding.commands import Decision
from safeguarding.commands.registry import COMMANDS
from safeguarding.descriptions.registry import DESCRIPTIONS
from workflows.registry import ALL_WORKFLOWS


def test_every_decision_with_roles_has_a_command_model_and_no_other() -> None:
    assert set(COMMANDS) == set(DECISION_ROLES)
    assert all(issubclass(model, Decision) for model in COMMANDS.values())


def test_every_command_is_an_update_some_process_accepts_with_that_model() -> None:
    updates = {
        name: definition
        for cls in ALL_WORKFLOWS
        for name, definition in workflow._Definition.must_from_class(cls).updates.items()
        if name is not None
    }
    for name, model in COMMANDS.items():
        assert name in updates, name
        (takes,) = updates[name].arg_types or []
        # The Update's model, or a stricter one for decisions made now (`AuthoriseWithFindings`).
        assert isinstance(takes, type) and issubclass(model, takes), name


def test_each_process_takes_exactly_the_decisions_the_registry_gives_it() -> None:
    for cls in ALL_WORKFLOWS:
        process = getattr(cls, "PROCESS", None)
        updates = set(workflow._Definition.must_from_class(cls).updates)
        taken = {name for name in updates if name in COMMANDS}
        described = {d.name for d in DESCRIPTIONS[process].decisions} if process in DESCRIPTIONS else set()
        assert taken == described, cls.__name__
