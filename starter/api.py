"""`python -m starter api`: serve the HTTP API alone, over the configured case store and Temporal.

For a deployment, where the worker and the API run as services of their own (docker-compose.yml's `api`);
`make run` serves the API itself beside the worker. It listens on `SAFEGUARDING_API_HOST` and
`SAFEGUARDING_API_PORT`, and stops on SIGINT or SIGTERM after the requests in flight are answered.
"""

from __future__ import annotations

import argparse
import logging

import uvicorn


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `api` command."""
    parser = subparsers.add_parser("api", help="serve the HTTP API alone", description=__doc__)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Serve until a signal arrives."""
    # Imported here so the other commands do not pay for loading the routes.
    from safeguarding.api.app import create_app
    from safeguarding.config import Settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings()
    uvicorn.run(
        create_app(settings=settings),
        host=settings.api_host,
        port=settings.api_port,
        log_level="info",
        access_log=False,  # a request's path may carry a case reference; the app logs what it needs, ids only
        timeout_graceful_shutdown=30,
    )
    return 0
