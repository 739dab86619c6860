"""Static files: a view that serves one directory safely, and the URLs of files in it.

``config.add_static_view('static', 'mypkg:static')`` serves ``mypkg/static/app.css`` at
``/static/app.css``. No request can reach a file outside the directory: ``..``, absolute or
drive-letter segments, backslashes, NUL bytes and symlinks that lead out are all answered
404, the same as a missing file, so probing reveals nothing about what exists. Directories
are 404 too (no listings). Files are streamed in blocks, with a strong ETag and
Last-Modified, so browsers revalidate with a 304 (If-None-Match wins over If-Modified-Since,
as RFC 9110 says), and Range requests get 206 (WebOb's conditional responses do both).
"""

from __future__ import annotations

import mimetypes
import os
import re
import stat
from collections.abc import Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

from webob.byterange import Range
from webob.datetime_utils import parse_date
from webob.exc import HTTPBadRequest, HTTPNotFound

from .exceptions import ConfigurationError
from .packages import package_directory
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

    def app_iter_range(self, start: int, stop: int | None) -> FileBody:
        """The part WebOb sends for a Range request; it shares (and closes) the same file."""
        return FileBody(self.file, start, stop)

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
        if "HTTP_RANGE" in request.environ:
            check_range(request.environ)
        # Raised, not returned: the application's not-found view, if any, answers a missing file too.
        filename = self.find(request.matchdict.get("subpath", ()))
        if filename is None or request.path_info.endswith("/"):  # a directory's URL names no file
            raise HTTPNotFound()
        try:
            info = os.stat(filename)
            if not stat.S_ISREG(info.st_mode):  # directories, and FIFOs that would block open()
                raise HTTPNotFound()
            file = open(filename, "rb")  # noqa: SIM115 -- FileBody owns it and closes it
        except OSError:  # gone since, unreadable, name too long: all look like "not here"
            raise HTTPNotFound() from None
        response = Response(
            app_iter=FileBody(file),
            content_length=info.st_size,
            conditional_response=True,
        )
        response.content_type = content_type(filename)
        response.last_modified = info.st_mtime
        # Strong, from modification time and size: no need to read the file to answer a 304,
        # and every worker process (or machine with the same mtimes) agrees on it.
        response.etag = f"{info.st_mtime_ns:x}-{info.st_size:x}"
        response.accept_ranges = "bytes"
        if self.cache_max_age is not None:
            response.cache_control.max_age = self.cache_max_age
        return response

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


def check_range(environ: dict[str, Any]) -> None:
    """Settle, inside the application's error handling, the Range requests WebOb would fail on
    as it sends the file: a Range of no numbers (``bytes=-``) is a 400; with an If-Range date
    that cannot be read, which matches no file, the whole file is sent (RFC 9110, 13.1.5)."""
    try:
        Range.parse(environ["HTTP_RANGE"])
    except ValueError:
        raise HTTPBadRequest("The Range header is not a byte range like bytes=0-99 or bytes=-100.") from None
    if_range = environ.get("HTTP_IF_RANGE", "")
    if if_range.endswith(" GMT") and parse_date(if_range) is None:
        del environ["HTTP_RANGE"]


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
