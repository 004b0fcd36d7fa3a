"""`mskg user …`: accounts and their API tokens."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console
from rich.table import Table

from api.connection import connection_from, policy_from
from config.settings import Settings
from graph.accounts import ROLES, Account, create_account, list_accounts, revoke_account
from graph.driver import AsyncDriver, open_driver
from graph.errors import GraphError
from graph.schema import apply_schema
from mskg.cli.local import with_connection

app = typer.Typer(help="Manage accounts and their API tokens.", no_args_is_help=True)
err = Console(stderr=True)
T = TypeVar("T")


def _run(work: Callable[[AsyncDriver, str], Awaitable[T]]) -> T:
    settings = with_connection(Settings())
    connection = connection_from(settings)

    async def main() -> T:
        driver = open_driver(connection, policy_from(settings))
        try:
            await apply_schema(driver, connection.database)
            return await work(driver, connection.database)
        finally:
            await driver.close()

    try:
        return asyncio.run(main())
    except GraphError as exc:
        err.print(f"[red]error:[/] {exc}" + (f"\n{exc.hint}" if hasattr(exc, "hint") else ""))
        raise typer.Exit(1) from exc


@app.command()
def add(
    name: str = typer.Argument(..., help="Account name, e.g. an e-mail address or a login."),
    role: str = typer.Option(
        "contributor",
        help=f"One of {', '.join(ROLES)}: readers also see contact details, contributors propose, editors apply and approve proposals, admins also manage accounts.",
    ),
) -> None:
    """Create an account and print its API token (shown only this once)."""
    if role not in ROLES:
        err.print(f"[red]error:[/] --role must be one of {', '.join(ROLES)}")
        raise typer.Exit(2)
    account, token = _run(lambda d, db: create_account(d, db, name, role))
    err.print(
        f"Created {account.role} account {account.name!r}. Its token (store it now, it is not kept):"
    )
    print(token)


@app.command(name="list")
def list_() -> None:
    """List accounts with their roles (never their tokens)."""
    accounts: list[Account] = _run(list_accounts)
    table = Table("name", "role", "created", "revoked")
    for a in accounts:
        table.add_row(
            a.name,
            a.role,
            a.created_at.isoformat(timespec="seconds"),
            a.revoked_at.isoformat(timespec="seconds") if a.revoked_at else "",
        )
    Console().print(table)


@app.command()
def revoke(name: str = typer.Argument(..., help="The account to revoke.")) -> None:
    """Revoke an account's token at once, in every API process."""
    account = _run(lambda d, db: revoke_account(d, db, name))
    err.print(f"Revoked {account.name!r}.")
