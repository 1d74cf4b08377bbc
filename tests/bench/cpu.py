"""Processor time by process over a stretch of a benchmark: this process, the Temporal dev server, PostgreSQL.

A rate says how fast the machine went; where it is not saturated, or other work shares it, processor time says
more: which process did how much of the work (`tests.bench.lifecycle`, `tests.bench.step_costs`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import psutil


@dataclass(frozen=True)
class Cpu:
    """Processor seconds (user and system) used over a stretch of time, by process."""

    bench: float
    """This process: the drivers and the workers, ours and bare."""
    server: float
    """The Temporal dev server, a child of this process."""
    postgres: float
    """Every PostgreSQL process on the machine: the case store's, and any other's (idle on a quiet machine)."""

    @classmethod
    def since(cls, before: dict[int, tuple[str, float]]) -> Cpu:
        """Return the processor time used since `before` (a `cpu_by_process`); a process gone since is not counted."""
        used = dict.fromkeys(("bench", "server", "postgres"), 0.0)
        for pid, (kind, seconds) in cpu_by_process().items():
            used[kind] += seconds - before.get(pid, (kind, 0.0))[1]
        return cls(**used)

    def __add__(self, other: Cpu) -> Cpu:
        return Cpu(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def __sub__(self, other: Cpu) -> Cpu:
        return Cpu(*(getattr(self, f.name) - getattr(other, f.name) for f in fields(self)))

    @property
    def total(self) -> float:
        return self.bench + self.server + self.postgres


def cpu_by_process() -> dict[int, tuple[str, float]]:
    """Return each counted process's kind (a field of `Cpu`) and the processor seconds it has used so far."""
    me = psutil.Process()
    counted = [("bench", me)]
    counted += [("server", child) for child in me.children(recursive=True) if "temporal" in _name(child)]
    counted += [("postgres", process) for process in psutil.process_iter() if _name(process) == "postgres"]
    return {process.pid: (kind, _seconds(process)) for kind, process in counted}


NO_CPU = Cpu(0.0, 0.0, 0.0)


def _seconds(process: psutil.Process) -> float:
    """Return the processor seconds `process` has used, or none if it has gone or may not be read."""
    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


def _name(process: psutil.Process) -> str:
    try:
        return process.name()
    except psutil.Error:
        return ""
