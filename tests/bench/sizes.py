"""How big each benchmark runs: the full sizes the README's figures are of, tiny ones, or each set apart.

`BENCH_QUICK=1` takes the tiny sizes (the suite's test of the bench machinery runs them); otherwise each
size is its environment variable's value, else the full size. Opening 5,000 plans took 6 minutes of a
2-core machine busy with other work (load average 5 to 10, 13.4 plans a second), the smaller cache and
its reads half a minute more; `BENCH_WORKER_PLANS=1000` stops at 1,000 plans (about a minute and a half).
Writing the national volume took about five.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Sizes:
    """Each benchmark's size; the field's environment variable is `BENCH_` and its name in capitals."""

    lifecycle_rounds: int = 2
    """Phases of each kind, bare and ours taking turns."""
    lifecycles: int = 20
    """Lifecycles per phase."""
    lifecycle_concurrency: int = 20
    """Lifecycles at once: enough to keep both cores busy."""
    step_workflows: int = 100
    """Workflows of each kind (plain steps, an upsert or a patch before each) per turn of the step costs."""
    running_cases: int = 500
    """Cases running while decisions are timed."""
    decisions: int = 100
    """Decisions timed, and as many bare Updates."""
    referrals: int = 650_000
    """A national year's referrals in the worktray's case store."""
    national_open_plans: int = 50_000
    """Open child protection plans in the worktray's case store."""
    tray_reads: int = 100
    """Reads of the team's tray timed, and of its counts and of the bare select."""
    worker_plans: tuple[int, ...] = (1_000, 5_000)
    """Open plans the worker's memory is read at."""
    worker_small_cache: int = 500
    """The smaller sticky cache whose memory and reads of evicted plans are measured against holding them all."""
    worker_queries: int = 50
    """Reads timed of a plan evicted from the smaller cache, and as many of a plan it holds."""


QUICK = Sizes(
    lifecycle_rounds=1,
    lifecycles=2,
    lifecycle_concurrency=2,
    step_workflows=2,
    running_cases=4,
    decisions=2,
    referrals=2_000,
    national_open_plans=100,
    tray_reads=3,
    worker_plans=(4, 8),
    worker_small_cache=4,
    worker_queries=2,
)


def sizes(environ: Mapping[str, str] = os.environ) -> Sizes:
    """Return the quick sizes under `BENCH_QUICK=1`, else the full ones with any `BENCH_<FIELD>` set."""
    if environ.get("BENCH_QUICK") == "1":
        return QUICK
    given: dict[str, Any] = {}
    for field in fields(Sizes):
        value = environ.get(f"BENCH_{field.name.upper()}")
        if value is not None:
            given[field.name] = (
                tuple(int(part) for part in value.split(",")) if field.name == "worker_plans" else int(value)
            )
    return Sizes(**given)
