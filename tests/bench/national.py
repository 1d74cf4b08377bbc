"""A team's work tray in a case store holding a national year's volume, written in bulk with SQL.

England sees about 650,000 referrals to children's social care a year and has about 50,000 children on a
child protection plan at any time (the DfE's Characteristics of children in need; `--referrals` and
`--open-plans` scale them). The volume is written by `generate_series` straight into the case store's
tables, in a database of the bench's own: per referral a child, a case, an assessment's process record,
its three tasks (the front door's decision and the allocation done, the submission open while the
assessment runs) and its 45-working-day deadline; per open plan a process record, the plan, its two open
tasks (the core group and the review) with their deadlines, and four tasks done in earlier months. Cases
spread over one team per 430 referrals (about 1,500 teams: ten in each of 152 authorities), so each team
holds its own share of open work among everyone's.

Timed is the tray's own query (`safeguarding.store.tasks.list_tray_tasks`, a team's first page) and its
counts, against a bare select of the same page from the same index; the plan of the tray's query (EXPLAIN
ANALYZE) is printed on stderr and must scan the tasks by index, never sequentially.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import RowMapping, event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from safeguarding.codes import TaskState
from safeguarding.schema import human_tasks
from safeguarding.store.tasks import TaskFilter, TeamTasks, count_tray_tasks, list_tray_tasks
from tests.bench.report import tail_lines

REFERRALS_PER_TEAM = 430
TEAM = "nat-team-1"
"""The team whose tray is read: one like any other, with its share of the nation's open work."""
OPEN_ASSESSMENT_EVERY = 8
"""One referral in eight has its assessment still running: 45 working days of a year's 250 or so."""
PAGE = 51
"""The first page the tray's route asks for: its 50 and one more, to know whether there is a next."""
SCANNED_TABLES = ("human_tasks", "deadlines", "process_records", "cases")
"""The tables the tray reads: a sequential scan of any of them would grow with the nation's volume."""

_VOLUME = """
INSERT INTO teams (id, name)
  SELECT 'nat-team-' || t, 'National team ' || t FROM generate_series(0, :teams - 1) AS t;
INSERT INTO people (id, given_name, family_name, date_of_birth)
  SELECT 'nat-child-' || n, 'Child', 'Fictional', DATE '2012-01-01' + (n % 5000)
  FROM generate_series(1, :referrals) AS n;
INSERT INTO cases (id, reference, child_id, team_id, opened_at)
  SELECT 'nat-case-' || n, 'NAT-' || n, 'nat-child-' || n, 'nat-team-' || (n % :teams),
         :year_start + make_interval(mins => (n * 525600::bigint / :referrals)::int)
  FROM generate_series(1, :referrals) AS n;
INSERT INTO process_records (workflow_id, case_id, process, stage, team_id, profile_ref, started_at, closed_at)
  SELECT 'nat-assessment-' || n, 'nat-case-' || n, 'assessment',
         CASE WHEN n % :open_every = 0 THEN 'in_progress' ELSE 'closed' END,
         'nat-team-' || (n % :teams), 'national', c.opened_at,
         CASE WHEN n % :open_every = 0 THEN NULL ELSE c.opened_at + interval '40 days' END
  FROM generate_series(1, :referrals) AS n JOIN cases c ON c.id = 'nat-case-' || n;
INSERT INTO human_tasks (workflow_id, task_key, case_id, team_id, decision, title, allowed_roles, due_date,
                         state, opened_at, closed_at)
  SELECT 'nat-assessment-' || n, k.key, 'nat-case-' || n, 'nat-team-' || (n % :teams), k.key, k.title,
         ARRAY[k.role], :today + ((n % 63) - 14),
         CASE WHEN k.key = 'submit_assessment' AND n % :open_every = 0 THEN 'open' ELSE 'done' END,
         :year_start, CASE WHEN k.key = 'submit_assessment' AND n % :open_every = 0 THEN NULL ELSE :year_start END
  FROM generate_series(1, :referrals) AS n
  CROSS JOIN (VALUES ('decide_contact', 'Decide on the contact', 'team_manager'),
                     ('allocate', 'Allocate the assessment', 'team_manager'),
                     ('submit_assessment', 'Submit the assessment', 'social_worker')) AS k(key, title, role);
INSERT INTO deadlines (workflow_id, deadline_key, case_id, team_id, rule_id, title, due_date, passes_at, basis,
                       citation, state)
  SELECT 'nat-assessment-' || n, 'assessment', 'nat-case-' || n, 'nat-team-' || (n % :teams), 'assessment',
         'Assessment', :today + ((n % 63) - 14), (:today + ((n % 63) - 13))::timestamptz,
         '45 working days from the referral', 'statutory-rules.md §3',
         CASE WHEN n % :open_every <> 0 THEN 'met' WHEN (n % 63) < 14 THEN 'missed' ELSE 'pending' END
  FROM generate_series(1, :referrals) AS n;
INSERT INTO process_records (workflow_id, case_id, process, stage, team_id, profile_ref, started_at)
  SELECT 'nat-cp-plan-' || p, 'nat-case-' || n, 'cp_plan', 'active', 'nat-team-' || (n % :teams), 'national',
         :year_start
  FROM generate_series(1, :open_plans) AS p, LATERAL (SELECT p * (:referrals / :open_plans) AS n) AS picked;
INSERT INTO plans (workflow_id, kind, case_id, child_id, category, started_on)
  SELECT 'nat-cp-plan-' || p, 'cp', 'nat-case-' || n, 'nat-child-' || n, 'N', :today - (p % 700)
  FROM generate_series(1, :open_plans) AS p, LATERAL (SELECT p * (:referrals / :open_plans) AS n) AS picked;
INSERT INTO human_tasks (workflow_id, task_key, case_id, team_id, decision, title, allowed_roles, due_date,
                         state, opened_at, closed_at)
  SELECT 'nat-cp-plan-' || p, k.key || '-' || k.month, 'nat-case-' || n, 'nat-team-' || (n % :teams), k.key,
         k.title, ARRAY['social_worker'], :today + ((p + k.month * 7) % 120) - 20 * k.month,
         CASE WHEN k.month = 0 THEN 'open' ELSE 'done' END, :year_start,
         CASE WHEN k.month = 0 THEN NULL ELSE :year_start END
  FROM generate_series(1, :open_plans) AS p, LATERAL (SELECT p * (:referrals / :open_plans) AS n) AS picked
  CROSS JOIN (VALUES ('record_core_group', 'Record the core group', 0),
                     ('record_review', 'Record the review', 0),
                     ('record_core_group', 'Record the core group', 1),
                     ('record_core_group', 'Record the core group', 2),
                     ('record_review', 'Record the review', 3),
                     ('record_core_group', 'Record the core group', 4)) AS k(key, title, month);
INSERT INTO deadlines (workflow_id, deadline_key, case_id, team_id, rule_id, title, due_date, passes_at, basis,
                       citation, state)
  SELECT 'nat-cp-plan-' || p, k.key, 'nat-case-' || n, 'nat-team-' || (n % :teams), k.key, k.title,
         :today + (p % 120), (:today + (p % 120) + 1)::timestamptz, 'national volume',
         'statutory-rules.md §5', 'pending'
  FROM generate_series(1, :open_plans) AS p, LATERAL (SELECT p * (:referrals / :open_plans) AS n) AS picked
  CROSS JOIN (VALUES ('core_group', 'Core group'), ('review', 'Review')) AS k(key, title);
ANALYZE;
"""


@dataclass(frozen=True)
class Volume:
    """How much the national case store holds."""

    referrals: int
    open_plans: int

    @property
    def teams(self) -> int:
        return max(2, round(self.referrals / REFERRALS_PER_TEAM))


async def write_volume(engine: AsyncEngine, volume: Volume, *, today: date) -> float:
    """Write the volume into the (empty, migrated) case store; return the seconds it took."""
    # Literals, not bind parameters: each is an int or a date of ours, and PostgreSQL then knows their types.
    year_start = today - timedelta(days=365)
    literals = {
        "teams": str(volume.teams),
        "referrals": str(volume.referrals),
        "open_plans": str(volume.open_plans),
        "open_every": str(OPEN_ASSESSMENT_EVERY),
        "today": f"DATE '{today.isoformat()}'",
        "year_start": f"TIMESTAMPTZ '{year_start.isoformat()} 00:00+00'",
    }
    script = re.sub(r"(?<!:):([a-z_]+)\b", lambda name: literals[name[1]], _VOLUME)
    started = time.perf_counter()
    async with engine.begin() as connection:
        for statement in filter(None, (part.strip() for part in script.split(";"))):
            await connection.exec_driver_sql(statement)
    return time.perf_counter() - started


async def tray_reads(
    sessions: async_sessionmaker[AsyncSession], team_id: str, reads: int, *, today: date
) -> tuple[list[float], list[float], list[float]]:
    """Time `reads` of the team's first page, of its counts and of the bare page select, interleaved."""
    now = datetime.now(UTC)
    page, counts, bare = [], [], []
    async with sessions() as session:
        for _ in range(reads):
            page.append(await _timed(_first_page(team_id, now=now, today=today, session=session)))
            counts.append(
                await _timed(
                    count_tray_tasks(
                        TeamTasks(team_id), now=now, today=today, week_ends=today + timedelta(days=7), session=session
                    )
                )
            )
            bare.append(await _timed(_bare_page(team_id, session=session)))
    return page, counts, bare


async def explain_tray(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], team_id: str, *, today: date
) -> str:
    """Return the plan (EXPLAIN ANALYZE) PostgreSQL runs the tray's first page by, as its text."""
    caught: list[tuple[str, Any]] = []

    def catch(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        caught.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", catch)
    try:
        async with sessions() as session:
            await _first_page(team_id, now=datetime.now(UTC), today=today, session=session)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", catch)
    statement, parameters = caught[-1]
    async with engine.connect() as connection:
        rows = await connection.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters)
        return "\n".join(row[0] for row in rows)


def sequential_scans(plan: str) -> list[str]:
    """Return the tray's tables the plan reads by a sequential scan (none, when the indexes serve it)."""
    return [table for table in SCANNED_TABLES if re.search(rf"Seq Scan on {table}\b", plan)]


def lines(
    volume: Volume, seconds: float, page: Sequence[float], counts: Sequence[float], bare: Sequence[float], plan: str
) -> list[str]:
    """Return the figures: the volume, the reads beside the bare select, and the plan's sequential scans."""
    scans = sequential_scans(plan)
    return [
        f"worktray_referrals={volume.referrals}",
        f"worktray_open_plans={volume.open_plans}",
        f"worktray_teams={volume.teams}",
        f"worktray_volume_written_s={seconds:.1f}",
        *tail_lines("worktray_query", page, 95, bare),
        *tail_lines("worktray_counts", counts, 95, bare),
        *tail_lines("worktray_bare_select", bare, 95),
        f"worktray_plan_sequential_scans={len(scans)}",
    ]


async def _first_page(team_id: str, *, now: datetime, today: date, session: AsyncSession) -> Sequence[RowMapping]:
    """Read the team's first page as the tray's route does."""
    return await list_tray_tasks(
        TeamTasks(team_id), TaskFilter(), now=now, today=today, after=None, limit=PAGE, session=session
    )


async def _bare_page(team_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Read the team's first page of open tasks by a plain select on the same index: no joins, no deadlines."""
    task = human_tasks.c
    query = (
        select(human_tasks)
        .where(task.team_id == team_id, task.state == TaskState.OPEN)
        .order_by(task.due_date.asc().nulls_last(), task.id)
        .limit(PAGE)
    )
    return (await session.execute(query)).mappings().all()


async def _timed(read: Awaitable[object]) -> float:
    started = time.perf_counter()
    await read
    return (time.perf_counter() - started) * 1000
