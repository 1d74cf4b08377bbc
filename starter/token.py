"""`python -m starter token create|list|revoke`: bearer tokens for the API, for automation and for people.

`token create --practitioner ID [--expires DAYS] [--label TEXT]` prints a new token once (only its hash is
kept: it cannot be shown again); without `--expires` it lives until revoked, as a back-office system's
does. `token list [--practitioner ID]` lists tokens without their secrets; `token revoke TOKEN_ID` ends
one at once. A token acts as its practitioner does now: their role and team are read at each request.
This is an operator's command, run where the case store is reachable.
"""

from __future__ import annotations

import argparse

from pydantic import BaseModel

from safeguarding.service import tokens
from safeguarding.service.root import open_services
from starter.exits import finish


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `token` command and its three actions."""
    parser = subparsers.add_parser("token", help="create, list and revoke API bearer tokens", description=__doc__)
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="make a token for a practitioner and print it once")
    create.add_argument("--practitioner", required=True, metavar="ID", help="who the token acts as")
    create.add_argument("--expires", type=int, metavar="DAYS", help=f"days until it expires (1-{tokens.MAX_DAYS})")
    create.add_argument("--label", help="what it is for, e.g. the back-office system's name")
    create.set_defaults(handler=lambda args: finish("token", _create(args)))
    listing = actions.add_parser("list", help="list tokens (never their secrets)")
    listing.add_argument("--practitioner", metavar="ID", help="only this practitioner's tokens")
    listing.set_defaults(handler=lambda args: finish("token", _list(args)))
    revoke = actions.add_parser("revoke", help="revoke a token at once")
    revoke.add_argument("token_id", metavar="TOKEN_ID", help="the token's id, as `token list` shows it")
    revoke.set_defaults(handler=lambda args: finish("token", _revoke(args)))


async def _create(args: argparse.Namespace) -> BaseModel:
    async with open_services() as services:
        return await tokens.create_token(services, args.practitioner, expires_days=args.expires, label=args.label)


async def _list(args: argparse.Namespace) -> list[tokens.TokenRecord]:
    async with open_services() as services:
        return await tokens.list_tokens(services, args.practitioner)


async def _revoke(args: argparse.Namespace) -> BaseModel:
    async with open_services() as services:
        return await tokens.revoke_token(services, args.token_id)
