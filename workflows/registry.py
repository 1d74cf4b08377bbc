"""Every workflow the worker registers, the replay tests replay and the benchmarks run.

Kept out of the package's `__init__`: the sandbox re-imports a workflow's module (and so its package) for
every workflow run, and a package that imported all twelve processes made each run re-execute all of them.
No workflow module imports this one.
"""

from workflows.assessment import AssessmentWorkflow
from workflows.calendar_refresh import CalendarRefreshWorkflow
from workflows.cp_plan import ChildProtectionPlanWorkflow
from workflows.daily_digest import DailyDigestWorkflow
from workflows.disagreement import DisagreementWorkflow
from workflows.fgc import FamilyGroupConferenceWorkflow
from workflows.front_door import FrontDoorWorkflow
from workflows.idempotency_sweep import IdempotencySweepWorkflow
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
    IdempotencySweepWorkflow,
    # Strategy discussion, section 47 enquiry, initial conference (§4, §5).
    StrategyDiscussionWorkflow,
    S47EnquiryWorkflow,
    InitialConferenceWorkflow,
    # Child protection plan (§5).
    ChildProtectionPlanWorkflow,
    # Allegations against people who work with children (§6).
    LadoWorkflow,
    # Family group conference (§7).
    FamilyGroupConferenceWorkflow,
    # Professional disagreement (§8).
    DisagreementWorkflow,
]
