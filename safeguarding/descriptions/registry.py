"""Every process's description, and the maps the rest of the code reads, derived from them.

`COMMANDS` (`safeguarding.commands.registry`) and `DECISION_ROLES` (`safeguarding.authority`) are built here
from the descriptions, so a decision is added by describing it and writing its workflow's handler.
"""

from __future__ import annotations

from safeguarding.codes import Process, Role
from safeguarding.commands import Decision
from safeguarding.descriptions.assessment import ASSESSMENT
from safeguarding.descriptions.cp_plan import CP_PLAN
from safeguarding.descriptions.description import ProcessDescription
from safeguarding.descriptions.disagreement import DISAGREEMENT
from safeguarding.descriptions.fgc import FGC
from safeguarding.descriptions.front_door import FRONT_DOOR
from safeguarding.descriptions.initial_conference import INITIAL_CONFERENCE
from safeguarding.descriptions.joint_visit import JOINT_VISIT
from safeguarding.descriptions.lado import LADO
from safeguarding.descriptions.s47_enquiry import S47_ENQUIRY
from safeguarding.descriptions.strategy_discussion import STRATEGY_DISCUSSION

DESCRIPTIONS: dict[Process, ProcessDescription] = {
    d.process: d
    for d in (
        FRONT_DOOR,
        ASSESSMENT,
        JOINT_VISIT,
        STRATEGY_DISCUSSION,
        S47_ENQUIRY,
        INITIAL_CONFERENCE,
        CP_PLAN,
        LADO,
        FGC,
        DISAGREEMENT,
    )
}
"""The processes people decide in, in the order a case meets them (the scheduled housekeeping has none)."""

MACHINE_UPDATES = frozenset({"record_dispute", "apply_resolution", "apply_calendar"})
"""Updates every process takes from another process or the system, never from a person: not decisions."""


def describe(process: Process) -> ProcessDescription:
    """Return the description of `process`."""
    return DESCRIPTIONS[process]


def commands() -> dict[str, type[Decision]]:
    """Return each decision's command model, by name.

    A decision several processes take (the reassignment) has a model of its own in each, naming the role
    that process needs; this map holds the model they all derive from, which is the one their Update takes.
    A decision may also ask more of a decision made now than its Update takes from one recorded before (the
    assessment's findings, `AuthoriseWithFindings`): then this map holds that stricter model.
    """
    models: dict[str, list[type[Decision]]] = {}
    for description in DESCRIPTIONS.values():
        for decision in description.decisions:
            models.setdefault(decision.name, []).append(decision.command)
    return {name: _shared_base(name, found) for name, found in models.items()}


def decision_roles() -> dict[str, tuple[Role, ...]]:
    """Return who may make each decision, by name: for one several processes take, anyone any of them allows."""
    roles: dict[str, tuple[Role, ...]] = {}
    for description in DESCRIPTIONS.values():
        for decision in description.decisions:
            known = roles.get(decision.name, ())
            roles[decision.name] = known + tuple(r for r in decision.roles if r not in known)
    return roles


def _shared_base(name: str, models: list[type[Decision]]) -> type[Decision]:
    """Return the most derived model all of `models` derive from; `Decision` itself is no decision's model."""
    shared = next(base for base in models[0].__mro__ if all(issubclass(m, base) for m in models))
    if shared is Decision or not issubclass(shared, Decision):
        raise TypeError(f"{name}: its models {[m.__name__ for m in models]} share no command of their own")
    return shared
