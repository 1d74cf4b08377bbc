"""The LADO's process described: an allegation from notification to outcome and referrals (statutory-rules.md §6).

The LADO decides and records; their manager may act for them, and alone reassigns an allegation to another
LADO. The employer's actions are recorded by the LADO as the employer reports them: the person the
allegation is about never takes part.
"""

from __future__ import annotations

from safeguarding.codes import Process, Role
from safeguarding.commands.lado import (
    ConsiderAllegation,
    RecordAllegationMeeting,
    RecordAllegationOutcome,
    RecordBarringReferral,
    RecordEmployerAction,
    RecordPoliceInvestigation,
    RespondToNotification,
    lado_workflow_id,
)
from safeguarding.commands.reassign import ReassignToLado
from safeguarding.descriptions.description import DecisionDescription, ProcessDescription
from safeguarding.descriptions.reassign import reassign
from safeguarding.stages import LadoStage

OPEN_STAGES = (LadoStage.ALLEGATION_MANAGEMENT, LadoStage.PAUSED)
"""Between the initial consideration and the outcome; paused while the police investigate."""
_LADO = (Role.LADO, Role.LADO_MANAGER)

LADO = ProcessDescription(
    process=Process.LADO,
    workflow="Lado",
    stages=(LadoStage.INITIAL_CONSIDERATION, *OPEN_STAGES, LadoStage.REFERRALS),
    workflow_id=lado_workflow_id,
    decisions=(
        DecisionDescription(
            name="respond_to_notification",
            command=RespondToNotification,
            roles=_LADO,
            stages=(LadoStage.INITIAL_CONSIDERATION,),
            title="Respond to the notifier",
            help="Respond to whoever notified the allegation, with advice: this meets the response clock.",
        ),
        DecisionDescription(
            name="consider_allegation",
            command=ConsiderAllegation,
            roles=_LADO,
            stages=(LadoStage.INITIAL_CONSIDERATION,),
            title="Consider the harm test",
            help="The four limbs of the harm test, each recorded; met, the allegation is managed, else it closes.",
        ),
        DecisionDescription(
            name="record_allegation_meeting",
            command=RecordAllegationMeeting,
            roles=_LADO,
            stages=OPEN_STAGES,
            once=False,
            title="Hold the allegation management meeting",
            help="The allegation management meeting, then each review meeting; the next review falls due after it.",
        ),
        DecisionDescription(
            name="record_police_investigation",
            command=RecordPoliceInvestigation,
            roles=_LADO,
            stages=OPEN_STAGES,
            once=False,
            title="Record a police investigation",
            help="The police investigation started (the case pauses) or ended (it resumes).",
        ),
        DecisionDescription(
            name="record_employer_action",
            command=RecordEmployerAction,
            roles=_LADO,
            stages=OPEN_STAGES,
            once=False,
            rationale_when="for a suspension decision",
            title="Record what the employer reports",
            help="What the employer reports on suspension, its investigation or discipline.",
        ),
        DecisionDescription(
            name="record_allegation_outcome",
            command=RecordAllegationOutcome,
            roles=_LADO,
            stages=OPEN_STAGES,
            rationale_required=True,
            title="Record the outcome",
            help="The outcome, which says which barring referrals are required; the record's retention follows.",
        ),
        DecisionDescription(
            name="record_barring_referral",
            command=RecordBarringReferral,
            roles=_LADO,
            stages=(LadoStage.REFERRALS,),
            once=False,
            title="Record the barring referral",
            help="A required referral to the DBS or the teaching regulator was made; the last one closes the case.",
        ),
        reassign(
            ReassignToLado,
            (LadoStage.INITIAL_CONSIDERATION, *OPEN_STAGES, LadoStage.REFERRALS),
            who="LADO",
            roles=(Role.LADO_MANAGER,),
        ),
    ),
)
