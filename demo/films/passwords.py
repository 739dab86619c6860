"""Password hashing with the standard library's PBKDF2, so no password is stored as it was typed."""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALGORITHM = "pbkdf2_sha256"
# Slow enough to make guessing costly, fast enough for a test suite that logs in often.
ITERATIONS = 100_000


def hash_password(password: str, salt: str | None = None) -> str:
    """``pbkdf2_sha256$ITERATIONS$SALT$HASH``: everything needed to check the password later."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"), ITERATIONS).hex()
    return f"{ALGORITHM}${ITERATIONS}${salt}${digest}"


# Checked when the user is unknown, so that an unknown name takes as long as a wrong password.
_NOBODY = hash_password(secrets.token_hex(16))


def check_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` is the one ``stored`` was made from; False when nothing is stored."""
    algorithm, iterations, salt, digest = (stored or _NOBODY).split("$")
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"), int(iterations)).hex()
    return stored is not None and algorithm == ALGORITHM and hmac.compare_digest(candidate, digest)
