"""Samples in, `name=value` lines out: median and a tail percentile in milliseconds, and the ratio to a baseline.

A ratio is always of the medians (the p50), the steadiest figure: a tail is reported beside it, not divided.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def percentile(samples: Sequence[float], rank: int) -> float:
    """Return the `rank`-th percentile by nearest rank (defined for any number of samples, even one)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)]


def p90(samples: Sequence[float]) -> float:
    return percentile(samples, 90)


def lines(name: str, samples: Sequence[float], baseline: Sequence[float] | None = None) -> list[str]:
    """Return `<name>_median_ms`, `<name>_p90_ms` and, given a baseline, `<name>_ratio_to_bare` (of the medians)."""
    out = [f"{name}_median_ms={_number(median(samples))}", f"{name}_p90_ms={_number(p90(samples))}"]
    if baseline is not None:
        out.append(f"{name}_ratio_to_bare={median(samples) / median(baseline):.2f}")
    return out


def tail_lines(name: str, samples: Sequence[float], tail: int, baseline: Sequence[float] | None = None) -> list[str]:
    """Return `<name>_p50_ms` (the median), `<name>_p<tail>_ms` and, given a baseline, `<name>_ratio_to_bare`."""
    out = [f"{name}_p50_ms={_number(median(samples))}", f"{name}_p{tail}_ms={_number(percentile(samples, tail))}"]
    if baseline is not None:
        out.append(f"{name}_ratio_to_bare={median(samples) / median(baseline):.2f}")
    return out


async def timed_ms(action: Callable[[], Awaitable[object]]) -> float:
    """Return how long `action()` took, in milliseconds of wall time."""
    started = time.perf_counter()
    await action()
    return (time.perf_counter() - started) * 1000


def _number(value: float) -> str:
    # Four significant figures, whatever the scale: 123.4 for a workflow, 0.01234 for a function call.
    return f"{value:.4g}"
