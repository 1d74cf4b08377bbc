"""Each process described once: its stages and its decisions (who, when, once or more, with a rationale, the
task's title). The registry, the role checks, the validators and the work tray read these descriptions.

Imports nothing: the workflow sandbox re-imports a package's `__init__` for every workflow run.
"""
