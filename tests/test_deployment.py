"""The production topology (docker-compose.yml) agrees with the code it deploys."""

from __future__ import annotations

import re
from pathlib import Path

from safeguarding.config import Settings
from safeguarding.embedded import search_attribute_types

COMPOSE = (Path(__file__).resolve().parents[1] / "docker-compose.yml").read_text()


def test_compose_registers_every_search_attribute_the_processes_upsert() -> None:
    missing = [attribute for attribute in search_attribute_types() if attribute not in COMPOSE]
    assert missing == []


def test_compose_sets_only_settings_the_service_reads() -> None:
    known = {f"SAFEGUARDING_{name.upper()}" for name in Settings.model_fields} | {"DATABASE_URL"}
    used = set(re.findall(r"^\s+(SAFEGUARDING_[A-Z_]+|DATABASE_URL):", COMPOSE, flags=re.MULTILINE))
    assert used, "the worker's environment was not found in docker-compose.yml"
    assert used <= known
