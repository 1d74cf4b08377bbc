"""What a killed `make run` left running in its own data folder, found and stopped before the next one starts.

`make run` starts the Temporal dev server in a process group of its own and PostgreSQL through `pg_ctl` (a
daemon), so a SIGKILL of `make run` leaves both running: the next one would find its ports taken, and
pgserver's list of the processes using its server (`pgdata/.handle_pids.json`) would keep the dead one for
ever, so that no later run stops PostgreSQL either. The dev server's pid (and its run's) is kept in
`<data_dir>/temporal.pid` and PostgreSQL's in `pgdata/postmaster.pid`; what a live run uses is left alone.
A process is stopped only when it really is that server on this data folder (the `temporal` binary with
`--db-filename <data_dir>/temporal.db`, `postgres` with `-D <data_dir>/pgdata`): never another project's
servers, nor the system's PostgreSQL.
"""

from __future__ import annotations

import itertools
import logging
import os
import signal
import warnings
from pathlib import Path

import psutil

log = logging.getLogger(__name__)

TEMPORAL_PID = "temporal.pid"
STOP_TIMEOUT = 15.0


def remember_temporal(data_dir: Path, pid: int) -> None:
    """Note the pid of the dev server started on `data_dir`, and of this run, for the next run to find."""
    (data_dir / TEMPORAL_PID).write_text(f"{pid}\n{os.getpid()}\n")


def forget_temporal(data_dir: Path) -> None:
    """Remove the note once the dev server has stopped."""
    (data_dir / TEMPORAL_PID).unlink(missing_ok=True)


def stop_leftovers(data_dir: Path) -> None:
    """Stop the dev server and PostgreSQL that a killed run left on `data_dir`, and forget the dead run."""
    _stop_leftover_temporal(data_dir)
    _stop_leftover_postgres(data_dir / "pgdata")


def _stop_leftover_temporal(data_dir: Path) -> None:
    """Stop the dev server noted on `data_dir` if the run that started it is dead; a live run keeps its own."""
    noted, owner = _pids_in(data_dir / TEMPORAL_PID)
    if owner is not None and owner != os.getpid() and psutil.pid_exists(owner):
        return  # another run is using this folder: its ports are taken, which is said when they are checked
    if noted is not None and (process := _process(noted)) is not None and _is_dev_server_of(process, data_dir):
        log.warning("stopping the Temporal dev server (pid %d) that a killed run left on %s", noted, data_dir)
        _stop(process, signal.SIGTERM)
    forget_temporal(data_dir)


def _stop_leftover_postgres(pgdata: Path) -> None:
    """Forget dead users of the embedded server; stop the server when none is left alive.

    A live user (a command such as `decide` started it too) keeps it running, and stops it when it exits.
    """
    if not (pgdata / "PG_VERSION").exists():
        return
    with warnings.catch_warnings():  # imported here, as in `database.embedded_server`: it warns on import
        warnings.simplefilter("ignore", UserWarning)
        from pgserver.postgres_server import PostgresServer
        from pgserver.utils import DiskList

    with PostgresServer._lock:  # the lock pgserver itself takes to change the list
        users = DiskList(pgdata / ".handle_pids.json")
        alive = [pid for pid in users.get() if psutil.pid_exists(pid)]
        users.put(alive)
        noted = _pid_in(pgdata / "postmaster.pid")
        if alive or noted is None or (process := _process(noted)) is None or not _is_postgres_of(process, pgdata):
            return
        log.warning("stopping the PostgreSQL (pid %d) that a killed run left on %s", noted, pgdata)
        _stop(process, signal.SIGINT)  # PostgreSQL's fast shutdown: clients are disconnected, data is safe


def _pid_in(path: Path) -> int | None:
    """Return the pid on the first line of `path`, or None when there is none."""
    return _pids_in(path)[0]


def _pids_in(path: Path) -> tuple[int | None, int | None]:
    """Return the pids on the first two lines of `path` (None for each that is missing)."""
    try:
        lines = path.read_text().split("\n")
    except OSError:
        return None, None
    pids = [int(line) if line.strip().isdigit() else None for line in [*lines[:2], "", ""][:2]]
    return pids[0], pids[1]


def _process(pid: int) -> psutil.Process | None:
    try:
        return psutil.Process(pid)
    except psutil.Error:
        return None


def _arguments(process: psutil.Process) -> list[str]:
    try:
        return list(process.cmdline())
    except psutil.Error:
        return []


def _follows(arguments: list[str], option: str, value: str) -> bool:
    """Return whether `option` is followed by `value` on the command line."""
    return any(a == option and b == value for a, b in itertools.pairwise(arguments))


def _is_dev_server_of(process: psutil.Process, data_dir: Path) -> bool:
    arguments = _arguments(process)
    return (
        bool(arguments)
        and Path(arguments[0]).name == "temporal"
        and "start-dev" in arguments
        and _follows(arguments, "--db-filename", str(data_dir / "temporal.db"))
    )


def _is_postgres_of(process: psutil.Process, pgdata: Path) -> bool:
    arguments = _arguments(process)
    return bool(arguments) and Path(arguments[0]).name == "postgres" and _follows(arguments, "-D", str(pgdata))


def _stop(process: psutil.Process, first: signal.Signals) -> None:
    """Send `first` and wait; kill the process if it has not stopped in `STOP_TIMEOUT` seconds."""
    try:
        process.send_signal(first)
        process.wait(STOP_TIMEOUT)
    except psutil.TimeoutExpired:
        process.kill()
        process.wait(STOP_TIMEOUT)
    except psutil.NoSuchProcess:
        return
