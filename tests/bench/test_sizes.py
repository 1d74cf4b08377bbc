"""How big the bench runs: tiny under BENCH_QUICK=1, the full sizes by default, each settable on its own."""

from __future__ import annotations

from tests.bench.histories import recorded_max_events
from tests.bench.sizes import QUICK, Sizes, sizes


def test_quick_takes_the_tiny_sizes_whatever_else_is_set() -> None:
    assert sizes({"BENCH_QUICK": "1", "BENCH_REFERRALS": "9"}) == QUICK


def test_the_full_sizes_are_a_national_year_and_five_thousand_plans() -> None:
    full = sizes({})

    assert full == Sizes()
    assert (full.referrals, full.national_open_plans) == (650_000, 50_000)
    assert (full.running_cases, full.worker_plans) == (500, (1_000, 5_000))


def test_each_size_is_set_by_its_own_variable() -> None:
    given = sizes({"BENCH_REFERRALS": "65000", "BENCH_WORKER_PLANS": "100,500", "BENCH_LIFECYCLES": "5"})

    assert (given.referrals, given.worker_plans, given.lifecycles) == (65_000, (100, 500), 5)
    assert given.national_open_plans == Sizes().national_open_plans


def test_the_largest_recorded_history_is_counted_in_events() -> None:
    events, name = recorded_max_events()

    assert events > 0 and name.endswith(".json")
