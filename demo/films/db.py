"""The catalogue's SQLite database: schema, first-start seeding, queries, and one transaction per request.

Everything the application must share between processes lives here, not in memory: the
films, the accounts and the cookie secret. Several server processes (``gunicorn -w 4``) can
start at once on one file; creating and seeding are idempotent and serialised by SQLite.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from . import passwords, seed

if TYPE_CHECKING:
    import webob

    from viewpick import Configurator, Request
    from viewpick.app import Application
    from viewpick.tweens import Handler

DEFAULT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "films.sqlite3")

SCHEMA = """
CREATE TABLE IF NOT EXISTS films (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    year INTEGER NOT NULL,
    language TEXT NOT NULL,
    genres TEXT NOT NULL,  -- comma-separated
    director TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, password TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last REAL NOT NULL);
"""

# Methods that only read; any other request may write, so it takes the write lock when it opens.
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Film:
    """One film as stored; ``version`` goes up by one with every edit."""

    id: int
    title: str
    year: int
    language: str
    genres: tuple[str, ...]
    director: str
    version: int

    def __json__(self, request: Request | None) -> dict[str, Any]:
        return {**asdict(self), "genres": list(self.genres)}


def connect(path: str) -> sqlite3.Connection:
    """A connection that waits for other writers and leaves transactions to the caller."""
    connection = sqlite3.connect(path, timeout=10, isolation_level=None)
    connection.row_factory = sqlite3.Row
    connection.create_function("casefold", 1, lambda text: text.casefold() if text else text, deterministic=True)
    return connection


def initialise(path: str, iterations: int = passwords.ITERATIONS) -> None:
    """Create the tables, and fill them on first start: the films, the demo account and a
    random secret for signing cookies. Safe to run from several processes at once."""
    with closing(connect(path)) as connection:
        connection.execute("PRAGMA journal_mode = WAL")  # readers do not wait for the writer
        connection.executescript(SCHEMA)
        with transaction(connection):
            if connection.execute("SELECT COUNT(*) FROM films").fetchone()[0] == 0:
                connection.executemany(
                    "INSERT INTO films (title, year, language, genres, director) VALUES (?, ?, ?, ?, ?)",
                    [
                        (title, year, language, ", ".join(genres), director)
                        for title, year, language, genres, director in seed.FILMS
                    ],
                )
            name, password = seed.DEMO_USER
            if connection.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is None:
                connection.execute(
                    "INSERT INTO users (name, password) VALUES (?, ?)",
                    (name, passwords.hash_password(password, iterations=iterations)),
                )
            connection.execute(
                "INSERT OR IGNORE INTO secrets (name, value) VALUES ('cookies', ?)", (secrets.token_urlsafe(32),)
            )


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``with transaction(connection):`` runs the block in one write transaction."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def stored_secret(path: str) -> str:
    """The secret :func:`initialise` stored, the same for every process using the file."""
    with closing(connect(path)) as connection:
        return str(connection.execute("SELECT value FROM secrets WHERE name = 'cookies'").fetchone()[0])


def open_for_request(request: Request) -> sqlite3.Connection:
    """``request.db``: a connection opened when a view first asks for it, inside a transaction
    that :func:`transaction_tween_factory` ends with the request."""
    connection = connect(request.app.settings["films.db"])
    # A request that may write takes the write lock at once: SQLite refuses (rather than waits)
    # to upgrade a read transaction when another process wrote in between.
    try:
        connection.execute("BEGIN" if request.method in READ_ONLY_METHODS else "BEGIN IMMEDIATE")
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def transaction_tween_factory(handler: Handler, app: Application) -> Handler:
    """The request is the unit of work: what its view wrote is committed when the answer is a
    success, and rolled back when the view raised or the answer is an error (4xx, 5xx)."""

    def transaction_tween(request: Request) -> webob.Response:
        try:
            response = handler(request)
        except BaseException:
            _end_transaction(request, commit=False)
            raise
        _end_transaction(request, commit=request.exception is None and response.status_code < 400)
        return response

    return transaction_tween


def _end_transaction(request: Request, commit: bool) -> None:
    connection: sqlite3.Connection | None = request.__dict__.get("db")  # None: no view opened it
    if connection is not None:
        try:
            connection.execute("COMMIT" if commit else "ROLLBACK")
        finally:
            connection.close()


def includeme(config: Configurator) -> None:
    """``config.include('demo.films.db')``: ``request.db`` and the tween that ends its transaction."""
    config.add_request_method(open_for_request, "db", reify=True)
    config.add_tween(transaction_tween_factory)


def _film(row: sqlite3.Row) -> Film:
    genres = tuple(genre.strip() for genre in row["genres"].split(",") if genre.strip())
    return Film(row["id"], row["title"], row["year"], row["language"], genres, row["director"], row["version"])


def search(connection: sqlite3.Connection, query: str = "") -> list[Film]:
    """The films whose title, director, language or genres contain ``query``, ignoring case;
    all of them for an empty query. Sorted by title."""
    rows = connection.execute(
        "SELECT * FROM films"
        " WHERE instr(casefold(title || char(10) || director || char(10) || language || char(10) || genres), ?) > 0"
        " ORDER BY casefold(title), id",
        (query.casefold(),),
    )
    return [_film(row) for row in rows]


def get_film(connection: sqlite3.Connection, film_id: int) -> Film | None:
    row = connection.execute("SELECT * FROM films WHERE id = ?", (film_id,)).fetchone()
    return None if row is None else _film(row)


def update_film(connection: sqlite3.Connection, film_id: int, values: Mapping[str, Any]) -> Film | None:
    """Save ``values`` over the film if it is still at ``values['version']``: the updated film,
    or None when the film has changed (or gone) since, and nothing was written."""
    cursor = connection.execute(
        "UPDATE films SET title = ?, year = ?, language = ?, genres = ?, director = ?, version = version + 1"
        " WHERE id = ? AND version = ?",
        (
            values["title"],
            values["year"],
            values["language"],
            ", ".join(values["genres"]),
            values["director"],
            film_id,
            values["version"],
        ),
    )
    return get_film(connection, film_id) if cursor.rowcount == 1 else None


def stored_password(connection: sqlite3.Connection, name: str) -> str | None:
    """The stored password hash of user ``name``, or None for an unknown user."""
    row = connection.execute("SELECT password FROM users WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row["password"])


def check_login(path: str, name: str, password: str, iterations: int = passwords.ITERATIONS) -> bool:
    """Whether ``password`` is user ``name``'s; a hash made at a lower cost is remade at ``iterations``.

    The slow hashing runs while this process holds no transaction (the login request does not
    use ``request.db``, which would hold the write lock for a POST): one guesser must not stall
    every edit. The upgrade is written only if nobody changed the hash meanwhile.
    """
    with closing(connect(path)) as connection:
        stored = stored_password(connection, name)
    if not passwords.check_password(password, stored, iterations):
        return False
    if stored is not None and passwords.needs_upgrade(stored, iterations):
        upgraded = passwords.hash_password(password, iterations=iterations)
        with closing(connect(path)) as connection, transaction(connection):
            connection.execute(
                "UPDATE users SET password = ? WHERE name = ? AND password = ?", (upgraded, name, stored)
            )
    return True
