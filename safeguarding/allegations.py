"""The LADO's process as plain data: its stages, the harm test in words, its work tray (statutory-rules.md §6).

Pure: the LADO workflow calls these with the state it carries, so the work tray can be read (and tested)
without a running process.
"""

from __future__ import annotations

from collections.abc import Mapping

from safeguarding.codes import BarringReferral
from safeguarding.commands.lado import LadoState
from safeguarding.descriptions.lado import LADO, OPEN_STAGES
from safeguarding.models import TaskView
from safeguarding.process_state import TrackedDeadline
from safeguarding.stages import LadoStage

HARM_TEST_LIMBS = {
    "harmed_a_child": "has harmed or may have harmed a child",
    "possible_offence": "possibly committed a criminal offence against or related to a child",
    "risk_of_harm": "may pose a risk of harm to children",
    "unsuitable": "may not be suitable to work with children (transferable risk)",
}
"""The four limbs of the harm test (§6), by their field on `HarmTest`, in plain words."""


def required_referrals(*, removed_from_regulated_activity: bool, is_teacher: bool) -> list[BarringReferral]:
    """Return the referrals an outcome requires (§6, SVGA 2006 s35): DBS on removal, and a teacher's regulator."""
    if not removed_from_regulated_activity:
        return []
    return [BarringReferral.DBS, BarringReferral.TEACHING_REGULATOR] if is_teacher else [BarringReferral.DBS]


def lado_tasks(
    stage: str, state: LadoState, deadlines: Mapping[str, TrackedDeadline], assignee_id: str | None
) -> list[TaskView]:
    """Return the decisions the LADO's process awaits at `stage`, each due by its deadline where it has one."""
    tasks: list[tuple[str, str, str | None, str | None]] = []  # key, decision, title (else as described), deadline
    if stage == LadoStage.INITIAL_CONSIDERATION:
        if not state.responded:
            tasks.append(("respond_to_notification", "respond_to_notification", None, "response"))
        tasks.append(("consider_allegation", "consider_allegation", None, "response"))
    elif stage in OPEN_STAGES:
        meeting = None if state.meetings == 0 else "Hold a review meeting"
        police = "Record the end of the police investigation" if stage == LadoStage.PAUSED else None
        tasks += [
            ("record_allegation_meeting", "record_allegation_meeting", meeting, f"meeting_{state.meetings + 1}"),
            ("record_employer_action", "record_employer_action", None, None),
            ("record_police_investigation", "record_police_investigation", police, None),
        ]
        if stage == LadoStage.ALLEGATION_MANAGEMENT:
            outcome = "record_allegation_outcome"
            tasks.append((outcome, outcome, None, "resolution_1_month"))
    elif stage == LadoStage.REFERRALS:
        tasks += [
            (f"record_barring_referral:{ref}", "record_barring_referral", f"Record the {ref} referral", None)
            for ref in state.referrals_required
            if ref not in state.referrals_made
        ]
    return [
        LADO.decision(decision).task(
            key=key,
            title=title,
            assignee_id=assignee_id,
            due_date=deadlines[due].due.due_date if due is not None and due in deadlines else None,
        )
        for key, decision, title, due in tasks
    ]
