"""The process workflows: one module per statutory process, deterministic code only.

`ALL_WORKFLOWS` is what the worker registers, the replay tests replay and the benchmarks run.
"""

from workflows.assessment import AssessmentWorkflow
from workflows.calendar_refresh import CalendarRefreshWorkflow
from workflows.daily_digest import DailyDigestWorkflow
from workflows.front_door import FrontDoorWorkflow
from workflows.joint_visit import JointVisitWorkflow

ALL_WORKFLOWS = [
    FrontDoorWorkflow,
    AssessmentWorkflow,
    JointVisitWorkflow,
    DailyDigestWorkflow,
    CalendarRefreshWorkflow,
    # -- issue 3: strategy discussion, s47 enquiry, initial conference --
    # -- issue 3: child protection plan --
    # -- issue 4: LADO --
    # -- issue 5: family group conference --
    # -- issue 6: professional disagreement --
]
