"""What a process and each of its human decisions are, as plain data the workflows and their callers read.

A `DecisionDescription` is one Update a person makes: the command model it takes, the roles entitled to make
it, the stages where it is possible, whether it is made once, whether it needs a rationale, and the title of
its task in the work tray. A `ProcessDescription` is a process's stages in path order and its decisions.
Pure and deterministic: the workflows read them inside the sandbox.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from safeguarding.codes import Process, Role
from safeguarding.commands import Decision
from safeguarding.models import TaskView


@dataclass(frozen=True)
class DecisionDescription:
    """One human decision: an Update of the same name, checked by its validator against this description.

    `rationale_when` marks a rationale required only in some cases, which the workflow decides (in words, for
    the caller: "when the referral is not agreed"). `title` is the task's title in the work tray; a decision
    without one is never a task of its own (it is offered beside another, or made when needed), and has a
    `label` instead, so that every decision is named in words on a page (`called`).
    """

    name: str
    command: type[Decision]
    roles: tuple[Role, ...]
    stages: tuple[StrEnum, ...]
    help: str
    title: str | None = None
    once: bool = True
    rationale_required: bool = False
    rationale_when: str | None = None
    label: str | None = None

    def __post_init__(self) -> None:
        if not (self.roles and self.stages and self.help):
            raise ValueError(f"{self.name}: a decision names its roles, its stages and a line of help")
        if self.rationale_required and self.rationale_when:
            raise ValueError(f"{self.name}: a rationale is required always or only {self.rationale_when}, not both")
        if not (self.title or self.label):
            raise ValueError(f"{self.name}: a decision that is no task (no title) is named by a label")

    @property
    def called(self) -> str:
        """Return what a person calls this decision: its task's title, else its label."""
        return self.title or self.label or self.name

    def task(
        self,
        *,
        key: str | None = None,
        title: str | None = None,
        allowed_roles: tuple[Role, ...] | None = None,
        assignee_id: str | None = None,
        due_date: date | None = None,
    ) -> TaskView:
        """Return this decision as an open task; a title, key or narrower roles of the moment replace its own."""
        shown = title or self.title
        if shown is None:
            raise ValueError(f"{self.name} is not a task of its own")
        return TaskView(
            key=key or self.name,
            decision=self.name,
            title=shown,
            allowed_roles=allowed_roles or self.roles,
            assignee_id=assignee_id,
            due_date=due_date,
        )


@dataclass(frozen=True)
class ProcessDescription:
    """A process: its code, its workflow type, its own stages in path order, and its decisions.

    Every process may also pass through the shared stages (`stages.SharedStage`: disputed, then closed).
    `workflow_id` returns the id a process of this kind runs under (its arguments differ by process).
    """

    process: Process
    workflow: str
    stages: tuple[StrEnum, ...]
    decisions: tuple[DecisionDescription, ...]
    workflow_id: Callable[..., str]

    def __post_init__(self) -> None:
        names = [d.name for d in self.decisions]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.process}: a decision is described twice")
        for decision in self.decisions:
            strays = [stage for stage in decision.stages if stage not in self.stages]
            if strays:
                raise ValueError(f"{self.process}: {decision.name} is possible at stages it does not have: {strays}")

    def decision(self, name: str) -> DecisionDescription:
        """Return the decision `name` of this process."""
        found = next((d for d in self.decisions if d.name == name), None)
        if found is None:
            raise KeyError(f"{self.process} has no decision {name!r}")
        return found

    def tasks_at(self, stage: str) -> tuple[DecisionDescription, ...]:
        """Return the decisions that are tasks of their own at `stage`, in the order described."""
        return tuple(d for d in self.decisions if d.title is not None and stage in d.stages)
