"""The largest workflow history, against Temporal's limit of 51,200 events per run.

Three sources: the replay histories the workflow tests recorded (`tests/replay/histories`, among them the
five-year child protection plan, which continues as new at each review); every workflow this bench run
started on its dev server (the lifecycles, the running cases, the open plans), as its visibility reports
their history lengths; and every run of every process of the simulated year (`starter.history_sizes`, read by
the simulation itself before its time-skipping server stops). Temporal warns at 10,240 events and fails a
run at 51,200.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from temporalio.client import Client

EVENT_LIMIT = 51_200
HISTORIES = Path(__file__).resolve().parents[1] / "replay" / "histories"


def recorded_max_events(folder: Path = HISTORIES) -> tuple[int, str]:
    """Return the most events of one recorded history, and that history's file name."""
    lengths = [(len(json.loads(path.read_text())["events"]), path.name) for path in folder.glob("*.json")]
    return max(lengths, default=(0, ""))


async def run_max_events(client: Client) -> int:
    """Return the most events of one workflow run on the server the client is connected to."""
    most = 0
    async for execution in client.list_workflows():
        most = max(most, execution.history_length)
    return most


def lines(bench_run: int, simulation: int) -> list[str]:
    """Return the largest history of each source and of all, and the share of the limit it uses."""
    recorded, name = recorded_max_events()
    print(f"largest recorded history: {name} ({recorded} events)", file=sys.stderr)
    largest = max(recorded, bench_run, simulation)
    return [
        f"histories_max_events_recorded={recorded}",
        f"histories_max_events_bench_run={bench_run}",
        f"histories_max_events_simulation={simulation}",
        f"histories_max_events={largest}",
        f"histories_event_limit={EVENT_LIMIT}",
        f"histories_share_of_limit={largest / EVENT_LIMIT:.4f}",
    ]
