"""Static files: a view that serves one directory safely, and the URLs of files in it.

``config.add_static_view('static', 'mypkg:static')`` serves ``mypkg/static/app.css`` at
``/static/app.css``. No request can reach a file outside the directory: ``..``, absolute or
drive-letter segments, backslashes, NUL bytes and symlinks that lead out are all answered
404, the same as a missing file, so probing reveals nothing about what exists. Directories
are 404 too (no listings). Files are streamed in blocks, with a strong ETag and
Last-Modified, and answered as RFC 9110 says (sections 13 and 14): ``If-Match`` and
``If-Unmodified-Since`` that fail are a 412; a matching ``If-None-Match`` (``*`` included) or
an ``If-Modified-Since`` the file has not changed since is a 304, in the RFC's order (so
``If-None-Match`` wins over ``If-Modified-Since``); a Range gets a 206 of one part or a
``multipart/byteranges`` of several, never a part that drops some (overlapping ranges, or
more than :data:`MAX_RANGES`, get the whole file with a 200); ``If-Range`` that does not
name the file as it is gets the whole file; a Range wholly past the end is a 416 with
``Content-Range: bytes */length`` and none of the file's validators or caching headers.
"""

from __future__ import annotations

import mimetypes
import os
import re
import stat
import uuid
from collections.abc import Iterator, Sequence
from email.utils import formatdate
from itertools import pairwise
from typing import IO, TYPE_CHECKING, Any

from webob.exc import HTTPBadRequest, HTTPNotFound, HTTPPreconditionFailed, HTTPRequestRangeNotSatisfiable

from .exceptions import ConfigurationError
from .packages import package_directory
from .preconditions import NOT_MODIFIED, check, if_range_holds
from .response import Response

if TYPE_CHECKING:
    from .request import Request

ROUTE_PREFIX = "__static__/"
BLOCK_SIZE = 64 * 1024
_NAME = re.compile(r"[A-Za-z0-9._~!$&'()+,;=:@-]+(/[A-Za-z0-9._~!$&'()+,;=:@-]+)*\Z")

# Python's built-in table, not the system's (/etc/mime.types, the Windows registry): the same
# file gets the same Content-Type on every machine. Added: types that older Pythons lack.
_TYPES = mimetypes.MimeTypes()
for _extension, _type in {
    ".js": "text/javascript",  # RFC 9239; Python 3.11 still says application/javascript
    ".mjs": "text/javascript",
    ".map": "application/json",
    ".md": "text/markdown",
    ".webp": "image/webp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}.items():
    _TYPES.add_type(_type, _extension)

# A compressed file is sent as the file it is: with Content-Encoding, clients would unpack it.
_COMPRESSED = {"gzip": "application/gzip", "bzip2": "application/x-bzip2", "xz": "application/x-xz"}


def content_type(filename: str) -> str:
    """The Content-Type for a file name: text types in UTF-8, unknown types as bytes."""
    media_type, encoding = _TYPES.guess_type(filename, strict=False)
    if encoding is not None:
        return _COMPRESSED.get(encoding, "application/octet-stream")
    if media_type is None:
        return "application/octet-stream"
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def resolve_asset(spec: str, package: str | None) -> str:
    """The absolute, normalised path an asset spec names.

    ``'mypkg:static/app.css'`` is relative to package ``mypkg``'s directory; an absolute path
    stays; any other path is relative to ``package``'s directory (ValueError without one).
    """
    if os.path.isabs(spec):
        return os.path.normpath(spec)
    owner, colon, path = spec.partition(":")
    if not colon:
        if package is None:
            raise ValueError(f"{spec!r} is neither 'package:path' nor an absolute path")
        owner, path = package, spec
    try:
        directory = package_directory(owner)
    except ConfigurationError:
        raise ValueError(f"package {owner!r} cannot be imported") from None
    return os.path.normpath(os.path.join(directory, *path.split("/")))


def normalise_name(name: str) -> str:
    """The URL prefix of a static view: ``'static'`` from ``'/static/'``; ValueError if unusable."""
    stripped = name.strip("/")
    if not _NAME.match(stripped):
        raise ValueError(
            f"name {name!r} is not a URL prefix; use letters, digits and -._~ in segments such as 'static' or 'assets/v1'"
        )
    return stripped


class FileBody:
    """A file's bytes (all, or ``start`` to ``stop``), read in blocks as the server sends them.

    The server closes it once the response is done, which closes the file: also after a
    304 or a HEAD, when nothing was read.
    """

    def __init__(self, file: IO[bytes], start: int = 0, stop: int | None = None) -> None:
        self.file = file
        self.start = start
        self.stop = stop

    def __iter__(self) -> Iterator[bytes]:
        self.file.seek(self.start)
        left = None if self.stop is None else self.stop - self.start
        while left is None or left > 0:
            block = self.file.read(BLOCK_SIZE if left is None else min(BLOCK_SIZE, left))
            if not block:
                return
            if left is not None:
                left -= len(block)
            yield block

    def close(self) -> None:
        self.file.close()


class StaticView:
    """The view behind one ``add_static_view``: files from ``directory`` under ``/name/``."""

    def __init__(self, name: str, directory: str, cache_max_age: int | None) -> None:
        self.name = name
        self.route_name = ROUTE_PREFIX + name
        self.directory = os.path.normpath(os.path.abspath(directory))
        self.real_directory = os.path.realpath(self.directory)
        self.cache_max_age = cache_max_age

    def __repr__(self) -> str:
        return f"<StaticView /{self.name}/ -> {self.directory}>"

    def __call__(self, request: Request) -> Any:
        # Raised, not returned: the application's not-found view, if any, answers a missing file too.
        filename = self.find(request.matchdict.get("subpath", ()))
        if filename is None or request.path_info.endswith("/"):  # a directory's URL names no file
            raise HTTPNotFound()
        try:
            info = os.stat(filename)
        except OSError:  # gone, name too long: all look like "not here"
            raise HTTPNotFound() from None
        if not stat.S_ISREG(info.st_mode):  # directories, and FIFOs that would block open()
            raise HTTPNotFound()
        return self.answer(request, filename, info)

    def answer(self, request: Request, filename: str, info: os.stat_result) -> Response:
        """The file's answer by RFC 9110: its preconditions (13.2.2: 412 or 304), then its
        Range (14: one part, several as ``multipart/byteranges``, or 416), else all of it."""
        environ = request.environ
        size = info.st_size
        # Strong, from modification time and size: no need to read the file to answer a 304,
        # and every worker process (or machine with the same mtimes) agrees on it.
        etag = f'"{info.st_mtime_ns:x}-{size:x}"'
        last_modified = formatdate(int(info.st_mtime), usegmt=True)
        caching = [("Cache-Control", f"max-age={self.cache_max_age}")] if self.cache_max_age is not None else []
        validators = [("ETag", etag), ("Last-Modified", last_modified)]
        outcome = check(environ, etag, last_modified)
        if outcome == NOT_MODIFIED:
            return Response(status=304, headerlist=[*validators, *caching], app_iter=[])
        if outcome is not None:
            raise HTTPPreconditionFailed("The file does not meet the request's If-Match or If-Unmodified-Since.")
        ranges = None
        if (
            "HTTP_RANGE" in environ
            and environ["REQUEST_METHOD"] == "GET"
            and if_range_holds(environ, etag, last_modified)
        ):
            ranges = byte_ranges(environ["HTTP_RANGE"], size)
            if ranges == []:  # no range overlaps the file; a 416 says how long it is, and nothing of it
                raise HTTPRequestRangeNotSatisfiable(
                    f"No range of the Range header is inside the file, which is {size} bytes long.",
                    headers=[("Content-Range", f"bytes */{size}")],
                )
        media_type = content_type(filename)
        try:
            file = open(filename, "rb")  # noqa: SIM115 -- the body owns it and closes it
        except OSError:  # gone since, unreadable: "not here"
            raise HTTPNotFound() from None
        headers = [("Content-Type", media_type), *validators, ("Accept-Ranges", "bytes"), *caching]
        if not ranges:
            headers.append(("Content-Length", str(size)))
            return Response(status=200, headerlist=headers, app_iter=FileBody(file))
        if len(ranges) == 1:
            first, last = ranges[0]
            headers += [("Content-Range", f"bytes {first}-{last}/{size}"), ("Content-Length", str(last - first + 1))]
            return Response(status=206, headerlist=headers, app_iter=FileBody(file, first, last + 1))
        body = MultipartBody(file, ranges, size, media_type)
        headers[0] = ("Content-Type", f"multipart/byteranges; boundary={body.boundary}")
        headers.append(("Content-Length", str(body.length)))
        return Response(status=206, headerlist=headers, app_iter=body)

    def find(self, segments: Sequence[str]) -> str | None:
        """The file ``segments`` name inside the directory, or None if they try to leave it.

        The route drops empty segments (``//``), so only the segments themselves and where
        symlinks lead need checking.
        """
        for segment in segments:
            if (
                segment in (".", "..")
                or "\\" in segment
                or "\0" in segment
                or os.path.splitdrive(segment)[0]  # "C:" on Windows
            ):
                return None
        filename = os.path.realpath(os.path.join(self.directory, *segments))
        if os.path.commonpath([filename, self.real_directory]) != self.real_directory:
            return None
        return filename

    def url_segments(self, path: str) -> list[str] | None:
        """The URL segments under ``/name/`` for an absolute file path, or None if it is outside."""
        for base, candidate in ((self.directory, path), (self.real_directory, os.path.realpath(path))):
            if os.path.commonpath([candidate, base]) == base and candidate != base:
                return os.path.relpath(candidate, base).split(os.sep)
        return None


class MultipartBody:
    """Several ranges of a file as one ``multipart/byteranges`` body (RFC 9110, 14.6), each
    part with its Content-Type and Content-Range, read in blocks as the server sends them."""

    def __init__(self, file: IO[bytes], ranges: list[tuple[int, int]], size: int, media_type: str) -> None:
        self.file = file
        self.boundary = uuid.uuid4().hex
        self.parts = [
            (
                f"--{self.boundary}\r\nContent-Type: {media_type}\r\n"
                f"Content-Range: bytes {first}-{last}/{size}\r\n\r\n".encode("latin-1"),
                first,
                last,
            )
            for first, last in ranges
        ]
        self.end = f"--{self.boundary}--\r\n".encode("latin-1")
        self.length = sum(len(head) + last - first + 1 + 2 for head, first, last in self.parts) + len(self.end)

    def __iter__(self) -> Iterator[bytes]:
        for head, first, last in self.parts:
            yield head
            yield from FileBody(self.file, first, last + 1)
            yield b"\r\n"
        yield self.end

    def close(self) -> None:
        self.file.close()


# More ranges than this in one request get the whole file (RFC 9110, 14.2 lets a server ignore them).
MAX_RANGES = 16
_RANGE = re.compile(r"(\d*)-(\d*)\Z")
_DIGITS = 18  # a position with more digits is past the end of any file


def byte_ranges(header: str, size: int) -> list[tuple[int, int]] | None:
    """The ``(first, last)`` byte positions a Range header asks of a file of ``size`` bytes.

    None means "send the whole file": a unit other than bytes, more than :data:`MAX_RANGES`
    ranges, or ranges that overlap (a client asking for the same bytes twice). An empty list
    means no range is satisfiable (416). A bytes range that cannot be read (``bytes=-``,
    ``bytes=5-2``) is a 400.

    >>> byte_ranges('bytes=0-1, 5-6, -2', 10)
    [(0, 1), (5, 6), (8, 9)]
    """
    unit, equals, specs = header.partition("=")
    if unit.strip().lower() != "bytes" or not equals:
        return None
    ranges = []
    for element in specs.split(","):
        spec = element.replace(" ", "").replace("\t", "")
        if not spec:  # empty list elements are ignored (RFC 9110, 5.6.1.2)
            continue
        found = _RANGE.match(spec)
        if found is None or not (found[1] or found[2]):
            raise HTTPBadRequest("The Range header is not a byte range like bytes=0-99 or bytes=-100.")
        first, last = found[1], found[2]
        if first:
            start = int(first) if len(first) <= _DIGITS else size
            end = int(last) if last and len(last) <= _DIGITS else size - 1
            if last and end < start and len(first) <= _DIGITS:
                raise HTTPBadRequest("The Range header is not a byte range like bytes=0-99 or bytes=-100.")
            ranges.append((start, min(end, size - 1)))
        else:
            length = int(last) if len(last) <= _DIGITS else size
            ranges.append((max(0, size - length), size - 1 if length else -1))
    if not ranges:
        raise HTTPBadRequest("The Range header is not a byte range like bytes=0-99 or bytes=-100.")
    satisfiable = [(first, last) for first, last in ranges if first <= last and first < size]
    if len(satisfiable) > MAX_RANGES:
        return None
    ordered = sorted(satisfiable)
    if any(later[0] <= earlier[1] for earlier, later in pairwise(ordered)):
        return None
    return satisfiable


def static_path(request: Request, spec: str) -> str:
    """The URL path (with SCRIPT_NAME) of the file an asset spec or absolute path names,
    served by the first static view whose directory holds it."""
    if request.app is None:
        raise LookupError("static_path needs a request handled by a viewpick application")
    try:
        path = resolve_asset(spec, None)
    except ValueError as exc:
        raise ValueError(f"static_path({spec!r}): {exc}") from None
    views = request.app.static_views
    for view in views:
        segments = view.url_segments(path)
        if segments is not None:
            return request.route_path(view.route_name, subpath=segments)
    registered = ", ".join(f"'{view.name}' ({view.directory})" for view in views)
    raise ValueError(
        f"static_path({spec!r}): {path} is in no static view's directory "
        + (f"(registered: {registered})" if views else "(none is registered)")
        + "; add one with config.add_static_view(name, 'package:directory')"
    )
