"""Guessing passwords is slowed: after a few wrong logins for one account or from one address,
logins there are refused with a 429 and Retry-After for a delay that doubles with each
further failure; the right password works again once the delay is over."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from webob import Request
from webtest import TestApp

from demo.films import main
from demo.films.throttle import FREE_FAILURES, Throttle

from .conftest import FAST, SECRET, log_in


def fail(app: TestApp, times: int, name: str = "demo", address: str = "192.0.2.1") -> None:
    for _ in range(times):
        app.extra_environ["REMOTE_ADDR"] = address
        assert log_in(app, name=name, password="guess").status_int == 400


def test_an_attempt_while_waiting_is_not_counted(throttle: Throttle, clock: list[float]) -> None:
    for _ in range(FREE_FAILURES):
        throttle.attempt(("account:demo",))
    assert throttle.attempt(("account:demo",)) == 2
    clock[0] += 2
    assert throttle.attempt(("account:demo",)) == 0  # the wait did not grow
    assert throttle.wait(("account:demo",)) == 4


def test_a_free_attempt_never_waits_even_on_a_clock_behind_the_last_failure(
    throttle: Throttle, clock: list[float]
) -> None:
    """Another thread or process may have written a later time first."""
    throttle.attempt(("account:demo",))
    clock[0] -= 1
    assert throttle.attempt(("account:demo",)) == 0


def test_a_few_wrong_passwords_are_answered_as_wrong(films: TestApp) -> None:
    fail(films, FREE_FAILURES)


def test_after_a_few_wrong_passwords_the_account_is_refused_with_429_and_retry_after(films: TestApp) -> None:
    fail(films, FREE_FAILURES)
    response = log_in(films, password="guess")
    assert response.status_int == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert "Too many failed logins" in response.text


def test_during_the_delay_even_the_right_password_is_refused(films: TestApp) -> None:
    fail(films, FREE_FAILURES)
    assert log_in(films).status_int == 429


def test_the_right_password_works_once_the_delay_is_over(films: TestApp) -> None:
    fail(films, FREE_FAILURES)
    time.sleep(0.25)  # the first delay is 0.2 s in these tests
    assert log_in(films).status_int == 303


def test_guessing_from_one_address_is_slowed_across_accounts(films: TestApp) -> None:
    for n in range(FREE_FAILURES):
        fail(films, 1, name=f"user{n}")
    films.extra_environ["REMOTE_ADDR"] = "192.0.2.1"
    assert log_in(films, name="someone-else", password="guess").status_int == 429


def test_another_address_can_log_in_to_another_account_meanwhile(films: TestApp) -> None:
    fail(films, FREE_FAILURES, name="nobody")
    films.extra_environ["REMOTE_ADDR"] = "198.51.100.7"
    assert log_in(films).status_int == 303


def test_a_successful_login_forgets_the_accounts_failures(films: TestApp) -> None:
    fail(films, FREE_FAILURES - 1)
    films.extra_environ["REMOTE_ADDR"] = "198.51.100.7"
    assert log_in(films).status_int == 303
    fail(films, FREE_FAILURES - 1, address="203.0.113.9")  # the account starts from nothing again
    films.extra_environ["REMOTE_ADDR"] = "203.0.113.5"
    assert log_in(films).status_int == 303


@pytest.fixture
def clock() -> list[float]:
    return [1000.0]


@pytest.fixture
def throttle(db_path: str, clock: list[float]) -> Throttle:
    main({"films.db": db_path, "films.secret": SECRET, **FAST})  # creates the tables
    return Throttle(db_path, first_delay=2, max_delay=60, clock=lambda: clock[0])


def test_the_delay_doubles_with_each_failure_past_the_free_ones(throttle: Throttle, clock: list[float]) -> None:
    keys = ("account:demo",)
    waits = []
    for _ in range(FREE_FAILURES + 4):
        assert throttle.attempt(keys) == 0
        waits.append(throttle.wait(keys))
        clock[0] += waits[-1]  # wait it out, then fail again
    assert waits == [0] * (FREE_FAILURES - 1) + [2, 4, 8, 16, 32]


def test_the_delay_stops_growing_at_the_maximum(throttle: Throttle, clock: list[float]) -> None:
    for _ in range(FREE_FAILURES + 10):
        assert throttle.attempt(("account:demo",)) == 0
        wait = throttle.wait(("account:demo",))
        clock[0] += wait  # the next attempt once this one's wait is over
    assert wait == 60


def test_failures_are_forgotten_after_the_maximum_delay(throttle: Throttle, clock: list[float]) -> None:
    for _ in range(FREE_FAILURES):
        throttle.attempt(("account:demo",))
    clock[0] += 61
    throttle.attempt(("account:demo",))
    assert throttle.wait(("account:demo",)) == 0


def test_old_failures_are_deleted_so_the_table_stays_small(throttle: Throttle, clock: list[float]) -> None:
    for n in range(20):
        throttle.attempt((f"address:{n}",))
    clock[0] += 61
    throttle.attempt(("address:new",))
    assert throttle.count() == 1


@pytest.fixture
def behind_proxy(db_path: str) -> TestApp:
    """The catalogue trusting the proxy at 192.0.2.1 to say who its clients are."""
    return TestApp(main({"films.db": db_path, "films.secret": SECRET, **FAST, "films.trusted_proxies": "192.0.2.1"}))


def via(app: TestApp, forwarded_for: str, proxy: str = "192.0.2.1") -> TestApp:
    app.extra_environ.update(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded_for)
    return app


def test_behind_a_trusted_proxy_each_client_address_is_counted_apart(behind_proxy: TestApp) -> None:
    for n in range(FREE_FAILURES):
        assert log_in(via(behind_proxy, "198.51.100.1"), name=f"user{n}", password="guess").status_int == 400
    assert log_in(via(behind_proxy, "198.51.100.2")).status_int == 303
    assert log_in(via(behind_proxy, "198.51.100.1"), name="other", password="guess").status_int == 429


def test_only_the_address_the_trusted_proxy_added_counts_not_what_the_client_wrote(behind_proxy: TestApp) -> None:
    for n in range(FREE_FAILURES):
        log_in(via(behind_proxy, f"10.0.0.{n}, 198.51.100.1"), name=f"user{n}", password="guess")
    assert log_in(via(behind_proxy, "10.9.9.9, 198.51.100.1"), name="other", password="guess").status_int == 429


def test_x_forwarded_for_from_an_untrusted_address_is_ignored(behind_proxy: TestApp) -> None:
    for n in range(FREE_FAILURES):
        log_in(via(behind_proxy, f"198.51.100.{n}", proxy="203.0.113.1"), name=f"user{n}", password="guess")
    assert log_in(via(behind_proxy, "198.51.100.99", proxy="203.0.113.1"), name="x", password="y").status_int == 429


def test_guesses_made_at_once_are_counted_before_any_password_is_checked(db_path: str) -> None:
    """Ten guesses sent together: only the free ones are checked, the rest wait, however many
    threads check passwords at the same time (hashing is made slow here so that they overlap)."""
    app = main({"films.db": db_path, "films.secret": SECRET, **FAST, "films.password_iterations": "200000"})
    browser = TestApp(app)
    token = browser.get("/login").forms["login"]["csrf_token"].value  # and the session cookie that holds it
    cookie = f"films_session={browser.cookies['films_session']}"

    def guess(n: int) -> int:
        form = {"name": "demo", "password": f"guess {n}", "csrf_token": token}
        request = Request.blank("/login", POST=form, headers={"Cookie": cookie}, remote_addr="192.0.2.1")
        return request.get_response(app).status_int

    with ThreadPoolExecutor(10) as pool:
        statuses = sorted(pool.map(guess, range(10)))
    assert statuses == [400] * FREE_FAILURES + [429] * (10 - FREE_FAILURES)
