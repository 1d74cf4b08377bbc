"""The professional disagreement described: resolved or escalated at each of the profile's stages (§8).

Who may decide at each stage is the profile's (`[disagreement]`), within the ceiling described here; the
stages listed are every stage a profile may use, lowest first.
"""

from __future__ import annotations

from safeguarding.codes import DisagreementStage, Process
from safeguarding.commands.disagreement import EscalateDisagreement, ResolveDisagreement, disagreement_id
from safeguarding.commands.reassign import ReassignToManager
from safeguarding.descriptions.description import DecisionDescription, ProcessDescription
from safeguarding.descriptions.reassign import reassign
from safeguarding.descriptions.roles import DISAGREEMENT_DECIDERS

DISAGREEMENT = ProcessDescription(
    process=Process.DISAGREEMENT,
    workflow="Disagreement",
    stages=tuple(DisagreementStage),
    workflow_id=disagreement_id,
    decisions=(
        DecisionDescription(
            name="resolve_disagreement",
            command=ResolveDisagreement,
            roles=DISAGREEMENT_DECIDERS,
            stages=tuple(DisagreementStage),
            once=False,
            title="Resolve the disagreement: the outcome agreed in writing",
            help="The outcome agreed in writing at this stage, with any changed decision the process must accept.",
        ),
        DecisionDescription(
            name="escalate_disagreement",
            command=EscalateDisagreement,
            roles=DISAGREEMENT_DECIDERS,
            stages=tuple(DisagreementStage),
            once=False,
            rationale_required=True,
            title="Or escalate it, with reasons",
            help="Not resolved at this stage: escalate it to the next now, with the reasons.",
        ),
        reassign(ReassignToManager, tuple(DisagreementStage), who="manager"),
    ),
)
