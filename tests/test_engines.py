"""Every database engine of the service hides its statements' parameters: all are made by `database.create_engine`.

A failed statement's message would otherwise quote the row it wrote into a log or an activity failure.
"""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy.pool import NullPool

from safeguarding.database import create_activity_engine, create_engine

ROOT = Path(__file__).resolve().parents[1]
SERVICE_CODE = [*ROOT.glob("safeguarding/**/*.py"), *ROOT.glob("activities/**/*.py"), *ROOT.glob("starter/**/*.py")]


def test_no_module_but_database_makes_an_engine_of_its_own() -> None:
    makers = {
        str(path.relative_to(ROOT))
        for path in [*SERVICE_CODE, ROOT / "worker.py"]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Name | ast.Attribute)
        and (node.id if isinstance(node, ast.Name) else node.attr) == "create_async_engine"
    }
    assert makers == {"safeguarding/database.py"}


async def test_every_kind_of_engine_hides_parameters() -> None:
    url = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    engines = (
        create_engine(url),
        create_activity_engine(url),
        create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT"),
    )
    for engine in engines:
        assert engine.sync_engine.hide_parameters
        await engine.dispose()
