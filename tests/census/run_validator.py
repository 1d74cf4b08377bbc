"""Run in the validator's own venv (.venv-cin): check one census XML against the XSD and the DfE rules.

Usage: run_validator.py RETURN.xml RULESET SCHEMA.xsd   (RULESET e.g. cin2026_27)

Prints one JSON object: `schema_errors` (the XSD's complaints), `child_level` and `return_level` issues
(each with its rule code, whether the rule is an error or a query — the registry's `rule_type`, not the
issue table's column of that name — and the child), and `crashed`: the lines the validator printed for a
rule that raised (it counts such a rule as passed). Only the standard library, the validator and lxml.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import sys
import xml.etree.ElementTree as ET

from cin_validator.cin_validator import CinValidator, convert_data, process_data
from lxml import etree


def main(xml_path: str, ruleset: str, schema_path: str) -> dict[str, object]:
    schema = etree.XMLSchema(etree.parse(schema_path))
    document = etree.parse(xml_path)
    schema_errors = [] if schema.validate(document) else [str(e) for e in schema.error_log]
    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        validator = CinValidator(process_data(convert_data(ET.parse(xml_path).getroot())), registry)

    def kind(code: object) -> str:
        return str(registry[str(code)].rule_type.value).lower()

    child_level = [
        {
            "rule_code": str(row["rule_code"]),
            "type": kind(row["rule_code"]),
            "child_id": str(row["child_id"]),
            "description": str(row["rule_description"]),
        }
        for _, row in validator.full_issue_df.drop_duplicates(["rule_code", "child_id"]).iterrows()
    ]
    return_level = [
        {
            "rule_code": str(row["rule_code"]),
            "type": kind(row["rule_code"]),
            "description": str(row["rule_description"]),
        }
        for _, row in validator.multichild_issues.drop_duplicates(["rule_code"]).iterrows()
    ]
    crashed = [line for line in printed.getvalue().splitlines() if "Error with rule" in line]
    return {
        "rules": len(registry),
        "schema_errors": schema_errors,
        "child_level": child_level,
        "return_level": return_level,
        "crashed": crashed,
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
