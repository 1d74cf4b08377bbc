"""The README's table of coded fields names every coded field of every decision, with the codes it takes."""

from __future__ import annotations

from pathlib import Path

from safeguarding.commands.coded_fields import coded_fields, describe_codes
from safeguarding.commands.registry import COMMANDS

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_lists_the_codes_of_every_coded_field_of_every_decision() -> None:
    rows = [line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    missing = [
        f"{decision}: {path}"
        for decision, model in sorted(COMMANDS.items())
        for path, codes in coded_fields(model)
        if not any(f"`{decision}: {path}`" in row and row.endswith(f"| {describe_codes(codes)} |") for row in rows)
    ]

    assert missing == []


def test_a_census_code_is_listed_with_its_meaning() -> None:
    assert "| `decide_conference: category`, `decide_review: category` | NEG (neglect), PHY (physical), " in (
        README.read_text(encoding="utf-8")
    )
