"""Each workflow run loads only its own process: the sandbox re-imports a workflow's module, and its package,
for every run, so a package or module that imported every process made each run re-execute all twelve."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workflows.registry import ALL_WORKFLOWS

PROCESS_MODULES = sorted({w.__module__ for w in ALL_WORKFLOWS})


def _process_modules_loaded_by(module: str) -> list[str]:
    """Return the process modules (`workflows.<name>`, not the shared `_` parts) loaded by importing `module`."""
    script = (
        f"import sys, {module}\n"
        "loaded = [m for m in sys.modules if m.startswith('workflows.') and not m.split('.')[1].startswith('_')]\n"
        "print(' '.join(sorted(loaded)))"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return ran.stdout.split()


def test_the_package_imports_no_process() -> None:
    assert _process_modules_loaded_by("workflows") == []


@pytest.mark.parametrize("module", PROCESS_MODULES)
def test_a_process_module_imports_no_other_process(module: str) -> None:
    assert _process_modules_loaded_by(module) == [module]
