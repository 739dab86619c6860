"""HTTP methods: those viewpick knows, those a view serves by default, and the order ``Allow`` lists them in."""

from __future__ import annotations

# The order methods are listed in Allow; others follow alphabetically.
METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

# What a view without ``request_method`` serves. OPTIONS is answered by viewpick itself
# (200 with Allow) unless a view names it; TRACE and CONNECT only when a view names them.
IMPLICIT_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"})

# Methods viewpick recognises; any other method not named by a view gets 501 Not Implemented.
STANDARD_METHODS = frozenset({*METHOD_ORDER, "TRACE", "CONNECT"})
