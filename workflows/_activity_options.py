"""How long the shared activities may take and how they retry, the same for every process.

The case store and the plans register are retried without end (an outage must never lose a record);
a notice is given up after a day, when the chronology notes it as failed and the outbox keeps it.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio.common import RetryPolicy

ACTIVITY_TIMEOUT = timedelta(seconds=30)
STORE_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=5))
NOTICE_RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), maximum_interval=timedelta(minutes=10))
NOTICE_GIVE_UP = timedelta(hours=24)
"""A notice still undelivered after a day is noted as failed in the chronology; the outbox keeps it."""
