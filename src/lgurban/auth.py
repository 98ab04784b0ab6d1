"""Users and API tokens. Tokens are random, shown once, and stored only as their sha256."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.db.models import ApiToken, User, utcnow
from lgurban.errors import BadRequest, Conflict, NotFound, Unauthorized

TOKEN_PREFIX = "lgu_"
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    user: User
    token: str
    token_id: uuid.UUID


async def get_or_create_user(*, session: AsyncSession, name: str) -> User:
    user = (await session.execute(select(User).where(User.name == name))).scalar_one_or_none()
    if user is None:
        user = User(name=name)
        session.add(user)
        await session.flush()
    return user


async def create_user_with_token(
    *, session: AsyncSession, name: str, token_name: str = "default"
) -> NewToken:
    """Create a user (or reuse one that exists) and give it a new token."""
    if not name.strip() or len(name) > 100 or name != name.strip():
        raise BadRequest("a user name is 1 to 100 characters, without leading or trailing spaces")
    existing = (await session.execute(select(User).where(User.name == name))).scalar_one_or_none()
    if existing is not None and existing.disabled_at is not None:
        raise Conflict(f"user {name!r} was revoked; pick another name")
    user = existing or User(name=name)
    session.add(user)
    await session.flush()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=hash_token(token), prefix=token[:12], name=token_name)
    session.add(row)
    await session.flush()
    return NewToken(user=user, token=token, token_id=row.id)


async def authenticate_token(*, session: AsyncSession, token: str) -> User:
    """The user a bearer token belongs to; one error for every way it can be wrong."""
    row = (
        await session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == hash_token(token))
        )
    ).one_or_none()
    if row is None or row[0].revoked_at is not None or row[1].disabled_at is not None:
        raise Unauthorized("invalid or missing API token")
    now = utcnow()
    last = row[0].last_used_at
    if last is None or now - last > LAST_USED_RESOLUTION:
        row[0].last_used_at = now  # not on every request: a write per read would serialise SQLite
    return row[1]


@dataclass(frozen=True)
class UserInfo:
    name: str
    created_at: datetime
    tokens: int
    revoked: bool


async def list_users(*, session: AsyncSession) -> list[UserInfo]:
    users = (await session.execute(select(User).order_by(User.name))).scalars().all()
    out = []
    for u in users:
        tokens = (
            (
                await session.execute(
                    select(ApiToken).where(ApiToken.user_id == u.id, ApiToken.revoked_at.is_(None))
                )
            )
            .scalars()
            .all()
        )
        out.append(UserInfo(u.name, u.created_at, len(tokens), u.disabled_at is not None))
    return out


async def revoke_user(*, session: AsyncSession, name: str) -> int:
    """Disable a user and revoke all its tokens; returns how many tokens were revoked."""
    user = (await session.execute(select(User).where(User.name == name))).scalar_one_or_none()
    if user is None:
        raise NotFound(f"no user named {name!r}")
    now = utcnow()
    user.disabled_at = now
    tokens = (
        (
            await session.execute(
                select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            )
        )
        .scalars()
        .all()
    )
    for t in tokens:
        t.revoked_at = now
    return len(tokens)
