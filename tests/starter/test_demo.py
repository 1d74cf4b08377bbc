"""`python -m starter demo` as a newcomer runs it: a real process that starts its own parts and tells its stories.

The demo is run once for the module (it starts a time-skipping server per case, a case store and an SMTP
server of its own), with `--out`; each test reads one part of what it printed or wrote. The census returns it
writes are checked by the DfE rules' community validator and the XSD (`tests.census.test_validation`).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

from safeguarding.census.episodes import la_child_id
from safeguarding.census.period import CensusYear
from safeguarding.codes import (
    LADO_REFERRAL_SOURCE,
    AssessmentFactor,
    CpCategory,
    PrimaryNeed,
    ReasonForClosure,
    ReferralSource,
)
from safeguarding.store.examples import EXAMPLE_IDS
from safeguarding.timeliness.report import TimelinessReport
from safeguarding.working_days import LONDON
from starter import demo_disagreement, demo_fgc, demo_lado
from tests.census.test_validation import errors, validate, validator_python

__all__ = ["validator_python"]  # the census tests' fixture, used here

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180.0
MOMENT = re.compile(r"^\[(\w{3} \d{1,2} \w{3} \d{4} \d{2}:\d{2})\] ")


@dataclass(frozen=True)
class DemoRun:
    returncode: int
    stdout: str
    stderr: str
    temp_dir: Path
    out: Path
    started_on: date
    """The day in England the demo started: its clock, and its first census year, start there."""

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()

    @property
    def last_day(self) -> date:
        """Return the last simulated day the stories narrated (each narrated line starts with its moment)."""
        moments = [found[1] for found in map(MOMENT.match, self.lines) if found]
        return datetime.strptime(moments[-1], "%a %d %b %Y %H:%M").date()

    @property
    def years(self) -> range:
        """Return the census years from the day the demo started to the last day its stories narrated."""
        return range(CensusYear.of(self.started_on).year, CensusYear.of(self.last_day).year + 1)

    def section(self, heading: str) -> list[str]:
        """Return the lines under the `=== heading ... ===` line, up to the next heading."""
        start = next(i for i, line in enumerate(self.lines) if line.startswith(f"=== {heading}"))
        rest = self.lines[start + 1 :]
        end = next((i for i, line in enumerate(rest) if line.startswith("=== ")), len(rest))
        return rest[:end]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """Run the demo once, with its temporary folders inside a folder of the test's own, writing its returns."""
    temp_dir = tmp_path_factory.mktemp("demo-tmp")
    out = tmp_path_factory.mktemp("demo-out")
    started_on = datetime.now(LONDON).date()
    completed = subprocess.run(
        [sys.executable, "-m", "starter", "demo", "--out", str(out)],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(temp_dir)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return DemoRun(completed.returncode, completed.stdout, completed.stderr, temp_dir, out, started_on)


def _one(lines: list[str], *parts: str) -> str:
    found = [line for line in lines if all(part in line for part in parts)]
    assert len(found) == 1, f"expected one line with {parts}, got {found}"
    return found[0]


def test_the_demo_walks_every_story_and_exits_0(demo: DemoRun) -> None:
    assert demo.returncode == 0, demo.stderr
    assert demo.lines[-1] == "The demo finished: every step happened as expected."
    assert "demo failed" not in demo.stderr


def test_the_health_visitor_who_alone_knows_the_family_leads_the_joint_visit(demo: DemoRun) -> None:
    case = demo.section("Case EX-0002")
    _one(case, "joint-visit-EX-0002 started")
    _one(case, "Pre-meet: only the health visitor knows the family", "lead practitioner: Harper Example-Healthvisitor")
    _one(case, "e-mail to example-team@example.invalid", "Joint visit needed: case EX-0002 (a child under 5)")
    _one(case, "Debrief: two actions agreed")


def test_the_joint_visit_case_is_authorised_in_time_as_a_family_support_plan_led_by_health(demo: DemoRun) -> None:
    case = demo.section("Case EX-0002")
    _one(case, "authorises a Family Support Plan", "plan lead: health_practitioner", "census closure RC9")
    _one(case, "Assessment deadline met", "of 45")
    assert not [line for line in case if "Reminder" in line or "Overdue" in line]


def test_reminders_reach_the_social_worker_before_the_45th_working_day(demo: DemoRun) -> None:
    case = demo.section("Case EX-0007")
    reminders = [
        line
        for line in case
        if "e-mail to prac-example-sw@example.invalid" in line and "Reminder – case EX-0007" in line
    ]
    assert len(reminders) == 2
    _one(case, "5 working days before the deadline")
    _one(case, "1 working day before the deadline")


def test_the_team_manager_is_alerted_when_the_deadline_passes_then_the_service_manager(demo: DemoRun) -> None:
    case = demo.section("Case EX-0007")
    overdue = _one(case, "e-mail to prac-example-tm@example.invalid", "Overdue – case EX-0007")
    escalation = _one(case, "e-mail to prac-example-sm@example.invalid", "Still overdue – case EX-0007")
    assert case.index(overdue) < case.index(escalation)


def test_a_late_authorisation_is_refused_until_the_reasons_for_delay_are_recorded(demo: DemoRun) -> None:
    case = demo.section("Case EX-0007")
    refusal = _one(
        case,
        "Refused: authorise refused by assessment-EX-0007: authorise: the assessment is past its 45 working days; "
        "record the reasons",
    )
    authorised = _one(case, "authorises a Child in Need plan, recording the reasons for the delay")
    missed = _one(case, "Assessment deadline missed", "Reasons for the delay: Social worker on long-term sick leave")
    assert case.index(refusal) < case.index(authorised) < case.index(missed)


def test_each_case_timeline_is_read_from_the_case_store_chronology(demo: DemoRun) -> None:
    joint = "\n".join(demo.section("Timeline of case EX-0002"))
    late = "\n".join(demo.section("Timeline of case EX-0007"))
    assert re.search(r"front-door-(contact-[0-9a-f]{12}) +contact \1 received", joint)
    for expected in ("lead: health_practitioner", "authorise: family_support_plan"):
        assert expected in joint
    for expected in ("reminder:", "missed:", "escalated to the service manager", "authorise: cin_plan"):
        assert expected in late


def test_the_mail_server_received_every_notice_it_narrated(demo: DemoRun) -> None:
    received = [
        line.split()[1] for line in demo.section("E-mails received by the SMTP server") if line.startswith("  to ")
    ]
    narrated = [line.split("e-mail to ")[1].split()[0] for line in demo.lines if "]   e-mail to " in line]
    [header] = [line for line in demo.lines if line.startswith("=== E-mails received by the SMTP server")]
    assert received == narrated
    assert received and header.endswith(f"({len(received)}) ===")


def test_no_personal_data_of_the_children_or_referrer_is_printed(demo: DemoRun) -> None:
    for personal in ("Robin Fictional", "Pip Fictional", "Nowhere Lane", "Fictional Referrer"):
        assert personal not in demo.stdout


def test_the_demo_leaves_no_temporary_folder_of_its_own_behind(demo: DemoRun) -> None:
    assert demo.returncode == 0, demo.stderr
    assert list(demo.temp_dir.glob("safeguarding-demo-*")) == []


# -- strategy discussion to the end of a child protection plan --


def test_one_case_runs_from_a_strategy_discussion_through_the_icpc_and_two_reviews_to_the_plans_end(
    demo: DemoRun,
) -> None:
    case = demo.section("Case EX-0007: from a strategy discussion")
    steps = [
        _one(case, "chairs the strategy discussion with social care, police and health", "jointly with the police"),
        _one(case, "concludes the enquiry: concerns substantiated"),
        _one(case, "initial child protection conference is convened", "15 working days after the strategy discussion"),
        _one(case, "The independent chair decides: a child protection plan", "neglect"),
        _one(case, "review 1: plan continues", "category EMO (changed from NEG)"),
        _one(case, "The plan continues as new (run 2)"),
        _one(case, "review 2: plan ends"),
        _one(case, "steps down to a Child in Need plan"),
    ]
    assert [case.index(step) for step in steps] == sorted(case.index(step) for step in steps)
    _one(case, "e-mail to team-example-police@example.invalid", "Child protection plan ended: case EX-0007")
    _one(case, "e-mail to team-example-school@example.invalid", "Child protection plan ended: case EX-0007")


def test_each_process_of_the_child_protection_case_was_started_by_the_one_before(demo: DemoRun) -> None:
    timeline = demo.section("Timeline of case EX-0007")
    _one(timeline, "strategy-discussion-EX-0007", "section 47 enquiry started jointly with the police")
    _one(timeline, "s47-enquiry-EX-0007", "initial child protection conference convened: initial-conference-EX-0007")
    _one(timeline, "initial-conference-EX-0007", "child protection plan started (NEG): cp-plan-EX-0007")


# -- professional disagreement --


def test_the_disagreement_escalates_by_itself_and_the_child_in_need_plan_agreed_is_applied(demo: DemoRun) -> None:
    case = demo.section("Case EX-0010")
    _one(case, "disagrees and proposes a Child in Need plan", "marks its recommendation as disputed")
    _one(case, "not agreed within the week: it escalates by itself to the team managers")
    _one(
        case,
        "Refused: resolve_disagreement refused by disagreement-EX-0010-",
        "resolve_disagreement: at the team managers stage only a team_manager may decide",
    )
    _one(case, "the assessment waits in stage 'disputed' instead of closing")
    _one(case, "applied to the assessment, which closes with outcome cin_plan")
    _one(case, "Escalation log of example-partnership: case EX-0010", "team_managers stage", "changed to cin_plan")
    assert "Jo Fictional" not in demo.stdout


# -- the census returns and timeliness reports it writes --


def test_the_demo_writes_the_census_return_and_timeliness_report_of_each_census_year_its_stories_cover(
    demo: DemoRun,
) -> None:
    years = demo.years
    assert len(years) >= 2  # the stories run for more than a year of simulated time
    expected = {f"{kind}-{year}.{ext}" for year in years for kind, ext in (("census", "xml"), ("timeliness", "json"))}
    expected |= {f"timeliness-{year}.txt" for year in years}
    assert {path.name for path in demo.out.iterdir()} == expected
    listed = demo.section("Census returns and timeliness reports written to")
    for year in years:
        report = TimelinessReport.model_validate_json((demo.out / f"timeliness-{year}.json").read_text())
        assert report.year == CensusYear(year).label
        assert report.team_id is None
        assert report.as_of == min(CensusYear(year).reference_date, demo.last_day)
        assert (demo.out / f"timeliness-{year}.txt").read_text().startswith(f"Timeliness {report.year} ")
        _one(listed, f"census-{year}.xml: census year {report.year}")


def test_the_demos_census_returns_pass_the_dfe_rules_and_the_schema(
    demo: DemoRun, validator_python: Path, tmp_path: Path
) -> None:
    listed = demo.section("Census returns and timeliness reports written to")
    # "  census-2026.xml: census year 2026/27, 2 children, 2 episodes (specification 2026_27)"
    returns = dict(re.findall(r"^  (census-\d{4}\.xml): .*\(specification (\d{4}_\d{2})\)$", "\n".join(listed), re.M))
    assert len(returns) >= 2, listed
    for name, spec in returns.items():
        found = validate(validator_python, (demo.out / name).read_bytes(), f"cin{spec}", tmp_path)
        assert found["schema_errors"] == [], name
        assert found["crashed"] == [], name
        found_errors = errors(found["child_level"]) + errors(found["return_level"])
        assert not found_errors, f"{name}:\n" + "\n".join(found_errors)
        # The queries are right: the example 7-year-old, of school age, has no UPN and no reason for its absence
        # recorded (8770Q); the example children have no sex recorded (2886Q); fewer than 8 disability codes
        # are used (2887Q).
        queries = {(i["rule_code"], i["child_id"]) for i in found["child_level"] if i["type"] == "query"}
        assert queries == {("8770Q", la_child_id(EXAMPLE_IDS.school_age.child_id))}, name
        assert sorted(i["rule_code"] for i in found["return_level"] if i["type"] == "query") == ["2886Q", "2887Q"]


def _census_child(path: Path, person_id: str) -> ET.Element:
    """Return the child's CINdetails in the census return at `path`."""
    [child] = [
        child
        for child in ET.parse(path).getroot().iter("Child")
        if child.findtext("ChildIdentifiers/LAchildID") == la_child_id(person_id)
    ]
    details = child.find("CINdetails")
    assert details is not None
    return details


def test_the_demos_children_carry_what_their_processes_recorded_into_the_census(demo: DemoRun) -> None:
    """The primary need and factors the manager authorised, the closure, the latest category of abuse."""
    year = demo.years[0]
    under_five = _census_child(demo.out / f"census-{year}.xml", EXAMPLE_IDS.under_five.child_id)
    assert under_five.findtext("PrimaryNeedCode") == PrimaryNeed.FAMILY_IN_ACUTE_STRESS
    assert [f.text for f in under_five.iter("AssessmentFactors")] == [AssessmentFactor.MENTAL_HEALTH_PARENT]
    assert under_five.findtext("ReasonForClosure") == ReasonForClosure.CLOSED_AFTER_ASSESSMENT_EARLY_HELP
    assert under_five.findtext("CINclosureDate") == under_five.findtext("Assessments/AssessmentAuthorisationDate")

    school_age = _census_child(demo.out / f"census-{year}.xml", EXAMPLE_IDS.school_age.child_id)
    assert school_age.findtext("PrimaryNeedCode") == PrimaryNeed.PARENT_DISABILITY_OR_ILLNESS
    assert [f.text for f in school_age.iter("AssessmentFactors")] == [
        AssessmentFactor.PHYSICAL_DISABILITY_OR_ILLNESS_PARENT,
        AssessmentFactor.YOUNG_CARER,
    ]
    assert school_age.findtext("ChildProtectionPlans/InitialCategoryOfAbuse") == CpCategory.NEGLECT
    assert school_age.findtext("ChildProtectionPlans/LatestCategoryOfAbuse") == CpCategory.EMOTIONAL
    assert school_age.findtext("ReasonForClosure") is None  # still open: the plan steps down to a CIN plan

    later = _census_child(demo.out / f"census-{year + 1}.xml", EXAMPLE_IDS.school_age.child_id)
    assert later.findtext("ChildProtectionPlans/CPPendDate") is not None
    assert len(later.findall("ChildProtectionPlans/Reviews")) == 2
    assert later.findtext("CINPlanDates/CINPlanStartDate") == later.findtext("ChildProtectionPlans/CPPendDate")


def test_the_demo_refuses_an_out_folder_that_does_not_exist_before_it_starts(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    completed = subprocess.run(
        [sys.executable, "-m", "starter", "demo", "--out", str(missing)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.strip().splitlines()[-1] == f"demo: --out: no such directory {str(missing)!r}"
    assert completed.stdout == ""
    assert not missing.exists()


def _episodes_of(demo: DemoRun, upn: str) -> list[ET.Element]:
    """Return the CINdetails of the child with `upn` in every census return the demo wrote, year by year."""
    return [
        details
        for year in demo.years
        for child in ET.parse(demo.out / f"census-{year}.xml").getroot().iter("Child")
        if child.findtext("ChildIdentifiers/UPN") == upn
        for details in child.findall("CINdetails")
    ]


def _narrated_on(demo: DemoRun, *parts: str) -> str:
    """Return the ISO day of the one narrated line with all of `parts`."""
    found = MOMENT.match(_one(demo.lines, *parts))
    assert found is not None
    return datetime.strptime(found[1], "%a %d %b %Y %H:%M").date().isoformat()


@pytest.mark.parametrize(
    ("upn", "narrated", "source", "need", "factors"),
    [
        pytest.param(
            demo_lado.PUPIL_UPN,
            ("The pupil (case EX-0008) is referred to children's social care",),
            LADO_REFERRAL_SOURCE,
            PrimaryNeed.NOT_STATED,
            [],
            id="EX-0008: the LADO refers the pupil; the strategy discussion is the referral",
        ),
        pytest.param(
            demo_fgc.CHILD_UPN,
            ("An assessment of case EX-0009 is under way",),
            ReferralSource.POLICE,
            PrimaryNeed.FAMILY_DYSFUNCTION,
            [AssessmentFactor.DOMESTIC_ABUSE_PARENT, AssessmentFactor.EMOTIONAL_ABUSE],
            id="EX-0009: an assessment started from a referral",
        ),
        pytest.param(
            demo_disagreement.PUPIL_UPN,
            ("A child and family assessment of case EX-0010 starts from a referral",),
            ReferralSource.SCHOOLS,
            PrimaryNeed.FAMILY_IN_ACUTE_STRESS,
            [AssessmentFactor.NEGLECT],
            id="EX-0010: an assessment started from a referral",
        ),
    ],
)
def test_work_started_without_a_contact_is_in_the_census_with_its_referral(
    demo: DemoRun,
    upn: str,
    narrated: tuple[str, ...],
    source: ReferralSource,
    need: PrimaryNeed,
    factors: list[AssessmentFactor],
) -> None:
    """A direct start records its referral: the child's episode opens on it, with its source, need and factors."""
    episodes = _episodes_of(demo, upn)
    assert episodes, f"no census return has the child with UPN {upn}"
    referred_on = _narrated_on(demo, *narrated)
    assert {(e.findtext("CINreferralDate"), e.findtext("ReferralSource")) for e in episodes} == {(referred_on, source)}
    assert any(
        e.findtext("PrimaryNeedCode") == need and [f.text for f in e.iter("AssessmentFactors")] == factors
        for e in episodes
    ), [(e.findtext("PrimaryNeedCode"), [f.text for f in e.iter("AssessmentFactors")]) for e in episodes]
