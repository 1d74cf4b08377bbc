"""Commands: the human decisions each process accepts, one pydantic model per Update.

Every command carries the `Actor` who decides (resolved from the case store by the caller), an optional
`effective_at` for a decision made earlier than it is recorded (never in the future), and a rationale
where the rules require one. Names are imperative: `DecideContact`, `Authorise`.
"""

from __future__ import annotations

from pydantic import Field

from safeguarding.models import Actor, AwareDatetime, Frozen

Rationale = str


class Decision(Frozen):
    """What every human decision carries."""

    actor: Actor
    effective_at: AwareDatetime | None = Field(
        default=None, description="When the decision was made, if earlier than now; never in the future."
    )
    rationale: str | None = Field(default=None, max_length=4000)
