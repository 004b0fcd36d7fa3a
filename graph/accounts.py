"""Accounts and API tokens.

A token is `mskg_<id>_<secret>`: the id finds the account (indexed), the secret — 256 random
bits — is checked against its SHA-256 digest, the only form in which it is stored, with a
constant-time comparison. A slow password hash buys nothing for a secret that cannot be guessed,
and would let anyone who sends wrong secrets burn the server's CPU: checking a token costs
microseconds whether it is right, wrong or unknown. Accounts made before this scheme keep their
Argon2id hash; those are verified off the event loop, one at a time per process, and failures
are remembered. Revocation is seen at once because the account is read on every request.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
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
_DIGEST_SCHEME = "sha256$"
# Compared against when the token id is unknown, so that path does the same work as a wrong secret.
_NO_DIGEST = _DIGEST_SCHEME + "0" * 64
_CACHE_SECONDS = 300.0
_CACHE_SIZE = 10_000
# Argon2 (legacy hashes only): sha256(token) → (when it was checked, whether it matched).
_legacy: dict[str, tuple[float, bool]] = {}
# One thread: Argon2 never occupies more than one core per process, whatever is sent.
_LEGACY_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="argon2")


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None = None

    def can(self, role: Role) -> bool:
        """Whether this account's role is at least `role`."""
        return self.revoked_at is None and ROLES.index(self.role) >= ROLES.index(role)


def sees_contact_details(account: Account | None) -> bool:
    """Contact details (persons' e-mail and phone, the addresses on liaison statements) are for
    accounts: any active account, `reader` included — that is what a reader account is for.
    Anonymous callers never see them, in any API, export or page."""
    return account is not None and account.can("reader")


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
            {"name": name, "role": role, "tokenId": token_id, "hash": _digest(secret)},
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
        hmac.compare_digest(_digest(secret), _NO_DIGEST)
        return None
    stored = str(rows[0]["p"].get("tokenHash", ""))
    if stored.startswith(_DIGEST_SCHEME):
        matched = hmac.compare_digest(_digest(secret), stored)
    else:
        matched = await _legacy_verify(stored, token, secret)
    return _account(rows[0]["p"]) if matched else None


def _digest(secret: str) -> str:
    return _DIGEST_SCHEME + hashlib.sha256(secret.encode()).hexdigest()


async def _legacy_verify(stored: str, token: str, secret: str) -> bool:
    """Check a secret against an Argon2id hash of an older account: in a worker thread, one at a
    time per process, with the answer (right or wrong) remembered for a while."""
    key = hashlib.sha256(token.encode()).hexdigest()
    now = time.monotonic()
    cached = _legacy.get(key)
    if cached is not None and now - cached[0] < _CACHE_SECONDS:
        return cached[1]
    try:
        matched: bool = await asyncio.get_running_loop().run_in_executor(
            _LEGACY_POOL, _HASHER.verify, stored, secret
        )
    except (VerificationError, InvalidHashError):
        matched = False
    if len(_legacy) >= _CACHE_SIZE:
        _legacy.clear()
    _legacy[key] = (now, matched)
    return matched
