"""The names of the worker's activities: the one table both sides of an activity call are spelled from.

A workflow calls an activity by name (it must not import the activity modules, which the sandbox would load
with their database drivers), and the activity registers under `@activity.defn(name=...)`. Both take the name
from here, so renaming a member renames both sides; `tests/test_activity_names.py` checks that the worker
registers exactly these and that no workflow calls an activity by a bare string. A name is recorded in every
history that scheduled it: never change a value once it has shipped.
"""

from __future__ import annotations

from enum import StrEnum


class ActivityName(StrEnum):
    """Every activity the worker registers (`worker.build_activities`), grouped by the module that runs it."""

    # -- the case store (activities.case_store) --
    RECORD_PROCESS = "record_process"
    GET_CASE_FACTS = "get_case_facts"
    RECORD_ASSESSMENT_FINDINGS = "record_assessment_findings"
    PROCESS_ID_ON_CASE = "process_id_on_case"
    SWEEP_IDEMPOTENCY_RECORDS = "sweep_idempotency_records"
    # -- the health record (activities.health_record) --
    FLAG_VULNERABLE_CHILD = "flag_vulnerable_child"
    # -- notices (activities.notifications) --
    SEND_NOTICE = "send_notice"
    SEND_TEAM_DIGESTS = "send_team_digests"
    # -- the calendar (activities.bank_holidays) --
    LOAD_CALENDAR = "load_calendar"
    # -- other processes (activities.temporal_fleet) --
    DISTRIBUTE_CALENDAR = "distribute_calendar"
    START_PROCESS = "start_process"
    TELL_EMERGENCY_ACTION = "tell_emergency_action"
    # -- plans (activities.plans) --
    START_PLAN = "start_plan"
    END_PLAN = "end_plan"
    RECORD_PLAN_CATEGORY = "record_plan_category"
    # -- the LADO's records (activities.lado) --
    REFER_LADO_CHILDREN = "refer_lado_children"
    RECORD_LADO_OUTCOME = "record_lado_outcome"
    # -- the family group conference's records (activities.fgc) --
    CHECK_FGC_CONSENT_GIVER = "check_fgc_consent_giver"
    STORE_FGC_REFERRAL = "store_fgc_referral"
    STORE_FGC_PARTICIPANTS = "store_fgc_participants"
    STORE_FGC_PLAN = "store_fgc_plan"
    STORE_FGC_PLAN_DECISION = "store_fgc_plan_decision"
    STORE_FGC_CHILD_VOICE = "store_fgc_child_voice"
    # -- professional disagreements (activities.disagreements) --
    RECORD_DISPUTE_ON_PROCESS = "record_dispute_on_process"
    APPLY_RESOLUTION_TO_PROCESS = "apply_resolution_to_process"
    RECORD_RESOLUTION_ON_FINISHED = "record_resolution_on_finished"
    RECORD_DISAGREEMENT = "record_disagreement"
