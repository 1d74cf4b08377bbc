"""The workflow's own check of who sent an Update: no valid proof of identity, no decision.

Every Update's validator first checks the proof the service signed (`safeguarding.decision_proof`), so a
decision sent round the service — the `temporal` CLI, the Web UI, whose write actions the embedded dev
server cannot switch off — is refused in the workflow's own words and recorded nowhere: a refused Update
leaves no event in the history, and its handler, which writes to the case store, never runs.

Why this is deterministic: the check runs only in validators, and a validator runs only when an Update is
first delivered — on replay the SDK core sends the Update with `DoUpdate.run_validator` false ("validation
is not re-run during replay", its protocol says) — and an accepted Update's handler runs from its recorded
arguments whatever the keys are now. The keys reach the sandbox as a class attribute of the interceptor
class built once at worker start, outside the sandbox; nothing is read from the environment inside it. So
changing or rotating keys never changes a replay, and no `workflow.patched` is needed: recorded histories
replay as before.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from temporalio import workflow
from temporalio.worker import (
    HandleUpdateInput,
    Interceptor,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

from safeguarding.decision_proof import NO_PROOF, PROOF_HEADER, Keys, proof_problem
from workflows._decisions import rejected


class ProofCheck(Interceptor):
    """The worker interceptor that makes every workflow refuse an Update without a valid proof.

    `max_age` bounds how old a proof may be (production); None accepts any age (a time-skipping server's
    clock runs ahead of the service's).
    """

    def __init__(self, keys: Keys, *, max_age: timedelta | None = None) -> None:
        if not keys:
            raise ValueError("at least one proof key is needed")
        self.keys = list(keys)
        self.max_age = max_age

    def workflow_interceptor_class(self, input: WorkflowInterceptorClassInput) -> type[WorkflowInboundInterceptor]:
        attributes: dict[str, Any] = {"keys": self.keys, "max_age": self.max_age}
        return type("CheckingProofs", (_CheckingProofs,), attributes)


class _CheckingProofs(WorkflowInboundInterceptor):
    keys: ClassVar[Keys]
    max_age: ClassVar[timedelta | None]

    def handle_update_validator(self, input: HandleUpdateInput) -> None:
        problem = proof_problem(
            self.keys,
            input.headers.get(PROOF_HEADER),
            workflow_id=workflow.info().workflow_id,
            update=input.update,
            update_id=input.id,
            args=input.args,
            now=workflow.now(),
            max_age=self.max_age,
        )
        if problem is not None:
            # The workflow logger adds the ids: workflow, run, Update.
            workflow.logger.warning("refused Update %s: %s", input.update, problem)
            raise rejected(f"{input.update}: {NO_PROOF} ({problem})")
        super().handle_update_validator(input)
