"""The figures' arithmetic: percentiles by nearest rank, and which lines a benchmark prints."""

from __future__ import annotations

from tests.bench.report import percentile, tail_lines


def test_a_percentile_is_the_sample_at_its_nearest_rank() -> None:
    samples = [float(value) for value in range(100, 0, -1)]  # 100 down to 1: the order given does not matter

    assert percentile(samples, 50) == 50
    assert percentile(samples, 95) == 95
    assert percentile(samples, 99) == 99
    assert percentile(samples, 100) == 100


def test_a_percentile_of_few_samples_is_one_of_them() -> None:
    assert percentile([7.0], 99) == 7
    assert percentile([3.0, 1.0], 50) == 1
    assert percentile([3.0, 1.0], 99) == 3


def test_tail_lines_give_the_median_the_tail_and_the_ratio_of_the_medians() -> None:
    baseline = [1.0, 2.0, 3.0]
    samples = [4.0, 6.0, 8.0, 100.0]

    assert tail_lines("api_thing", samples, 99, baseline) == [
        "api_thing_p50_ms=7",
        "api_thing_p99_ms=100",
        "api_thing_ratio_to_bare=3.50",
    ]
    assert tail_lines("bare_thing", baseline, 95) == ["bare_thing_p50_ms=2", "bare_thing_p95_ms=3"]
