"""The front door described: a contact screened by day, or first by the Emergency Duty Team (statutory-rules.md §2)."""

from __future__ import annotations

from safeguarding.codes import Process, Role
from safeguarding.commands.front_door import (
    DecideContact,
    DecideOutOfHours,
    OverrideConsent,
    RecordConsent,
    front_door_id,
)
from safeguarding.commands.reassign import ReassignToTeamManager
from safeguarding.descriptions.description import DecisionDescription, ProcessDescription
from safeguarding.descriptions.reassign import reassign
from safeguarding.stages import FrontDoorStage

SCREENING, EDT = FrontDoorStage.SCREENING, FrontDoorStage.EDT

FRONT_DOOR = ProcessDescription(
    process=Process.FRONT_DOOR,
    workflow="FrontDoor",
    # Out of hours a contact goes to the Emergency Duty Team first, then to the day team.
    stages=(EDT, SCREENING),
    workflow_id=front_door_id,
    decisions=(
        DecisionDescription(
            name="record_consent",
            command=RecordConsent,
            roles=(Role.SOCIAL_WORKER, Role.TEAM_MANAGER),
            stages=(SCREENING,),
            title="Record consent to information gathering",
            help="Whether those with parental responsibility consent to information gathering from other agencies.",
        ),
        DecisionDescription(
            name="override_consent",
            command=OverrideConsent,
            roles=(Role.TEAM_MANAGER,),
            stages=(SCREENING,),
            rationale_required=True,
            label="Override consent (statutory grounds)",
            help="Proceed without consent where seeking it would risk significant harm or a criminal investigation.",
        ),
        DecisionDescription(
            name="decide_contact",
            command=DecideContact,
            roles=(Role.TEAM_MANAGER,),
            stages=(SCREENING,),
            rationale_required=True,
            title="Decide the response to the referral",
            help="The response to the contact within the referral clock: an assessment or strategy discussion starts.",
        ),
        DecisionDescription(
            name="decide_out_of_hours",
            command=DecideOutOfHours,
            roles=(Role.EDT_WORKER,),
            stages=(EDT,),
            rationale_required=True,
            title="Out of hours: immediate protection needed?",
            help="The Emergency Duty Team takes immediate protection; anything else waits for the day team.",
        ),
        reassign(ReassignToTeamManager, (EDT, SCREENING), who="team manager"),
    ),
)
