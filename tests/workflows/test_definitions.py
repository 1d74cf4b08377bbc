"""The workflows' public contract stays put: names, inputs, Updates (each with its validator), queries, signals.

A running case and every caller (the command line, the API, the console) depend on these, so a refactoring
of the workflow code must leave them as they were. `definitions.json` is the contract as it stands; a
change to it is deliberate, made with `--update-definitions`, and shows in review.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from temporalio import workflow

from workflows.registry import ALL_WORKFLOWS

CONTRACT = Path(__file__).parent / "definitions" / "definitions.json"


def _type_name(hint: Any) -> str:
    return f"{hint.__module__}.{hint.__qualname__}" if isinstance(hint, type) else str(hint)


def _definitions() -> dict[str, Any]:
    contract: dict[str, Any] = {}
    for cls in ALL_WORKFLOWS:
        definition = workflow._Definition.from_class(cls)
        assert definition is not None and definition.name is not None
        contract[definition.name] = {
            "input": [_type_name(hint) for hint in definition.arg_types or []],
            "result": _type_name(definition.ret_type),
            "updates": {
                name: {
                    "input": [_type_name(hint) for hint in update.arg_types or []],
                    "result": _type_name(update.ret_type),
                    "validated": update.validator is not None,
                }
                for name, update in sorted(definition.updates.items())
                if name is not None
            },
            "queries": sorted(name for name in definition.queries if name is not None),
            "signals": sorted(name for name in definition.signals if name is not None),
        }
    return dict(sorted(contract.items()))


def test_the_workflow_definitions_are_unchanged(request: pytest.FixtureRequest) -> None:
    current = _definitions()
    if request.config.getoption("--update-definitions"):
        CONTRACT.write_text(json.dumps(current, indent=2) + "\n")
    assert current == json.loads(CONTRACT.read_text())


def test_every_decision_update_has_a_validator() -> None:
    unvalidated = [
        f"{name}.{update}"
        for name, spec in _definitions().items()
        for update, details in spec["updates"].items()
        if not details["validated"]
    ]
    assert unvalidated == []
