"""Stored passwords: PBKDF2-SHA256 at the current recommended cost, upgraded when a user logs
in with a hash made at a lower one, and computed while no write lock is held."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any

import pytest
from webtest import TestApp

from demo.films import db, passwords

from .conftest import log_in


def stored_hash(db_path: str, name: str = "demo") -> str:
    with closing(sqlite3.connect(db_path)) as connection:
        return str(connection.execute("SELECT password FROM users WHERE name = ?", (name,)).fetchone()[0])


def set_hash(db_path: str, value: str, name: str = "demo") -> None:
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute("UPDATE users SET password = ? WHERE name = ?", (value, name))


def test_the_default_cost_is_600000_iterations_of_pbkdf2_sha256() -> None:
    assert passwords.ITERATIONS == 600_000
    assert passwords.hash_password("x", iterations=passwords.ITERATIONS).startswith("pbkdf2_sha256$600000$")


def test_a_hash_checks_only_its_own_password() -> None:
    stored = passwords.hash_password("right", iterations=1000)
    assert passwords.check_password("right", stored)
    assert not passwords.check_password("wrong", stored)
    assert not passwords.check_password("right", None, iterations=1000)


def test_the_iterations_setting_sets_the_cost_of_new_hashes(films: TestApp, db_path: str) -> None:
    assert stored_hash(db_path).startswith("pbkdf2_sha256$1000$")


def test_a_hash_made_at_a_lower_cost_is_upgraded_when_the_user_logs_in(films: TestApp, db_path: str) -> None:
    set_hash(db_path, passwords.hash_password("demo", iterations=500))
    assert log_in(films).status_int == 303
    upgraded = stored_hash(db_path)
    assert upgraded.startswith("pbkdf2_sha256$1000$")
    assert passwords.check_password("demo", upgraded)


def test_a_wrong_password_upgrades_nothing(films: TestApp, db_path: str) -> None:
    old = passwords.hash_password("demo", iterations=500)
    set_hash(db_path, old)
    assert log_in(films, password="guess").status_int == 400
    assert stored_hash(db_path) == old


@pytest.mark.parametrize("password", ["demo", "guess"])
def test_the_password_is_hashed_while_no_write_lock_is_held(
    films: TestApp, db_path: str, monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    """While the login hashes, another connection can take the write lock at once: one
    guesser does not stall every edit."""
    set_hash(db_path, passwords.hash_password("demo", iterations=500))  # so the login also upgrades
    could_write: list[bool] = []
    derive = passwords.derive

    def derive_and_try_to_write(*args: Any) -> str:
        with closing(db.connect(db_path)) as other:
            other.execute("PRAGMA busy_timeout = 0")
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                could_write.append(True)
            except sqlite3.OperationalError:
                could_write.append(False)
        return derive(*args)

    monkeypatch.setattr(passwords, "derive", derive_and_try_to_write)
    log_in(films, password=password)
    assert could_write and all(could_write)
