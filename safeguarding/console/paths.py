"""A process drawn on its path: its description's stages in order, each done, where it stands now, or ahead.

The stages come from the process's description (`safeguarding.descriptions`), the stage it stands at from the
process itself (its `status`, or the case store's record of it). A process at a stage off its path (closed,
or on hold while a professional disagreement is open) has passed every stage of it, and stands at that one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from safeguarding.codes import Process
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.labels import label, words

State = Literal["done", "now", "ahead"]


@dataclass(frozen=True)
class Step:
    """One stage on the path: its words, and whether it is done, now or ahead."""

    stage: str
    text: str
    state: State


def path_of(process: Process, stage: str) -> tuple[Step, ...]:
    """Return the stages of `process` in order, marked against the stage it stands at."""
    stages = DESCRIPTIONS[process].stages
    values = [str(each) for each in stages]
    reached = values.index(stage) if stage in values else len(values)
    steps = [
        Step(value, label(each), "done" if index < reached else "now" if index == reached else "ahead")
        for index, (value, each) in enumerate(zip(values, stages, strict=True))
    ]
    if reached == len(values):
        steps.append(Step(stage, words(stage, process), "now"))
    return tuple(steps)
