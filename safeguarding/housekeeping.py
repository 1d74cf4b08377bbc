"""Inputs and results of the service's own scheduled work: the daily digest, the calendar refresh and the sweep
of expired idempotency records."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from safeguarding.models import Frozen

SWEEP_BATCH = 1000
"""Records one statement of the sweep deletes at most: each batch commits on its own, so its locks are brief."""


class CalendarRequest(Frozen):
    """Ask for the current calendar of England and Wales as seen on `today`, with the profile's closures."""

    today: date


class CalendarDistribution(Frozen):
    """How many running processes were offered a newer calendar, and how many took it."""

    offered: int
    taken: int


class IdempotencySweepRequest(Frozen):
    """Delete the idempotency records claimed more than `retention_days` ago, `batch_size` at a time."""

    retention_days: int = Field(ge=1)
    batch_size: int = Field(default=SWEEP_BATCH, ge=1)


class IdempotencySweepResult(Frozen):
    """How many records the sweep deleted, in how many batches (the last one short, or empty)."""

    deleted: int
    batches: int
