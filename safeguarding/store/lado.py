"""Allegations against people who work with children: the notification, the children, the outcome (§6).

An allegation is a case of its own (`cases.kind = lado_allegation`, no child), so the LADO's process
keeps its record, deadlines and chronology like any other. The person the allegation is about is a row
in `people`: their name and date of birth live here only, and the process sees neither — the retention
date is worked out here (`retention_for`). The children involved keep their own cases and are linked.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import Field, model_validator
from sqlalchemy import RowMapping, delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import (
    LADO_REFERRAL_SOURCE,
    CaseKind,
    LadoNotifier,
    LadoOutcome,
    LadoRetention,
    NotificationMethod,
    Process,
)
from safeguarding.commands.lado import ChildReferral, OutcomeRecord, OutcomeRecorded
from safeguarding.commands.strategy_discussion import strategy_discussion_id
from safeguarding.models import AwareDatetime, Frozen, Id
from safeguarding.schema import cases, lado_allegations, lado_children, lado_outcomes, people
from safeguarding.store.direct_referrals import in_open_episode, record_direct_referral
from safeguarding.working_days import describe_day, local_date

RECORDS_KEPT_FOR_YEARS = 10
"""Records are kept until normal retirement age or 10 years, whichever is longer (statutory-rules.md §6)."""

_Text = Field(min_length=1, max_length=4000)


class PersonInPositionOfTrust(Frozen):
    """The adult the allegation is about. Personal data: it stays in the case store."""

    given_name: str = Field(min_length=1, max_length=200)
    family_name: str = Field(min_length=1, max_length=200)
    date_of_birth: date | None = None
    role: str = Field(min_length=1, max_length=200, description="Their job or role, e.g. teaching assistant.")
    is_teacher: bool = False
    address: str | None = Field(default=None, max_length=1000)


class Notification(Frozen):
    """What the LADO is told: who, where, what happened and when, who notified and how; the children involved.

    The base of the request that records an allegation (`safeguarding.service.lado`), which names the
    children by their cases' references, and of the form the case store keeps, which holds their case ids.
    """

    reference: Id = Field(description="The allegation's own reference (its case reference).")
    subject: PersonInPositionOfTrust
    employer: str = Field(min_length=1, max_length=400)
    setting: str = Field(min_length=1, max_length=400)
    agency: str | None = Field(default=None, max_length=400)
    what_happened: str = _Text
    happened_on: date | None = None
    came_to_attention_at: AwareDatetime
    action_taken: str = _Text
    children: tuple[Id, ...] = Field(default=(), description="The children involved, by their cases.")
    notifier_kind: LadoNotifier
    notifier_name: str = Field(min_length=1, max_length=200)
    notifier_organisation: str | None = Field(default=None, max_length=400)
    notifier_email: str | None = Field(default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    notifier_phone: str | None = Field(default=None, max_length=50)
    method: NotificationMethod
    notified_at: AwareDatetime

    @model_validator(mode="after")
    def _in_order(self) -> Notification:
        if self.came_to_attention_at > self.notified_at:
            raise ValueError("the LADO cannot be notified before the concern came to the employer's attention")
        if self.happened_on is not None and self.happened_on > local_date(self.came_to_attention_at):
            raise ValueError("what happened cannot be dated after it came to the employer's attention")
        if len(set(self.children)) != len(self.children):
            raise ValueError("a child is listed once")
        return self


class NotificationForm(Notification):
    """The LADO notification form as the case store keeps it: the children by their case ids, and the LADO team."""

    team_id: Id = Field(description="The LADO team.")


async def insert_allegation(form: NotificationForm, *, now: datetime, session: AsyncSession) -> str:
    """Record a notification as a new allegation case and return its case id (`allegation-<hex>`).

    Raises ValueError, naming ids only, for a notification dated in the future, a reference already in
    use, or a child's case that does not exist.
    """
    if form.notified_at > now:
        raise ValueError(f"the notification is dated {form.notified_at.isoformat()}, which is in the future")
    if (await session.execute(select(cases.c.id).where(cases.c.reference == form.reference))).first():
        raise ValueError(f"reference {form.reference} is already in use")
    known = set(
        (
            await session.execute(
                select(cases.c.id).where(cases.c.id.in_(form.children), cases.c.kind == CaseKind.CHILD.value)
            )
        ).scalars()
    )
    if missing := [child for child in form.children if child not in known]:
        raise ValueError(f"no child's case {missing[0]!r}")
    case_id, subject_id = f"allegation-{uuid.uuid4().hex[:12]}", f"person-{uuid.uuid4().hex[:12]}"
    person = form.subject
    await session.execute(
        insert(people).values(
            id=subject_id,
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=person.date_of_birth,
            address=person.address,
        )
    )
    await session.execute(
        insert(cases).values(
            id=case_id,
            reference=form.reference,
            kind=CaseKind.LADO_ALLEGATION.value,
            child_id=None,
            team_id=form.team_id,
            opened_at=form.notified_at,
        )
    )
    await session.execute(
        insert(lado_allegations).values(
            case_id=case_id,
            subject_id=subject_id,
            subject_role=person.role,
            subject_is_teacher=person.is_teacher,
            employer=form.employer,
            setting=form.setting,
            agency=form.agency,
            what_happened=form.what_happened,
            happened_on=form.happened_on,
            came_to_attention_at=form.came_to_attention_at,
            action_taken=form.action_taken,
            notifier_kind=str(form.notifier_kind),
            notifier_name=form.notifier_name,
            notifier_organisation=form.notifier_organisation,
            notifier_email=form.notifier_email,
            notifier_phone=form.notifier_phone,
            notification_method=str(form.method),
            notified_at=form.notified_at,
        )
    )
    if form.children:
        await session.execute(
            insert(lado_children).values(
                [{"allegation_case_id": case_id, "child_case_id": child} for child in form.children]
            )
        )
    return case_id


async def delete_allegation(case_id: str, *, session: AsyncSession) -> None:
    """Remove an allegation whose process could not be started, so a refused start leaves nothing behind.

    Only for that moment: once the process runs, the allegation has a chronology, which is never deleted.
    """
    allegation = await get_allegation(case_id, session=session)
    if allegation is None:
        return
    await session.execute(delete(lado_children).where(lado_children.c.allegation_case_id == case_id))
    await session.execute(delete(lado_allegations).where(lado_allegations.c.case_id == case_id))
    await session.execute(delete(cases).where(cases.c.id == case_id))
    await session.execute(delete(people).where(people.c.id == allegation["subject_id"]))


async def get_allegation(case_id: str, *, session: AsyncSession) -> RowMapping | None:
    """Return the allegation's notification row, or None when there is no such allegation."""
    query = select(lado_allegations).where(lado_allegations.c.case_id == case_id)
    return (await session.execute(query)).mappings().one_or_none()


async def list_children(case_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the children involved in the allegation: their case, and any referral to social care."""
    query = (
        select(lado_children, cases.c.reference.label("case_reference"))
        .join(cases, cases.c.id == lado_children.c.child_case_id)
        .where(lado_children.c.allegation_case_id == case_id)
        .order_by(cases.c.reference)
    )
    return (await session.execute(query)).mappings().all()


async def refer_children(
    allegation_case_id: str, child_case_ids: Sequence[str], referred_at: datetime, *, session: AsyncSession
) -> list[ChildReferral]:
    """Record the children's referral to social care and return each one's case and strategy discussion id.

    A child in no open CIN episode when the LADO refers them gets a referral the census returns (§9), with the
    LADO's census source; one in an open episode is already known to social care and gets none.
    Raises LookupError for a child who is not linked to the allegation. Idempotent: the same referral
    again writes the same values.
    """
    query = (
        select(cases.c.id, cases.c.reference, cases.c.team_id)
        .join(lado_children, lado_children.c.child_case_id == cases.c.id)
        .where(lado_children.c.allegation_case_id == allegation_case_id, cases.c.id.in_(child_case_ids))
    )
    found = {row.id: row for row in await session.execute(query)}
    referrals = []
    for child in child_case_ids:
        if child not in found:
            raise LookupError(f"child's case {child} is not linked to allegation {allegation_case_id}")
        row = found[child]
        workflow_id = strategy_discussion_id(row.reference, referred_at)
        await session.execute(
            update(lado_children)
            .where(lado_children.c.allegation_case_id == allegation_case_id, lado_children.c.child_case_id == child)
            .values(referred_at=referred_at, strategy_discussion_workflow_id=workflow_id)
        )
        if not await in_open_episode(child, local_date(referred_at), session=session):
            await record_direct_referral(
                case_id=child,
                workflow_id=workflow_id,
                process=Process.STRATEGY_DISCUSSION,
                received_at=referred_at,
                referral_source=LADO_REFERRAL_SOURCE,
                session=session,
            )
        referrals.append(
            ChildReferral(
                case_id=row.id,
                case_reference=row.reference,
                team_id=row.team_id,
                strategy_discussion_workflow_id=workflow_id,
            )
        )
    return referrals


@dataclass(frozen=True)
class Retention:
    """What happens to the record: the stored date and basis, and a summary that does not reveal the date.

    The date can reveal the person's date of birth (it is their retirement day when that is the later),
    so only `summary` goes back to the process.
    """

    retention: LadoRetention
    retain_until: date | None
    basis: str
    summary: str


async def record_outcome(record: OutcomeRecord, *, session: AsyncSession) -> OutcomeRecorded:
    """Store the outcome once, with its retention worked out from the person's date of birth.

    The first record of an allegation's outcome stands: a retry returns what was stored. Raises
    LookupError for an unknown allegation and ValueError when the retention depends on a date of birth
    that is not recorded.
    """
    query = select(lado_outcomes.c.retention, lado_outcomes.c.retention_basis).where(
        lado_outcomes.c.case_id == record.case_id
    )
    stored = (await session.execute(query)).one_or_none()
    if stored is not None:
        return OutcomeRecorded(retention=LadoRetention(stored.retention), summary=_summary(stored.retention_basis))
    query = (
        select(people.c.date_of_birth, lado_allegations.c.came_to_attention_at)
        .join(people, people.c.id == lado_allegations.c.subject_id)
        .where(lado_allegations.c.case_id == record.case_id)
    )
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise LookupError(f"unknown allegation {record.case_id}")
    retention = retention_for(
        record.outcome,
        date_of_birth=row.date_of_birth,
        allegation_on=local_date(row.came_to_attention_at),
        retirement_age=record.normal_retirement_age,
    )
    await session.execute(
        insert(lado_outcomes)
        .values(
            case_id=record.case_id,
            workflow_id=record.workflow_id,
            outcome=str(record.outcome),
            decided_at=record.decided_at,
            dbs_referral_required=record.dbs_referral_required,
            regulator_referral_required=record.regulator_referral_required,
            retention=str(retention.retention),
            retain_until=retention.retain_until,
            retention_basis=retention.basis,
        )
        .on_conflict_do_nothing()
    )
    return OutcomeRecorded(retention=retention.retention, summary=retention.summary)


def retention_for(
    outcome: LadoOutcome, *, date_of_birth: date | None, allegation_on: date, retirement_age: int
) -> Retention:
    """Return what happens to the record of an allegation with `outcome` (statutory-rules.md §6).

    Malicious: removed from the personnel record. Otherwise kept until the person's normal retirement
    age or for 10 years, whichever is longer. The 10 years count from the allegation (when it came to the
    employer's attention): the reference gives no start, so this is the convention chosen here. Raises
    ValueError when the date of birth is needed and not recorded.
    """
    if outcome is LadoOutcome.MALICIOUS:
        removed = "malicious: removed from the personnel record"
        return Retention(LadoRetention.REMOVE, None, removed, removed)
    if date_of_birth is None:
        raise ValueError("the person's date of birth is not recorded, so the retention date cannot be worked out")
    retirement = _years_after(date_of_birth, retirement_age)
    ten_years = _years_after(allegation_on, RECORDS_KEPT_FOR_YEARS)
    if retirement >= ten_years:
        summary = f"kept until normal retirement age ({retirement_age}), later than {RECORDS_KEPT_FOR_YEARS} years"
    else:
        summary = f"kept for {RECORDS_KEPT_FOR_YEARS} years, later than normal retirement age ({retirement_age})"
    until = max(retirement, ten_years)
    return Retention(LadoRetention.KEEP_UNTIL, until, f"{summary}: until {describe_day(until)}", summary)


def _summary(basis: str) -> str:
    return basis.split(": until ")[0]


def _years_after(day: date, years: int) -> date:
    """Return the same day `years` later; 29 February becomes 1 March in a year that is not a leap year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)
