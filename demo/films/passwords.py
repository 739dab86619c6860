"""Password hashing with the standard library's PBKDF2, so no password is stored as it was typed.

The cost is OWASP's current recommendation for PBKDF2-SHA256, 600,000 iterations (about a
quarter of a second); the ``films.password_iterations`` setting changes it, which tests use
to stay quick. A stored hash names its own cost, so raising it needs no migration: a user's
hash is remade at the new cost the next time they log in (:func:`needs_upgrade`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000


def derive(password: str, salt: str, iterations: int) -> str:
    """The hex digest of ``password``: the slow step, kept apart so it runs outside transactions."""
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"), iterations).hex()


def hash_password(password: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    """``pbkdf2_sha256$ITERATIONS$SALT$HASH``: everything needed to check the password later."""
    salt = salt or secrets.token_hex(16)
    return f"{ALGORITHM}${iterations}${salt}${derive(password, salt, iterations)}"


@lru_cache(maxsize=4)
def _nobody(iterations: int) -> str:
    """A hash checked when the user is unknown, so that an unknown name takes as long as a
    wrong password (one per configured cost; there are one or two)."""
    return hash_password(secrets.token_hex(16), iterations=iterations)


def check_password(password: str, stored: str | None, iterations: int = ITERATIONS) -> bool:
    """Whether ``password`` is the one ``stored`` was made from; False when nothing is stored."""
    algorithm, cost, salt, digest = (stored or _nobody(iterations)).split("$")
    candidate = derive(password, salt, int(cost))
    return stored is not None and algorithm == ALGORITHM and hmac.compare_digest(candidate, digest)


def needs_upgrade(stored: str, iterations: int = ITERATIONS) -> bool:
    """Whether ``stored`` was made by another algorithm or at a lower cost than ``iterations``."""
    algorithm, cost, _, _ = stored.split("$")
    return algorithm != ALGORITHM or int(cost) < iterations
