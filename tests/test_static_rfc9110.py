"""Static files answer conditional and range requests as RFC 9110 says (sections 13.1-13.2
and 14): each precondition, in the RFC's order, and each kind of Range."""

from __future__ import annotations

import email
import email.policy

import pytest
from webtest import TestApp

from viewpick import Configurator

LETTERS = "/static/letters.txt"
OLD_DATE = "Sat, 01 Jan 2000 00:00:00 GMT"
FUTURE_DATE = "Fri, 01 Jan 2100 00:00:00 GMT"


@pytest.fixture
def app(tmp_path) -> TestApp:
    (tmp_path / "letters.txt").write_text("abcdefghij")
    (tmp_path / "empty.txt").write_text("")
    config = Configurator()
    config.add_static_view("static", str(tmp_path))
    return TestApp(config.make_wsgi_app())


@pytest.fixture
def validators(app: TestApp) -> tuple[str, str]:
    response = app.get(LETTERS)
    return response.headers["ETag"], response.headers["Last-Modified"]


# --- preconditions (13.1, evaluated as 13.2.2 orders them) ---------------------------------


def test_if_match_with_the_current_etag_gets_the_file(app, validators):
    assert app.get(LETTERS, headers={"If-Match": validators[0]}, status=200).text == "abcdefghij"


def test_if_match_with_another_etag_is_412(app):
    app.get(LETTERS, headers={"If-Match": '"old"'}, status=412)


def test_if_match_star_holds_for_an_existing_file(app):
    app.get(LETTERS, headers={"If-Match": "*"}, status=200)


def test_if_match_never_matches_a_weak_tag(app, validators):
    app.get(LETTERS, headers={"If-Match": f"W/{validators[0]}"}, status=412)


def test_if_unmodified_since_before_the_last_change_is_412(app):
    app.get(LETTERS, headers={"If-Unmodified-Since": OLD_DATE}, status=412)


def test_if_unmodified_since_after_the_last_change_gets_the_file(app):
    app.get(LETTERS, headers={"If-Unmodified-Since": FUTURE_DATE}, status=200)


def test_if_match_is_evaluated_instead_of_if_unmodified_since(app, validators):
    headers = {"If-Match": validators[0], "If-Unmodified-Since": OLD_DATE}
    app.get(LETTERS, headers=headers, status=200)


def test_a_failed_if_match_wins_over_a_matching_if_none_match(app, validators):
    app.get(LETTERS, headers={"If-Match": '"old"', "If-None-Match": validators[0]}, status=412)


def test_if_none_match_star_is_304_for_get_and_head(app):
    app.get(LETTERS, headers={"If-None-Match": "*"}, status=304)
    app.head(LETTERS, headers={"If-None-Match": "*"}, status=304)


def test_if_none_match_in_a_list_with_spaces_and_empty_elements_is_304(app, validators):
    app.get(LETTERS, headers={"If-None-Match": f' "a", ,{validators[0]} '}, status=304)


def test_a_304_keeps_the_validators_and_caching_headers_but_no_body_type(app, validators):
    response = app.get(LETTERS, headers={"If-None-Match": validators[0]}, status=304)
    assert (response.headers["ETag"], response.headers["Last-Modified"]) == validators
    assert response.headers["Cache-Control"] == "max-age=3600"
    assert "Content-Type" not in response.headers


def test_an_unreadable_if_modified_since_is_ignored(app):
    app.get(LETTERS, headers={"If-Modified-Since": "yesterday"}, status=200)


def test_a_412_carries_none_of_the_files_headers(app):
    response = app.get(LETTERS, headers={"If-Match": '"old"'}, status=412)
    for name in ("ETag", "Last-Modified", "Cache-Control", "Accept-Ranges"):
        assert name not in response.headers


# --- ranges (14) ------------------------------------------------------------------------------


def test_one_range_gets_206_with_content_range(app):
    response = app.get(LETTERS, headers={"Range": "bytes=2-4"}, status=206)
    assert (response.text, response.headers["Content-Range"]) == ("cde", "bytes 2-4/10")


def test_a_range_past_the_end_is_cut_at_the_end(app):
    response = app.get(LETTERS, headers={"Range": "bytes=7-100"}, status=206)
    assert (response.text, response.headers["Content-Range"]) == ("hij", "bytes 7-9/10")


def test_an_open_range_runs_to_the_end(app):
    assert app.get(LETTERS, headers={"Range": "bytes=8-"}, status=206).text == "ij"


def test_several_ranges_are_answered_as_multipart_byteranges(app):
    response = app.get(LETTERS, headers={"Range": "bytes=0-1,5-6, -2"}, status=206)
    assert response.content_type == "multipart/byteranges"
    assert int(response.headers["Content-Length"]) == len(response.body)
    message = email.message_from_bytes(
        f"Content-Type: {response.headers['Content-Type']}\r\n\r\n".encode() + response.body,
        policy=email.policy.HTTP,
    )
    parts = [(part["Content-Range"], part.get_payload(decode=True)) for part in message.iter_parts()]
    assert parts == [("bytes 0-1/10", b"ab"), ("bytes 5-6/10", b"fg"), ("bytes 8-9/10", b"ij")]
    assert all(part["Content-Type"].startswith("text/plain") for part in message.iter_parts())


def test_overlapping_ranges_get_the_whole_file_never_a_part_that_drops_some(app):
    response = app.get(LETTERS, headers={"Range": "bytes=0-4,3-6"}, status=200)
    assert response.text == "abcdefghij"


def test_too_many_ranges_get_the_whole_file(app):
    ranges = ",".join(f"{n}-{n}" for n in range(10)) + "," + ",".join(f"-{n}" for n in range(1, 8))
    assert app.get(LETTERS, headers={"Range": f"bytes={ranges}"}, status=200).text == "abcdefghij"


def test_unsatisfiable_ranges_drop_out_of_several(app):
    response = app.get(LETTERS, headers={"Range": "bytes=2-3, 50-60"}, status=206)
    assert (response.text, response.headers["Content-Range"]) == ("cd", "bytes 2-3/10")


def test_a_range_wholly_past_the_end_is_416_with_the_length_and_no_caching_headers(app):
    response = app.get(LETTERS, headers={"Range": "bytes=10-20"}, status=416)
    assert response.headers["Content-Range"] == "bytes */10"
    for name in ("ETag", "Last-Modified", "Cache-Control", "Accept-Ranges"):
        assert name not in response.headers


def test_any_range_of_an_empty_file_is_416(app):
    app.get("/static/empty.txt", headers={"Range": "bytes=-5"}, status=416)


def test_a_range_in_another_unit_is_ignored(app):
    assert app.get(LETTERS, headers={"Range": "lines=1-2"}, status=200).text == "abcdefghij"


@pytest.mark.parametrize("header", ["bytes=5-2", "bytes=a-b", "bytes=,", "bytes=1-2-3"])
def test_a_bytes_range_that_cannot_be_read_is_400(app, header):
    app.get(LETTERS, headers={"Range": header}, status=400)


def test_a_range_with_huge_numbers_is_answered_not_crashed(app):
    app.get(LETTERS, headers={"Range": "bytes=" + "9" * 5000 + "-"}, status=416)
    assert app.get(LETTERS, headers={"Range": "bytes=-" + "9" * 5000}, status=206).text == "abcdefghij"


def test_head_ignores_range(app):
    response = app.head(LETTERS, headers={"Range": "bytes=0-1"}, status=200)
    assert response.headers["Content-Length"] == "10"


def test_if_range_with_the_current_etag_gets_the_part(app, validators):
    headers = {"Range": "bytes=0-1", "If-Range": validators[0]}
    assert app.get(LETTERS, headers=headers, status=206).text == "ab"


def test_if_range_with_an_old_etag_gets_the_whole_file(app):
    headers = {"Range": "bytes=0-1", "If-Range": '"old"'}
    assert app.get(LETTERS, headers=headers, status=200).text == "abcdefghij"


def test_if_range_with_the_last_modified_date_gets_the_part(app, validators):
    headers = {"Range": "bytes=0-1", "If-Range": validators[1]}
    assert app.get(LETTERS, headers=headers, status=206).text == "ab"


def test_if_range_with_another_date_gets_the_whole_file(app):
    headers = {"Range": "bytes=0-1", "If-Range": OLD_DATE}
    assert app.get(LETTERS, headers=headers, status=200).text == "abcdefghij"


def test_if_range_with_a_weak_etag_gets_the_whole_file(app, validators):
    headers = {"Range": "bytes=0-1", "If-Range": f"W/{validators[0]}"}
    assert app.get(LETTERS, headers=headers, status=200).text == "abcdefghij"
