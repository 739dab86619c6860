"""Slowing down password guessing: wrong logins counted per account and per client address.

The first :data:`FREE_FAILURES` wrong logins for a key (an account name, or an address) cost
nothing; after that the key must wait before its next try, ``first_delay`` seconds after the
fifth failure, doubling with each further one up to ``max_delay``. While a key waits, every
login for it is refused with a 429 and Retry-After, the right password included (or guessing
would not be slowed at all), without hashing anything. Each attempt is counted as a failure
before its password is checked, in the same transaction that checks the wait, so guesses sent
at once cannot slip through together; a successful login then takes its count back and
forgets its account's failures. Failures are forgotten ``max_delay`` after the last one.

Behind a reverse proxy every connection comes from the proxy: the ``films.trusted_proxies``
setting lists the proxies whose ``X-Forwarded-For`` says who the client is.

Counts live in the database, so every server process sees the same ones, and rows older than
``max_delay`` are deleted as new failures come, so the table holds only recent guessers. An
attacker can make a victim's account wait (the usual price of per-account throttling); the
delays stay short enough that the victim only waits.
"""

from __future__ import annotations

import sqlite3
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
        with closing(db.connect(self.path)) as connection:
            return self._wait(connection, keys, self.clock())

    def _wait(self, connection: sqlite3.Connection, keys: Sequence[str], now: float) -> float:
        rows = connection.execute(
            f"SELECT failures, last FROM login_failures WHERE key IN ({', '.join('?' * len(keys))})", tuple(keys)
        ).fetchall()
        delays = [(row["last"], self.delay(row["failures"])) for row in rows]
        return max([0.0] + [last + delay - now for last, delay in delays if delay > 0])

    def attempt(self, keys: Sequence[str]) -> float:
        """Count a login attempt against each of ``keys`` as a failure, unless they must wait:
        then the seconds to wait, and nothing is counted; 0 when the attempt was counted.

        Checking and counting is one write transaction, before the password is checked, so
        guesses sent at once cannot all pass the check before any of them is counted; a
        successful login takes its count back (:meth:`succeeded`).
        """
        with closing(db.connect(self.path)) as connection, db.transaction(connection):
            now = self.clock()  # once the lock is held: the times written only ever go up
            connection.execute("DELETE FROM login_failures WHERE last < ?", (now - self.max_delay,))
            wait = self._wait(connection, keys, now)
            if wait <= 0:
                connection.executemany(
                    "INSERT INTO login_failures (key, failures, last) VALUES (?, 1, ?)"
                    " ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last = excluded.last",
                    [(key, now) for key in keys],
                )
        return max(wait, 0.0)

    def succeeded(self, keys: Sequence[str]) -> None:
        """Forget the failures of the account (``keys[0]``) that just logged in, and take this
        attempt back from the others (the address's: one account known to a guesser must not
        reset the count of the guesses at other accounts)."""
        with closing(db.connect(self.path)) as connection, db.transaction(connection):
            connection.execute("DELETE FROM login_failures WHERE key = ?", (keys[0],))
            connection.executemany(
                "UPDATE login_failures SET failures = failures - 1 WHERE key = ?", [(key,) for key in keys[1:]]
            )
            connection.execute("DELETE FROM login_failures WHERE failures <= 0")

    def count(self) -> int:
        """How many keys have failures on record."""
        with closing(db.connect(self.path)) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM login_failures").fetchone()[0])
