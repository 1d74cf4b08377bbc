"""`status` shows each process's facts as a typed model, built from the strings the process keeps."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import TypeAdapter

from safeguarding.codes import CpCategory, EmployerStrand, Process
from safeguarding.facts import (
    ChildProtectionPlanFacts,
    LadoFacts,
    ProcessFacts,
    S47Facts,
    facts_for,
    facts_of,
)
from workflows._process import ProcessWorkflow
from workflows.registry import ALL_WORKFLOWS


def test_strings_kept_by_a_process_come_back_as_dates_counts_flags_and_codes() -> None:
    facts = facts_for(
        Process.S47_ENQUIRY,
        {"icpc_target_date": "2026-12-15", "joint_with_police": "true", "s47_started_at": "2026-11-30T09:00:00+00:00"},
    )
    plan = facts_for(Process.CP_PLAN, {"category": "NEG", "runs": "3", "core_group_members": "p-1, p-2"})

    assert facts == S47Facts(
        icpc_target_date=date(2026, 12, 15),
        joint_with_police=True,
        s47_started_at=datetime(2026, 11, 30, 9, tzinfo=UTC),
    )
    assert plan == ChildProtectionPlanFacts(category=CpCategory.NEGLECT, runs=3, core_group_members=("p-1", "p-2"))


def test_the_lado_facts_gather_each_child_and_each_employer_strand() -> None:
    facts = facts_of(
        LadoFacts,
        facts_for(
            Process.LADO,
            {
                "strategy_discussion.EX-1": "strategy-discussion-EX-1-20261130T090000",
                "employer.suspension": "not_suspended",
                "harm_test": "met",
            },
        ),
    )

    assert facts.strategy_discussions == {"EX-1": "strategy-discussion-EX-1-20261130T090000"}
    assert (facts.employer, facts.harm_test) == ({EmployerStrand.SUSPENSION: "not_suspended"}, "met")


def test_a_fact_no_model_names_is_left_out_so_status_still_answers() -> None:
    assert facts_for(Process.FRONT_DOOR, {"set_by_an_older_version": "x"}).model_dump() == {"process": "front_door"}


@pytest.mark.parametrize(
    "process", [w.PROCESS for w in ALL_WORKFLOWS if issubclass(w, ProcessWorkflow)], ids=lambda p: str(p)
)
def test_every_process_with_a_status_has_facts_that_survive_the_trip_to_the_client(process: Process) -> None:
    facts = facts_for(process, {})
    adapter: TypeAdapter[ProcessFacts] = TypeAdapter(ProcessFacts)

    decoded = adapter.validate_json(adapter.dump_json(facts))

    assert (type(decoded), decoded.process) == (type(facts), process)


def test_reading_the_facts_of_another_process_is_refused() -> None:
    with pytest.raises(TypeError, match="lado"):
        facts_of(LadoFacts, facts_for(Process.FGC, {}))
