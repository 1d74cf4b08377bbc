"""`python -m starter seed`: create the fictional example team and cases, and print their ids as JSON.

Brings the case store's schema up to date first. The safeguarding partnership a disagreement escalates
to is recorded under the procedure profile's id, with the team manager as the team's duty manager (§8).
In development every example practitioner gets the data folder's development password for the console
(`starter.dev_password`; `make run` prints it). Idempotent: the ids are fixed and existing rows are left
as they are, so running it twice changes nothing. Every name is obviously fictional (`safeguarding.store.examples`).
"""

from __future__ import annotations

import argparse
import asyncio

from sqlalchemy.ext.asyncio import async_sessionmaker

from safeguarding.config import Settings
from safeguarding.database import create_engine, database_url, migrate
from safeguarding.procedure_profile import load_profile
from safeguarding.service.sign_in import hash_password
from safeguarding.store.examples import ExampleIds, seed_examples
from starter.dev_password import development_password
from starter.exits import finish


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `seed` command."""
    parser = subparsers.add_parser("seed", help="create the fictional example team and cases", description=__doc__)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Seed the configured case store and print the ids."""
    return finish("seed", seed())


async def seed() -> ExampleIds:
    """Migrate the configured case store and create the examples in one transaction."""
    settings = Settings()
    profile = load_profile(settings.profile_path)
    url = database_url(settings, settings.data_dir)
    await migrate(url)
    engine = create_engine(url)
    try:
        password_hash = None
        if settings.environment == "development":
            password_hash = await asyncio.to_thread(hash_password, development_password(settings.data_dir))
        async with async_sessionmaker(engine).begin() as session:
            return await seed_examples(session, partnership_id=profile.partnership_id, password_hash=password_hash)
    finally:
        await engine.dispose()
