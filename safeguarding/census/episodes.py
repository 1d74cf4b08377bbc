"""From a child's case to their CIN episodes in a census year (statutory-rules.md §9).

- A referral is a contact the front door sent on to children's social care: for an assessment, a strategy
  discussion or immediate protection (§2). A contact closed with advice or early help is a contact, not a
  referral, so it is not returned: every episode here led to further action (`ReferralNFA` false).
- Work started without a contact records its own referral (`ReferralRoute.DIRECT`, read like the front door's):
  an assessment started from a referral, and a strategy discussion (on new concerns, or the LADO's) about a
  child who is not in an open episode when the concerns arise. One about a child in an open episode is not a
  referral: the DfE's census guide defines a referral as a request for services about a child not known to
  the authority or whose case has closed, and records none while the child's case is open (Children in need
  census guide for local authorities, §1.2.1 and the CINreferralDate item). `open_episode_on` is that test.
- A child is one Child in the return, whatever their cases: a closed case is not reopened, so a child
  referred again after their case closed has a new one, and their episodes are read over all of them.
- An episode runs from its referral to its closure. A referral received while the child's episode is open
  joins that episode: one child has one open episode at a time.
- What happened in an episode is what started on or after its referral and before the next episode's:
  assessments, section 47 enquiries with their initial conferences (paired in order), CIN and CP plans.
- An episode closes when the case is closed with a census reason (`cases.closure_reason`, RC1–RC9), or when
  the last thing done in it closed it: an assessment authorised with no further action (RC8) or referred to
  early help (RC9) (`codes.CENSUS_CLOSURE_REASON`, §3), or a section 47 enquiry not substantiated, with nothing
  open after it. "Closed after assessment" is only for an episode that was an assessment alone: one with an
  enquiry, a conference or a plan closes with services ceased (RC7; the DfE's rule 2990).
- Only what happened by the reference date counts; what was finished before the census year began is left
  out (an assessment authorised, a plan ended, an enquiry completed), as the DfE's rules require.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from safeguarding.census.caseload import ChildCase, Plan, ProcessRecord, Referral
from safeguarding.census.period import CensusPeriod
from safeguarding.census.returns import Assessment, CensusChild, Episode, ProtectionPlan, Section47
from safeguarding.codes import (
    CENSUS_CLOSURE_REASON,
    AssessmentOutcome,
    EnquiryOutcome,
    PlanKind,
    PrimaryNeed,
    Process,
    ReasonForClosure,
)

ENQUIRY_CLOSURE_REASON: dict[str, ReasonForClosure] = {
    EnquiryOutcome.NOT_SUBSTANTIATED_NFA: ReasonForClosure.SERVICES_CEASED,
    EnquiryOutcome.NOT_SUBSTANTIATED_EARLY_HELP: ReasonForClosure.SERVICES_CEASED,
}
"""Section 47 outcomes that close the episode, with their census reasons (§4, §9): services ceased (RC7), since
RC8 and RC9 ("closed after assessment") are for an episode with no enquiry, conference or plan (rule 2990)."""
AFTER_ASSESSMENT_ONLY = frozenset(
    {ReasonForClosure.CLOSED_AFTER_ASSESSMENT_NFA, ReasonForClosure.CLOSED_AFTER_ASSESSMENT_EARLY_HELP}
)
LA_CHILD_ID_LENGTH = 20
"""The longest LAchildID the DfE accepts (validator rule 1570); letters and digits only (rule 1580)."""


def la_child_id(person_id: str) -> str:
    """Return the child's census id: their id in letters and digits, or a stable digest of it if that is too long.

    The same child has the same id every year (the DfE links returns by it), and it names no one.
    """
    plain = re.sub(r"[^A-Za-z0-9]", "", person_id)
    if 0 < len(plain) <= LA_CHILD_ID_LENGTH:
        return plain
    return "C" + hashlib.sha256(person_id.encode()).hexdigest()[: LA_CHILD_ID_LENGTH - 1]


@dataclass(frozen=True)
class _Window:
    """What of a case falls into one episode: things started from `start` up to (not including) `until`."""

    referral: Referral
    until: date | None

    def holds(self, day: date) -> bool:
        return self.referral.received_on <= day and (self.until is None or day < self.until)


def census_child(case: ChildCase, period: CensusPeriod) -> CensusChild | None:
    """Return the child as the census returns them for `period`, or None if no episode of theirs falls in it."""
    episodes = [_episode(case, window, period) for window in _windows(case, period.reference_date)]
    kept = tuple(e for e in episodes if e.closure_on is None or e.closure_on >= period.first_day)
    if not kept:
        return None
    return CensusChild(la_child_id=la_child_id(case.child.person_id), child=case.child, episodes=kept)


def open_episode_on(case: ChildCase, day: date) -> bool:
    """Return whether the child is in an open CIN episode on `day`, as the census would read it that day.

    A strategy discussion started then belongs to that episode; one started outside any episode is a referral.
    """
    windows = _windows(case, day)
    return bool(windows) and _closure(case, windows[-1], day) is None


def _windows(case: ChildCase, ref: date) -> list[_Window]:
    """The child's episodes by the reference date `ref`: a referral opens one unless it came while one was open."""
    referrals = [r for r in case.referrals if r.is_referral and r.received_on <= ref and r.decided_on <= ref]
    windows: list[_Window] = []
    for referral in referrals:
        if windows:
            last = _Window(windows[-1].referral, referral.received_on)
            closed = _closure(case, last, ref)
            if closed is None or closed[0] >= referral.received_on:
                continue
            windows[-1] = last
        windows.append(_Window(referral, None))
    return windows


def _started(case: ChildCase, window: _Window, process: Process, ref: date) -> list[ProcessRecord]:
    return [p for p in case.processes if p.process == process and window.holds(p.started_on) and p.started_on <= ref]


def _plans(case: ChildCase, window: _Window, kind: PlanKind, ref: date) -> list[Plan]:
    return [p for p in case.plans if p.kind == kind and window.holds(p.started_on) and p.started_on <= ref]


def _by(dates: Sequence[date], ref: date) -> date | None:
    """The last of `dates` on or before the reference date."""
    held = [d for d in dates if d <= ref]
    return held[-1] if held else None


def _closure(case: ChildCase, window: _Window, ref: date) -> tuple[date, str] | None:
    """When and why the episode in `window` closed by the reference date `ref`, or None while it is open."""
    closed_on, reason = case.closures.get(window.referral.case_id, (None, None))
    if closed_on is not None and reason in set(ReasonForClosure) and closed_on <= ref and window.holds(closed_on):
        return closed_on, str(reason)
    finished: list[tuple[date, str | None]] = []
    beyond_assessment = False
    for process in (Process.ASSESSMENT, Process.S47_ENQUIRY, Process.INITIAL_CONFERENCE):
        for record in _started(case, window, process, ref):
            if record.closed_on is None or record.closed_on > ref:
                return None
            finished.append((record.closed_on, _closing_reason(record)))
            beyond_assessment = beyond_assessment or process is not Process.ASSESSMENT
    for plan in (*_plans(case, window, PlanKind.CIN, ref), *_plans(case, window, PlanKind.CP, ref)):
        if plan.ended_on is None or plan.ended_on > ref:
            return None
        finished.append((plan.ended_on, None))
        beyond_assessment = True
    if not finished:
        return None
    last_on = max(on for on, _ in finished)
    reasons = {reason for on, reason in finished if on == last_on}
    if len(reasons) == 1 and (reason := reasons.pop()) is not None:
        if beyond_assessment and reason in AFTER_ASSESSMENT_ONLY:
            reason = str(ReasonForClosure.SERVICES_CEASED)
        return last_on, reason
    return None


def _closing_reason(record: ProcessRecord) -> str | None:
    if record.process == Process.ASSESSMENT and record.outcome in set(AssessmentOutcome):
        return CENSUS_CLOSURE_REASON.get(AssessmentOutcome(record.outcome))
    if record.process == Process.S47_ENQUIRY and record.outcome in ENQUIRY_CLOSURE_REASON:
        return str(ENQUIRY_CLOSURE_REASON[record.outcome])
    return None


def _episode(case: ChildCase, window: _Window, period: CensusPeriod) -> Episode:
    ref, start = period.reference_date, period.first_day
    closed = _closure(case, window, ref)
    assessments: list[Assessment] = []
    primary_need = str(PrimaryNeed.NOT_STATED)
    for record in _started(case, window, Process.ASSESSMENT, ref):
        authorised = _by(record.decided_on.get("authorise", []), ref)
        finding = case.findings.get(record.workflow_id) if authorised else None
        if finding is not None:
            primary_need = finding.primary_need
        if authorised is None or authorised >= start:
            assessments.append(Assessment(record.started_on, authorised, finding.factors if finding else ()))
    conferences = _started(case, window, Process.INITIAL_CONFERENCE, ref)
    started_enquiries = _started(case, window, Process.S47_ENQUIRY, ref)
    enquiries: list[Section47] = []
    for index, record in enumerate(started_enquiries):
        conference = conferences[index] if index < len(conferences) else None
        held = _by(conference.decided_on.get("decide_conference", []), ref) if conference else None
        concluded = _by(record.decided_on.get("conclude_enquiry", []), ref)
        not_required = (
            held is None
            and concluded is not None
            and record.outcome is not None
            and record.outcome != EnquiryOutcome.SUBSTANTIATED
        )
        done = held or (concluded if not_required else None)
        if done is None or done >= start:
            target = case.icpc_targets.get(conference.workflow_id) if conference else None
            enquiries.append(Section47(record.started_on, target, held, not_required))
    without_s47 = conferences[len(started_enquiries) :]
    icpc_without_s47 = _by([d for c in without_s47 for d in c.decided_on.get("decide_conference", [])], ref)
    reviews = {p.workflow_id: p.decided_on.get("decide_review", []) for p in case.processes}
    return Episode(
        referral_on=window.referral.received_on,
        referral_source=window.referral.referral_source,
        primary_need=primary_need,
        closure_on=closed[0] if closed else None,
        closure_reason=closed[1] if closed else None,
        icpc_without_s47=icpc_without_s47 if period.within(icpc_without_s47) else None,
        assessments=assessments,
        cin_plans=[
            (p.started_on, _ended(p, ref))
            for p in _plans(case, window, PlanKind.CIN, ref)
            if p.ended_on is None or p.ended_on >= start
        ],
        enquiries=enquiries,
        protection_plans=[
            ProtectionPlan(
                started_on=p.started_on,
                ended_on=_ended(p, ref),
                initial_category=p.category,
                latest_category=p.latest_category or p.category,
                previous_plans=p.previous_plans,
                reviews=tuple(d for d in reviews.get(p.workflow_id, []) if period.within(d)),
            )
            for p in _plans(case, window, PlanKind.CP, ref)
            if p.ended_on is None or p.ended_on >= start
        ],
        pre_proceedings=[p for p in case.pre_proceedings if window.holds(p.started_on) and period.within(p.started_on)],
    )


def _ended(plan: Plan, ref: date) -> date | None:
    return plan.ended_on if plan.ended_on is not None and plan.ended_on <= ref else None
