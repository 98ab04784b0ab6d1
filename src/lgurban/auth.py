"""Users and API tokens. Tokens are random, shown once, and stored only as their sha256."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.db.models import ApiToken, AuthSession, User, UserIdentity, utcnow
from lgurban.errors import BadRequest, Conflict, InvalidToken, NotFound, Unauthorized, UserDisabled

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


async def _token_owner(*, session: AsyncSession, token: str) -> tuple[ApiToken, User]:
    """The live token row and its user; one error for every way the token can be wrong."""
    row = (
        await session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == hash_token(token))
        )
    ).one_or_none()
    if row is None or row[0].revoked_at is not None or row[1].disabled_at is not None:
        raise Unauthorized("invalid or missing API token")
    return row[0], row[1]


async def authenticate_token(*, session: AsyncSession, token: str) -> User:
    """The user a bearer token belongs to; one error for every way it can be wrong."""
    api_token, user = await _token_owner(session=session, token=token)
    now = utcnow()
    last = api_token.last_used_at
    if last is None or now - last > LAST_USED_RESOLUTION:
        api_token.last_used_at = now  # not on every request: a write per read would serialise SQLite
    return user


@dataclass(frozen=True)
class NewSession:
    """What the sign-in route puts in the two cookies; neither is stored, only their sha256."""

    session_id: str
    csrf_token: str
    expires_at: datetime


async def sign_in(
    *, session: AsyncSession, token: str, ttl: timedelta, replaces: str | None = None
) -> NewSession:
    """Turn an API token into a new web session (issue 13); the caller's previous session, if any, ends."""
    try:
        api_token, user = await _token_owner(session=session, token=token)
    except Unauthorized:
        raise InvalidToken("this token is unknown, revoked, or belongs to a disabled user") from None
    return await start_session(session=session, user=user, token_id=api_token.id, ttl=ttl, replaces=replaces)


async def start_session(
    *, session: AsyncSession, user: User, token_id: uuid.UUID | None, ttl: timedelta, replaces: str | None
) -> NewSession:
    """A new web session for `user` (from an API token, or none: an OIDC sign-in)."""
    if replaces:
        await sign_out(session=session, session_id=replaces)  # rotation: a fresh id on every sign-in
    # the user's ended sessions are of no further use: keep the table the size of the live ones
    await session.execute(
        delete(AuthSession).where(AuthSession.user_id == user.id, AuthSession.expires_at <= utcnow())
    )
    new = NewSession(secrets.token_urlsafe(32), secrets.token_urlsafe(32), utcnow() + ttl)
    session.add(
        AuthSession(
            user_id=user.id,
            token_id=token_id,
            session_hash=hash_token(new.session_id),
            csrf_hash=hash_token(new.csrf_token),
            expires_at=new.expires_at,
        )
    )
    await session.flush()
    return new


async def _free_name(session: AsyncSession, wanted: str) -> str:
    """`wanted`, or `wanted (2)`, `(3)`…: user names are unique, and a provider's names need not be."""
    base = " ".join(wanted.split())[:90] or "user"
    taken = set(
        (
            await session.execute(select(User.name).where(User.name.startswith(base, autoescape=True)))
        ).scalars()
    )
    return next(n for n in (base, *(f"{base} ({i})" for i in range(2, len(taken) + 3))) if n not in taken)


async def user_for_identity(
    *, session: AsyncSession, issuer: str, subject: str, email: str | None, name: str
) -> User:
    """AUTH_MODE=oidc: the user of this provider account, made at its first sign-in, named by its claims."""
    query = (
        select(UserIdentity, User)
        .join(User, User.id == UserIdentity.user_id)
        .where(UserIdentity.issuer == issuer, UserIdentity.subject == subject)
    )
    row = (await session.execute(query)).one_or_none()
    if row is None:
        try:
            async with session.begin_nested():
                user = User(name=await _free_name(session, name))
                session.add(user)
                await session.flush()
                session.add(UserIdentity(user_id=user.id, issuer=issuer, subject=subject, email=email))
                await session.flush()
        except IntegrityError:  # a first sign-in at the same moment: of this account, or under the same name
            pass
        row = (await session.execute(query)).one_or_none()
        if row is None:
            raise Conflict(
                "another account was being made under the same name at the same moment; sign in again"
            )
    identity, user = row
    if user.disabled_at is not None:
        raise UserDisabled(f"user {user.name!r} was revoked on this server")
    identity.email, identity.last_sign_in_at = email, utcnow()
    return user


async def authenticate_session(*, session: AsyncSession, session_id: str) -> tuple[User, AuthSession]:
    """The user of a live web session: not revoked, not expired, its token and user still valid."""
    row = (
        await session.execute(
            select(AuthSession, User, ApiToken)
            .join(User, User.id == AuthSession.user_id)
            .outerjoin(ApiToken, ApiToken.id == AuthSession.token_id)
            .where(AuthSession.session_hash == hash_token(session_id))
        )
    ).one_or_none()
    if row is None:
        raise Unauthorized("not signed in, or the session ended; sign in again")
    auth, user, api_token = row
    if (
        auth.revoked_at is not None
        or auth.expires_at <= utcnow()
        or user.disabled_at is not None
        or (api_token is not None and api_token.revoked_at is not None)
    ):
        raise Unauthorized("not signed in, or the session ended; sign in again")
    return user, auth


def csrf_matches(auth: AuthSession, header: str | None, cookie: str | None) -> bool:
    """Double submit, bound to the session: the header equals the cookie and is this session's token."""
    if not header or not cookie or not secrets.compare_digest(header, cookie):
        return False
    return secrets.compare_digest(hash_token(header), auth.csrf_hash)


async def sign_out(*, session: AsyncSession, session_id: str) -> None:
    """Revoke the session with this id (unknown or already ended: nothing to do)."""
    auth = (
        await session.execute(select(AuthSession).where(AuthSession.session_hash == hash_token(session_id)))
    ).scalar_one_or_none()
    if auth is not None and auth.revoked_at is None:
        auth.revoked_at = utcnow()


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
