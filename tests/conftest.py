"""Real parts for the whole suite, started once per session: PostgreSQL, an SMTP server, Temporal.

Each fixture module owns one part; see the modules under `tests/fixtures/`.
"""

pytest_plugins = [
    "tests.fixtures.database",
    "tests.fixtures.notify",
    "tests.fixtures.smtp",
    "tests.fixtures.temporal",
]
