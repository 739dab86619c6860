"""Slowing down password guessing: wrong logins counted per account and per client address.

The first :data:`FREE_FAILURES` wrong logins for a key (an account name, or an address) cost
nothing; after that the key must wait before its next try, ``first_delay`` seconds after the
fifth failure, doubling with each further one up to ``max_delay``. While a key waits, every
login for it is refused with a 429 and Retry-After, the right password included (or guessing
would not be slowed at all), without hashing anything. Failures are forgotten ``max_delay``
after the last one, and a successful login forgets its account's.

Behind a reverse proxy every connection comes from the proxy: the ``films.trusted_proxies``
setting lists the proxies whose ``X-Forwarded-For`` says who the client is.

Counts live in the database, so every server process sees the same ones, and rows older than
``max_delay`` are deleted as new failures come, so the table holds only recent guessers. An
attacker can make a victim's account wait (the usual price of per-account throttling); the
delays stay short enough that the victim only waits.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import closing
from typing import Any

from . import db

FREE_FAILURES = 5
FIRST_DELAY = 1.0  # seconds
MAX_DELAY = 900.0


def keys_for(name: str, address: str) -> tuple[str, str]:
    """The keys a login counts against: its account and its client address."""
    return f"account:{name.casefold()[:100]}", f"address:{address[:100]}"


def client_address(environ: Mapping[str, Any], trusted_proxies: Collection[str]) -> str:
    """The client's address: the connection's, or, when that is a trusted proxy, the address
    the proxy added last to X-Forwarded-For (what comes before it, the client wrote itself)."""
    address = str(environ.get("REMOTE_ADDR") or "unknown")
    if address in trusted_proxies:
        forwarded = str(environ.get("HTTP_X_FORWARDED_FOR", "")).rsplit(",", 1)[-1].strip()
        return forwarded or address
    return address


class Throttle:
    """The failure counts in the database at ``path``."""

    def __init__(
        self,
        path: str,
        first_delay: float = FIRST_DELAY,
        max_delay: float = MAX_DELAY,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.clock = clock

    def delay(self, failures: int) -> float:
        """How long a key with ``failures`` recent failures waits after the last one."""
        if failures < FREE_FAILURES:
            return 0.0
        return min(self.max_delay, self.first_delay * 2 ** min(failures - FREE_FAILURES, 64))

    def wait(self, keys: Sequence[str]) -> float:
        """Seconds until a login for ``keys`` may be tried; 0 when it may be tried now."""
        now = self.clock()
        with closing(db.connect(self.path)) as connection:
            rows = connection.execute(
                f"SELECT failures, last FROM login_failures WHERE key IN ({', '.join('?' * len(keys))})", tuple(keys)
            ).fetchall()
        return max([0.0] + [row["last"] + self.delay(row["failures"]) - now for row in rows])

    def failed(self, keys: Sequence[str]) -> None:
        """Count a wrong login against each of ``keys``."""
        now = self.clock()
        forgotten = now - self.max_delay
        with closing(db.connect(self.path)) as connection, db.transaction(connection):
            connection.execute("DELETE FROM login_failures WHERE last < ?", (forgotten,))
            connection.executemany(
                "INSERT INTO login_failures (key, failures, last) VALUES (?, 1, ?)"
                " ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last = excluded.last",
                [(key, now) for key in keys],
            )

    def succeeded(self, account_key: str) -> None:
        """Forget the failures of the account that just logged in (not its address's: one
        account known to a guesser must not reset the count of the guesses at others)."""
        with closing(db.connect(self.path)) as connection, db.transaction(connection):
            connection.execute("DELETE FROM login_failures WHERE key = ?", (account_key,))

    def count(self) -> int:
        """How many keys have failures on record."""
        with closing(db.connect(self.path)) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM login_failures").fetchone()[0])
