"""Accounts and API tokens.

A token is `mskg_<id>_<secret>`: the id finds the account (indexed), the secret is checked
against an Argon2id hash — the only form in which it is stored. Verified tokens are cached per
process for a short time (Argon2 is deliberately slow); revocation is still seen at once because
the account is read on every request.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from neo4j import AsyncDriver
from neo4j.exceptions import ConstraintError

from graph.errors import ConflictError, NotFoundError
from graph.gateway import read, write
from graph.records import native

Role = Literal["reader", "contributor", "editor", "admin"]
ROLES: tuple[Role, ...] = ("reader", "contributor", "editor", "admin")
ACCOUNT_LABEL = "Account"

SCHEMA: tuple[str, ...] = (
    f"CREATE CONSTRAINT account_name IF NOT EXISTS FOR (a:{ACCOUNT_LABEL}) REQUIRE a.name IS UNIQUE",
    f"CREATE CONSTRAINT account_token IF NOT EXISTS FOR (a:{ACCOUNT_LABEL}) REQUIRE a.tokenId IS UNIQUE",
)

_HASHER = PasswordHasher()
_CACHE_SECONDS = 300.0
_verified: dict[str, float] = {}  # sha256(token) → when it was verified


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None = None

    def can(self, role: Role) -> bool:
        """Whether this account's role is at least `role`."""
        return self.revoked_at is None and ROLES.index(self.role) >= ROLES.index(role)


def _account(props: dict[str, Any]) -> Account:
    role = str(props["role"])
    if role not in ROLES:
        raise ValueError(f"account {props['name']!r} has an unknown role {role!r}")
    revoked = props.get("revokedAt")
    return Account(
        name=str(props["name"]),
        role=role,
        created_at=native(props["createdAt"]),
        revoked_at=native(revoked) if revoked is not None else None,
    )


async def create_account(
    driver: AsyncDriver, database: str, name: str, role: Role
) -> tuple[Account, str]:
    """Create an account; return it and its token (shown once, never stored in clear)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    try:
        records = await write(
            driver,
            database,
            f"CREATE (a:{ACCOUNT_LABEL} {{name: $name, role: $role, tokenId: $tokenId, "
            "tokenHash: $hash, createdAt: datetime()}) RETURN properties(a) AS p",
            {"name": name, "role": role, "tokenId": token_id, "hash": _HASHER.hash(secret)},
        )
    except ConstraintError as exc:
        raise ConflictError(f"an account named {name!r} already exists") from exc
    return _account(records[0]["p"]), f"mskg_{token_id}_{secret}"


async def list_accounts(driver: AsyncDriver, database: str) -> list[Account]:
    rows = await read(
        driver, database, f"MATCH (a:{ACCOUNT_LABEL}) RETURN properties(a) AS p ORDER BY a.name", {}
    )
    return [_account(r["p"]) for r in rows]


async def revoke_account(driver: AsyncDriver, database: str, name: str) -> Account:
    """Revoke the account's token at once (in every API process)."""
    records = await write(
        driver,
        database,
        f"MATCH (a:{ACCOUNT_LABEL} {{name: $name}}) SET a.revokedAt = coalesce(a.revokedAt, datetime()) "
        "RETURN properties(a) AS p",
        {"name": name},
    )
    if not records:
        raise NotFoundError(f"no account named {name!r}")
    return _account(records[0]["p"])


async def authenticate(driver: AsyncDriver, database: str, token: str) -> Account | None:
    """The active account a token belongs to, or None (wrong, malformed or revoked)."""
    prefix, _, rest = token.partition("_")
    token_id, _, secret = rest.partition("_")
    if prefix != "mskg" or not token_id or not secret:
        return None
    rows = await read(
        driver,
        database,
        f"MATCH (a:{ACCOUNT_LABEL} {{tokenId: $tokenId}}) RETURN properties(a) AS p",
        {"tokenId": token_id},
    )
    if not rows or rows[0]["p"].get("revokedAt") is not None:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    now = time.monotonic()
    if now - _verified.get(digest, -_CACHE_SECONDS) >= _CACHE_SECONDS:
        try:
            _HASHER.verify(str(rows[0]["p"]["tokenHash"]), secret)
        except (VerificationError, InvalidHashError):
            return None
        _verified[digest] = now
    return _account(rows[0]["p"])
