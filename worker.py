"""The composition root: settings -> case store -> channels -> Temporal client -> Worker and Schedules.

Everything is built here at start-up, never at import, and passed in explicitly. `python -m worker`
runs it against the configured servers (production, docker-compose); `python -m starter run` runs it
against the embedded default. The database is migrated to head before the worker polls; when it is
unreachable, the worker polls at once and the migration is retried meanwhile (`safeguarding.outages`).

SIGTERM (what `docker compose stop` sends) or SIGINT stops it gracefully: it stops polling, lets the
activities in flight finish for up to `SAFEGUARDING_WORKER_SHUTDOWN_SECONDS`, then cancels what is left
(Temporal retries those elsewhere) and exits 0. The compose file's `stop_grace_period` is longer than that.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleRange,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.worker import Interceptor, Worker

from activities.bank_holidays import BankHolidayActivities
from activities.case_store import CaseStoreActivities
from activities.channels import NotificationChannel
from activities.disagreements import DisagreementActivities
from activities.fgc import FgcActivities
from activities.govuk_notify import GovukNotifyChannel
from activities.health_record import HealthRecordActivities
from activities.lado import LadoActivities
from activities.mail import SmtpChannel
from activities.notifications import NotificationActivities
from activities.outages import OutageInterceptor
from activities.plans import PlanActivities
from activities.refusals import RefusedDataInterceptor
from activities.temporal_fleet import TemporalFleetActivities
from safeguarding.codec import PayloadKeyError
from safeguarding.codes import Channel
from safeguarding.config import Settings
from safeguarding.database import create_activity_engine, database_url
from safeguarding.decision_proof import PRODUCTION_MAX_AGE, Keys
from safeguarding.housekeeping import IdempotencySweepRequest
from safeguarding.outages import MigrationGate, log_pool_outages_in_one_line, migrate_if_reachable, retry_migration
from safeguarding.procedure_profile import ProcedureProfile, load_profile
from safeguarding.temporal import connect, payload_keys, proof_keys
from safeguarding.temporal_token import fresh_token
from workflows._proof_check import ProofCheck
from workflows.registry import ALL_WORKFLOWS

log = logging.getLogger("safeguarding.worker")

WEEKDAYS = (ScheduleRange(1, 5),)
"""Monday (1) to Friday (5): bank holidays are skipped by the workflows themselves."""


def build_channel(settings: Settings) -> NotificationChannel:
    """Return the configured notification channel: SMTP e-mail or GOV.UK Notify."""
    if settings.notification_channel is Channel.GOVUK_NOTIFY:
        assert settings.notify_api_key is not None
        return GovukNotifyChannel(
            settings.notify_api_key.get_secret_value(), settings.notify_base_url, settings.notify_template_ids
        )
    return SmtpChannel(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_sender,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        starttls=settings.smtp_starttls,
    )


def build_activities(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    channel: NotificationChannel,
    profile: ProcedureProfile,
    client: Client,
    task_queue: str,
) -> Sequence[Callable]:
    """Return every activity the worker registers (the tests register the same list)."""
    store = CaseStoreActivities(sessionmaker)
    health = HealthRecordActivities(sessionmaker)
    notices = NotificationActivities(sessionmaker, channel)
    holidays = BankHolidayActivities(profile, sessionmaker)
    fleet = TemporalFleetActivities(client, task_queue)
    fgc = FgcActivities(sessionmaker)
    lado = LadoActivities(sessionmaker)
    plans = PlanActivities(sessionmaker)
    disagreements = DisagreementActivities(sessionmaker, client)
    return [
        store.record_process,
        store.get_case_facts,
        store.record_assessment_findings,
        store.process_id_on_case,
        store.sweep_idempotency_records,
        health.flag_vulnerable_child,
        notices.send_notice,
        notices.send_team_digests,
        holidays.load_calendar,
        fleet.distribute_calendar,
        fleet.start_process,
        fleet.tell_emergency_action,
        # -- plans --
        plans.start_plan,
        plans.end_plan,
        plans.record_plan_category,
        # -- LADO --
        lado.refer_children,
        lado.record_outcome,
        # -- family group conference --
        fgc.check_fgc_consent_giver,
        fgc.store_fgc_referral,
        fgc.store_fgc_participants,
        fgc.store_fgc_plan,
        fgc.store_fgc_plan_decision,
        fgc.store_fgc_child_voice,
        # -- professional disagreement --
        disagreements.record_dispute_on_process,
        disagreements.apply_resolution_to_process,
        disagreements.record_resolution_on_finished,
        disagreements.record_disagreement,
    ]


def worker_interceptors(keys: Keys, *, max_proof_age: timedelta | None = None) -> list[Interceptor]:
    """Return the interceptors every worker runs with, the tests' too: an outage of the case store is retried
    quietly, data the store refuses is not retried at all, and an Update without a valid proof of identity
    under `keys` (`workflows._proof_check`) is refused."""
    return [OutageInterceptor(), RefusedDataInterceptor(), ProofCheck(keys, max_age=max_proof_age)]


def _at(moment: time) -> ScheduleSpec:
    return ScheduleSpec(
        calendars=[
            ScheduleCalendarSpec(
                hour=(ScheduleRange(moment.hour),), minute=(ScheduleRange(moment.minute),), day_of_week=WEEKDAYS
            )
        ],
        time_zone_name="Europe/London",
    )


def schedules(settings: Settings, profile: ProcedureProfile) -> dict[str, Schedule]:
    """Return the service's Schedules by id: the daily digest, the calendar refresh and the idempotency sweep."""
    return {
        "daily-digest": Schedule(
            action=ScheduleActionStartWorkflow("DailyDigest", id="daily-digest", task_queue=settings.task_queue),
            spec=_at(profile.office.digest_time),
        ),
        "calendar-refresh": Schedule(
            action=ScheduleActionStartWorkflow(
                "CalendarRefresh", id="calendar-refresh", task_queue=settings.task_queue
            ),
            spec=_at(settings.calendar_refresh_time),
        ),
        "idempotency-sweep": Schedule(
            action=ScheduleActionStartWorkflow(
                "IdempotencySweep",
                IdempotencySweepRequest(retention_days=settings.idempotency_retention_days),
                id="idempotency-sweep",
                task_queue=settings.task_queue,
            ),
            spec=_at(settings.idempotency_sweep_time),
        ),
    }


async def ensure_schedules(client: Client, settings: Settings, profile: ProcedureProfile) -> None:
    """Create the Schedules, or bring existing ones up to date with the settings and profile."""
    for schedule_id, schedule in schedules(settings, profile).items():
        try:
            await client.create_schedule(schedule_id, schedule)
        except ScheduleAlreadyRunningError:

            def replace(_: ScheduleUpdateInput, new: Schedule = schedule) -> ScheduleUpdate:
                return ScheduleUpdate(schedule=new)

            await client.get_schedule_handle(schedule_id).update(replace)


def stop_on_signals() -> asyncio.Event:
    """Return an event that SIGTERM or SIGINT sets, in place of Python's default (die at once, or raise)."""
    loop, stop = asyncio.get_running_loop(), asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    return stop


async def _until_stopped(stop: asyncio.Event, retrying: asyncio.Task[None] | None) -> None:
    """Wait for `stop`; a migration retry that fails for good (a fault, not an outage) ends the wait with its error."""
    stopped = asyncio.create_task(stop.wait())
    try:
        if retrying is not None:
            await asyncio.wait({stopped, retrying}, return_when=asyncio.FIRST_COMPLETED)
            if retrying.done():
                retrying.result()
        await stopped
    finally:
        stopped.cancel()


async def run(
    settings: Settings, database_url: str, *, ready: asyncio.Event | None = None, stop: asyncio.Event | None = None
) -> None:
    """Migrate the case store (retried while it is unreachable), run the worker and keep the Schedules in place.

    Runs until `stop` is set (never, without one), then shuts the worker down gracefully.
    """
    profile = load_profile(settings.profile_path)
    keys = payload_keys(settings)  # before anything starts: production refuses a development key
    engine = create_activity_engine(database_url)
    log_pool_outages_in_one_line(engine)
    gate = MigrationGate(engine)
    # A reachable case store is migrated before the worker polls; an unreachable one is retried meanwhile.
    migrated = await migrate_if_reachable(database_url, gate)
    retrying = None if migrated else asyncio.create_task(retry_migration(database_url, gate))
    try:
        client = await connect(settings, keys=keys)
        await ensure_schedules(client, settings, profile)
        activities = build_activities(
            sessionmaker=async_sessionmaker(engine, expire_on_commit=False),
            channel=build_channel(settings),
            profile=profile,
            client=client,
            task_queue=settings.task_queue,
        )
        async with (
            fresh_token(client, settings),
            Worker(
                client,
                task_queue=settings.task_queue,
                workflows=ALL_WORKFLOWS,
                activities=activities,
                interceptors=worker_interceptors(
                    proof_keys(settings, keys),
                    max_proof_age=PRODUCTION_MAX_AGE if settings.environment == "production" else None,
                ),
                graceful_shutdown_timeout=timedelta(seconds=settings.worker_shutdown_seconds),
                max_concurrent_workflow_tasks=settings.workflow_task_slots,
            ),
        ):
            log.info(
                "worker polling %s on %s (profile %s)", settings.task_queue, settings.temporal_address, profile.ref
            )
            if ready is not None:
                ready.set()
            await _until_stopped(stop or asyncio.Event(), retrying)
            log.info(
                "worker stopping: no new tasks; activities in flight have %gs to finish",
                settings.worker_shutdown_seconds,
            )
    finally:
        if retrying is not None:
            retrying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await retrying
        await engine.dispose()


def main() -> None:
    """Run the worker against the configured servers (`python -m worker`)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings()

    async def serve() -> None:
        await run(settings, database_url(settings, settings.data_dir), stop=stop_on_signals())

    try:
        asyncio.run(serve())
    except PayloadKeyError as exc:
        log.error("cannot start: %s", exc)
        sys.exit(2)
    log.info("worker stopped")


if __name__ == "__main__":
    main()
