"""The process workflows: one module per statutory process, deterministic code only.

`ALL_WORKFLOWS` is what the worker registers, the replay tests replay and the benchmarks run.
"""

from workflows.assessment import AssessmentWorkflow
from workflows.calendar_refresh import CalendarRefreshWorkflow
from workflows.cp_plan import ChildProtectionPlanWorkflow
from workflows.daily_digest import DailyDigestWorkflow
from workflows.disagreement import DisagreementWorkflow
from workflows.fgc import FamilyGroupConferenceWorkflow
from workflows.front_door import FrontDoorWorkflow
from workflows.initial_conference import InitialConferenceWorkflow
from workflows.joint_visit import JointVisitWorkflow
from workflows.lado import LadoWorkflow
from workflows.s47_enquiry import S47EnquiryWorkflow
from workflows.strategy_discussion import StrategyDiscussionWorkflow

ALL_WORKFLOWS = [
    FrontDoorWorkflow,
    AssessmentWorkflow,
    JointVisitWorkflow,
    DailyDigestWorkflow,
    CalendarRefreshWorkflow,
    # -- issue 3: strategy discussion, s47 enquiry, initial conference --
    StrategyDiscussionWorkflow,
    S47EnquiryWorkflow,
    InitialConferenceWorkflow,
    # -- issue 3: child protection plan --
    ChildProtectionPlanWorkflow,
    # -- issue 4: LADO --
    LadoWorkflow,
    # -- issue 5: family group conference --
    FamilyGroupConferenceWorkflow,
    # -- issue 6: professional disagreement --
    DisagreementWorkflow,
]
