"""The initial child protection conference described: scheduled, reports shared, the chair's decision (§5)."""

from __future__ import annotations

from safeguarding.codes import Process, Role
from safeguarding.commands.conference import (
    AgreeDelay,
    DecideConference,
    RecordReportsShared,
    ScheduleConference,
    initial_conference_id,
)
from safeguarding.commands.reassign import ReassignToSocialWorker
from safeguarding.descriptions.description import DecisionDescription, ProcessDescription
from safeguarding.descriptions.reassign import reassign
from safeguarding.stages import InitialConferenceStage

SCHEDULING, SCHEDULED = InitialConferenceStage.SCHEDULING, InitialConferenceStage.SCHEDULED

INITIAL_CONFERENCE = ProcessDescription(
    process=Process.INITIAL_CONFERENCE,
    workflow="InitialConference",
    stages=(SCHEDULING, SCHEDULED),
    workflow_id=initial_conference_id,
    decisions=(
        DecisionDescription(
            name="schedule_conference",
            command=ScheduleConference,
            roles=(Role.TEAM_MANAGER, Role.BUSINESS_SUPPORT, Role.CONFERENCE_CHAIR),
            stages=(SCHEDULING, SCHEDULED),
            once=False,
            title="Set the conference date",
            help="Set (or move) the conference's date, a working day; the reports to parents fall due before it.",
        ),
        DecisionDescription(
            name="agree_delay",
            command=AgreeDelay,
            roles=(Role.TEAM_MANAGER, Role.CONFERENCE_CHAIR),
            stages=(SCHEDULED,),
            once=False,
            rationale_required=True,
            title="Agree the exceptional delay, with reasons",
            help="A date past 15 working days: the manager and the chair each agree it, with reasons.",
        ),
        DecisionDescription(
            name="record_reports_shared",
            command=RecordReportsShared,
            roles=(Role.SOCIAL_WORKER,),
            stages=(SCHEDULED,),
            title="Share the reports with the parents",
            help="The reports for the conference were shared with the parents.",
        ),
        DecisionDescription(
            name="decide_conference",
            command=DecideConference,
            roles=(Role.CONFERENCE_CHAIR,),
            stages=(SCHEDULED,),
            rationale_required=True,
            title="Chair's decision",
            help="The independent chair decides on a plan (its category, lead social worker and core group) or not.",
        ),
        reassign(ReassignToSocialWorker, (SCHEDULING, SCHEDULED), who="social worker"),
    ),
)
