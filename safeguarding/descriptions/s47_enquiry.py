"""The section 47 enquiry described: led by the social worker, concluded by the manager (statutory-rules.md §4)."""

from __future__ import annotations

from safeguarding.codes import Process, Role
from safeguarding.commands.reassign import ReassignToSocialWorker
from safeguarding.commands.strategy_discussion import ConcludeEnquiry, s47_enquiry_id
from safeguarding.descriptions.description import DecisionDescription, ProcessDescription
from safeguarding.descriptions.reassign import reassign
from safeguarding.stages import S47Stage

S47_ENQUIRY = ProcessDescription(
    process=Process.S47_ENQUIRY,
    workflow="S47Enquiry",
    stages=(S47Stage.ENQUIRY,),
    workflow_id=s47_enquiry_id,
    decisions=(
        DecisionDescription(
            name="conclude_enquiry",
            command=ConcludeEnquiry,
            roles=(Role.TEAM_MANAGER,),
            stages=(S47Stage.ENQUIRY,),
            rationale_required=True,
            title="Conclude the section 47 enquiry",
            help="Substantiated (an initial conference is convened) or not (a plan, early help or no further action).",
        ),
        reassign(ReassignToSocialWorker, (S47Stage.ENQUIRY,), who="social worker leading the enquiry"),
    ),
)
