"""Request bodies: a body the client got wrong is a 400, a body too large is a 413, never a 500.

``request.json_body`` and ``request.POST`` raise :class:`InvalidBody` (a 400 that is also a
``ValueError``, so views that catch bad input keep working) with a message saying what is
wrong and where. :class:`CappedInput` refuses to read past ``max_body_bytes`` when the
client did not say how long its body is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from email.message import Message
from typing import Any, BinaryIO
from urllib.parse import unquote_to_bytes

from webob.exc import HTTPBadRequest, HTTPRequestEntityTooLarge, HTTPUnsupportedMediaType

from .errors import clip
from .upstream import parsed_form_fields

DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class InvalidBody(HTTPBadRequest, ValueError):
    """The request body cannot be decoded as its Content-Type says."""

    def __init__(self, detail: str) -> None:
        HTTPBadRequest.__init__(self, detail=detail)


class UnsupportedCharset(HTTPUnsupportedMediaType, ValueError):
    """A form body in a charset other than UTF-8, which WebOb cannot decode."""

    def __init__(self, detail: str) -> None:
        HTTPUnsupportedMediaType.__init__(self, detail=detail)


class BodyTooLarge(HTTPRequestEntityTooLarge):
    """The request body is larger than ``settings['max_body_bytes']``."""

    def __init__(self, limit: int) -> None:
        super().__init__(detail=too_large(limit))


def too_large(limit: int) -> str:
    return f"The request body is larger than this server accepts ({limit} bytes)."


def decode_json(body: bytes, charset: str) -> Any:
    """The JSON document in ``body``; :class:`InvalidBody` naming the line and column at fault."""
    try:
        text = body.decode(charset)
    except UnicodeDecodeError as exc:
        raise InvalidBody(
            f"The request body is not valid {clip(charset)}: byte 0x{body[exc.start]:02x} at offset {exc.start}."
        ) from None
    except UnicodeError:  # punycode and idna fail without saying where
        raise InvalidBody(f"The request body is not valid {clip(charset)}.") from None
    except LookupError:  # not a codec, or not one for text (hex, rot13)
        raise InvalidBody(f"The request body's charset {clip(charset)!r} is not known.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidBody(
            f"The request body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except RecursionError:
        raise InvalidBody("The request body is not usable JSON: it is nested too deeply.") from None
    except ValueError:  # an integer of more digits than int() converts (sys.get_int_max_str_digits())
        raise InvalidBody("The request body is not usable JSON: it has a number too long to read.") from None


def check_urlencoded(body: bytes) -> None:
    """Refuse a urlencoded form whose names or values are not UTF-8 once percent-decoded
    (WebOb would quietly replace the bad bytes)."""
    for pair in body.split(b"&"):
        for part in pair.split(b"=", 1):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                name = unquote_to_bytes(pair.split(b"=", 1)[0].replace(b"+", b" ")).decode("utf-8", "replace")
                raise InvalidBody(f"The form field {clip(name)!r} is not valid UTF-8.") from None


# What RFC 2046 allows in a multipart boundary, as the parser checks it: 1 to 70 characters.
_BOUNDARY = re.compile(r"[ -~]{0,69}[!-~]\Z")


def check_boundary(content_type: str) -> None:
    """Refuse a multipart form whose Content-Type header has no usable ``boundary`` (the
    parser would raise a bare ValueError, or read the whole body as one field)."""
    header = Message()
    header["Content-Type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not _BOUNDARY.match(boundary):
        raise InvalidBody("The multipart form's Content-Type has no valid boundary parameter.")


def check_multipart(body: bytes, fields: Any) -> None:
    """Refuse a multipart form whose text fields had bytes that are not UTF-8.

    The parser has already replaced them with U+FFFD; a replacement character that the
    client did not send itself is the sign.
    """
    if b"\xef\xbf\xbd" in body:
        return
    for name, value in fields.items():
        if isinstance(value, str) and "\ufffd" in value:
            shown = repr(clip(name)) if isinstance(name, str) else "without a name"
            raise InvalidBody(f"The form field {shown} is not valid UTF-8.")


class CappedInput:
    """``wsgi.input`` for a body of unknown length: reading past ``limit`` bytes raises
    :class:`BodyTooLarge` instead of filling memory."""

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        self.stream = stream
        self.limit = limit
        self.seen = 0

    def _count(self, data: bytes) -> bytes:
        self.seen += len(data)
        if self.seen > self.limit:
            raise BodyTooLarge(self.limit)
        return data

    def read(self, size: int = -1) -> bytes:
        return self._count(self.stream.read(self._room(size)))

    def readline(self, size: int = -1) -> bytes:
        return self._count(self.stream.readline(self._room(size)))

    def _room(self, size: int | None) -> int:
        """How much to ask of the stream: at most one byte past the limit, so going past shows."""
        room = self.limit + 1 - self.seen
        return room if size is None or size < 0 else min(size, room)

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line


class ReleasingBody:
    """The response body, wrapped so that when the server closes it, the copies WebOb made of
    the request body (a temporary file past 10 KB) and uploaded files are closed too, rather
    than left for the garbage collector."""

    def __init__(self, app_iter: Iterable[bytes], environ: dict[str, Any], server_input: Any) -> None:
        self.app_iter = app_iter
        self.environ = environ
        self.server_input = server_input

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.app_iter)

    def close(self) -> None:
        try:
            if hasattr(self.app_iter, "close"):
                self.app_iter.close()
        finally:
            stream = self.environ.get("wsgi.input")
            if stream is not None and stream is not self.server_input and not isinstance(stream, CappedInput):
                stream.close()
            for value in parsed_form_fields(self.environ).values():
                if getattr(value, "file", None) is not None:
                    value.file.close()
