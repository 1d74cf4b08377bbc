"""The census return passes the DfE's validation rules and the XSD (statutory-rules.md §9).

The community validator `csc-validator-be-cin` runs in a venv of its own (`make census-validator` builds
`.venv-cin` from `tests/census/validator-requirements.txt`): it needs numpy<2 and pandas 1.x, which must
never reach the product's environment. This test builds that venv when it is missing (`make test` does too)
and skips, saying why, only if it cannot be built. It runs the validator's Python API on the export of the
fixed caseload (`tests.census.caseload`) in a subprocess (`run_validator.py`) and asserts no child-level
and no return-level errors, no rule that crashed (the validator counts such a rule as passed, so its
printed "Error with rule" lines are caught), and no complaint from the XSD (`cin_census.xsd`, ours: no
official schema is available offline). Queries are not errors: the ones this caseload raises are listed
below with the reason each is right.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.census.period import CensusSpec
from safeguarding.service.access import Principal
from safeguarding.service.census import export_census
from safeguarding.service.root import Services
from tests.census.caseload import FixedCaseload
from tests.census.generated import build_generated_caseload

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VALIDATOR_PYTHON = ROOT / ".venv-cin" / "bin" / "python"

KNOWN_WRONG: dict[str, str] = {}
"""Rules the validator is known to get wrong, by code, with the reason and the validator's issue: none so far."""


@pytest.fixture(scope="session")
def validator_python() -> Path:
    """The validator venv's Python, built with `make census-validator` when missing; a loud skip if it cannot be."""
    if not (ROOT / ".venv-cin" / ".installed").exists():
        built = subprocess.run(["make", "census-validator"], cwd=ROOT, capture_output=True, text=True, timeout=900)
        if built.returncode != 0:
            pytest.skip(f"CENSUS VALIDATOR NOT RUN: .venv-cin could not be built: {built.stderr.strip()[-500:]}")
    return VALIDATOR_PYTHON


def validate(python: Path, xml: bytes, ruleset: str, tmp_path: Path) -> dict[str, Any]:
    """Run the validator and the XSD on `xml`; return its findings."""
    path = tmp_path / f"{ruleset}.xml"
    path.write_bytes(xml)
    ran = subprocess.run(
        [str(python), str(HERE / "run_validator.py"), str(path), ruleset, str(HERE / "cin_census.xsd")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    result: dict[str, Any] = json.loads(ran.stdout.strip().splitlines()[-1])
    return result


def errors(issues: list[dict[str, str]]) -> list[str]:
    """The errors among `issues`, one line each (rule, child, message), leaving out the rules known to be wrong."""
    return [
        f"{i['rule_code']} {i.get('child_id', '')}: {i['description']}"
        for i in issues
        if i["type"] == "error" and i["rule_code"] not in KNOWN_WRONG
    ]


@pytest.mark.parametrize(
    ("year", "spec", "ruleset"),
    [
        (2026, CensusSpec.CIN_2026_27, "cin2026_27"),
        (2026, CensusSpec.CIN_2025_26, "cin2025_26"),
        (2025, CensusSpec.CIN_2025_26, "cin2025_26"),
    ],
)
async def test_the_fixed_caseload_passes_the_dfe_rules_and_the_schema(
    services: Services,
    head_of_service: Principal,
    caseload: FixedCaseload,
    validator_python: Path,
    tmp_path: Path,
    year: int,
    spec: CensusSpec,
    ruleset: str,
) -> None:
    exported = await export_census(services, head_of_service, year=year, spec=spec)
    found = validate(validator_python, exported.xml, ruleset, tmp_path)
    assert found["rules"] > 100
    assert found["schema_errors"] == []
    assert found["crashed"] == []
    found_errors = errors(found["child_level"]) + errors(found["return_level"])
    assert not found_errors, "\n".join(found_errors)
    # No child is unusual enough to query (an assessment open 45 working days, ...); the one return-level query
    # is right for four children: fewer than 8 different disability codes are used (2887Q).
    assert [i["rule_code"] for i in found["child_level"] if i["type"] == "query"] == []
    assert [i["rule_code"] for i in found["return_level"] if i["type"] == "query"] == ["2887Q"]


def test_a_broken_return_is_caught(validator_python: Path, tmp_path: Path) -> None:
    """The check can fail: a CP plan starting on a day with no conference, and a child with no sex recorded."""
    broken = (HERE / "broken_return.xml").read_bytes()
    found = validate(validator_python, broken, "cin2026_27", tmp_path)
    codes = {line.split()[0] for line in errors(found["child_level"])}
    assert {"4180"} <= codes
    assert found["schema_errors"]


@pytest.mark.parametrize(
    ("children", "seed", "year", "ruleset"),
    [(25, 1, 2026, "cin2026_27"), (150, 2, 2026, "cin2026_27"), (150, 2, 2025, "cin2025_26")],
)
async def test_generated_caseloads_pass_the_dfe_rules_and_the_schema(
    db: async_sessionmaker[AsyncSession],
    services: Services,
    head_of_service: Principal,
    validator_python: Path,
    tmp_path: Path,
    children: int,
    seed: int,
    year: int,
    ruleset: str,
) -> None:
    await build_generated_caseload(db, children, seed)
    exported = await export_census(services, head_of_service, year=year)
    assert exported.children > children // 3
    found = validate(validator_python, exported.xml, ruleset, tmp_path)
    assert found["schema_errors"] == []
    assert found["crashed"] == []
    found_errors = errors(found["child_level"]) + errors(found["return_level"])
    assert not found_errors, "\n".join(found_errors)


def test_the_validator_and_its_pandas_stay_out_of_the_product_venv() -> None:
    """The validator's numpy<2 and pandas 1.x live in .venv-cin only; the product's environment has neither."""
    assert importlib.util.find_spec("cin_validator") is None
    assert importlib.util.find_spec("pandas") is None
