"""Renderer names: which factory a name is looked up by, and which part of a template it names.

Every template engine reads names the same way, so ``page.mako#results`` and
``page.jinja2#results`` mean the same thing to their engines.
"""

from __future__ import annotations

import os
import posixpath


def renderer_key(name: str) -> str:
    """The registry key for a renderer name: ``'json'`` stays, ``'a/b.mako#part'`` is ``'.mako'``."""
    path = name.split("#", 1)[0]
    if "#" in name and "." not in posixpath.basename(path):  # pyramid_mako's 'page#part.mako'
        path = name
    extension = os.path.splitext(path)[1]
    return extension or name


def split_part(name: str) -> tuple[str, str | None]:
    """The template and the part of it a name selects: ``('page.mako', 'part')`` from
    ``'page.mako#part'`` or pyramid_mako's ``'page#part.mako'``; ``('page.mako', None)``
    for the whole template."""
    if "#" not in name:
        return name, None
    path, part = name.split("#", 1)
    if "." in part:  # pyramid_mako's spelling: page#part.mako
        part, extension = part.split(".", 1)
        path = f"{path}.{extension}"
    return path, part
