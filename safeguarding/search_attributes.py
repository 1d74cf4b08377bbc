"""Typed search attributes: ids and codes only, never a name or a date of birth.

Registered with the dev server at start (`starter/run.py`, the tests) and upserted by every process, so
`temporal workflow list --query 'CaseStage="authorisation"'` finds work without opening a case.
"""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

CASE_PROCESS = SearchAttributeKey.for_keyword("CaseProcess")
CASE_STAGE = SearchAttributeKey.for_keyword("CaseStage")
CASE_TEAM = SearchAttributeKey.for_keyword("CaseTeam")
CASE_REFERENCE = SearchAttributeKey.for_keyword("CaseReference")
NEXT_DUE = SearchAttributeKey.for_datetime("NextDueAt")

ALL = (CASE_PROCESS, CASE_STAGE, CASE_TEAM, CASE_REFERENCE, NEXT_DUE)
