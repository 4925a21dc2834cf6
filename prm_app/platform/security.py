"""Password hashing (argon2id via passlib) and opaque random tokens stored only as hashes."""

from __future__ import annotations

import functools
import hashlib
import secrets

from passlib.context import CryptContext

pwd_context = CryptContext(schemes=["argon2"], deprecated="auto")


@functools.cache
def unknown_account_hash() -> str:
    """A real hash to verify against when the email is unknown, so both paths cost the same time. Made on first
    use, not at import: an argon2 hash is ~0.3 s of CPU on four threads, and every process that imports the app
    (each web worker, the job consumer, every CLI command and test subprocess) paid it at start."""
    return str(pwd_context.hash("not-a-real-password-" + secrets.token_hex(8)))


def hash_password(password: str) -> str:
    return str(pwd_context.hash(password))


def verify_password(password: str, password_hash: str | None) -> bool:
    if not password_hash:
        pwd_context.verify(password, unknown_account_hash())
        return False
    return bool(pwd_context.verify(password, password_hash))


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Tokens are high-entropy, so a plain SHA-256 is enough to make a stolen table useless."""
    return hashlib.sha256(token.encode()).hexdigest()
