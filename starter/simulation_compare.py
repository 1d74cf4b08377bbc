"""What-if runs of the simulation: the options that change demand and capacity, and two reports side by side.

A head of service asks "what if referrals rose by 15%?" or "what if we had two managers fewer?": the
variant run takes those options, the baseline the same seed, period and profile without them, and
`side_by_side` prints each indicator of both timeliness reports with the difference in its share, in
percentage points. Demand is the number of referrals; capacity is the managers' pace (`Behaviour`).
"""

from __future__ import annotations

import re

from safeguarding.timeliness.report import TimelinessReport

WIDTH = 64
_CHANGE = re.compile(r"(?P<number>[+-]?\d+(\.\d+)?)%?")


def demand_change(text: str) -> float:
    """Parse `+15%`, `-10%` or `15` into a fraction (0.15): the change in referrals."""
    found = _CHANGE.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"--demand-change: {text!r} is not a percentage such as +15% or -10%")
    change = float(found["number"]) / 100
    if change <= -1:
        raise ValueError("--demand-change: referrals cannot fall by 100% or more")
    return change


def referrals_with(referrals: int, change: float) -> int:
    """Return the referrals of a run with demand changed by `change` (at least one)."""
    return max(1, round(referrals * (1 + change)))


def side_by_side(baseline: TimelinessReport, variant: TimelinessReport) -> str:
    """Return both reports' indicators in one table, with the variant's change in share (percentage points)."""
    header = f"{'Indicator':<{WIDTH}} {'Baseline':>16} {'Variant':>16} {'Difference':>11}"
    lines = [
        f"What-if {baseline.year}: baseline and variant, counted to {variant.as_of:%d %b %Y}",
        header,
        "-" * len(header),
    ]
    theirs = {indicator.key: indicator for indicator in variant.indicators}
    for ours in baseline.indicators:
        other = theirs.get(ours.key)
        if other is None:
            continue
        lines.append(
            f"{ours.title[:WIDTH]:<{WIDTH}} {_cell(ours.numerator, ours.denominator, ours.share):>16} "
            f"{_cell(other.numerator, other.denominator, other.share):>16} {_difference(ours.share, other.share):>11}"
        )
    return "\n".join(lines)


def _cell(numerator: int, denominator: int, share: float | None) -> str:
    return f"{numerator}/{denominator} " + (f"{share:6.1%}" if share is not None else "     -")


def _difference(baseline: float | None, variant: float | None) -> str:
    if baseline is None or variant is None:
        return "-"
    return f"{(variant - baseline) * 100:+.1f} pp"
