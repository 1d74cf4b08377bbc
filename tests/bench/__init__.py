"""Benchmarks (`make bench`, `python -m tests.bench`): what our machinery costs against bare Temporal and FastAPI.

Speed is measured, not asserted: every figure is reported beside a bare baseline (bare Temporal, a bare
FastAPI route) run in the same process, against the same servers, as `name=value` lines (median and p90 in
milliseconds; p50 and p99 or p95 over HTTP; and the ratio of the medians). Nothing here fails because
something is slow; the tests never assert wall-clock times.
"""
