"""Mako templates for renderer names ending in ``.mako``.

``templates/page.mako`` is relative to the package of the module that declared the view;
``package:templates/page.mako`` names another package; directories listed in
``settings['mako.directories']`` are searched last. ``page.mako#part`` (or pyramid_mako's
``page#part.mako``) renders only ``<%def name="part()">`` of the template, so a full page
and its XHR partial come from one file. Expressions are HTML-escaped by default
(``${value | n}`` opts out). The template is compiled when the application is, so a missing
template, a syntax error or a missing def is a ConfigurationError then. With
``settings['reload_templates']`` a changed file is recompiled on the next render, and a name the
template uses but was not given fails as ``NameError: 'nmae' is not defined`` instead of Mako's
nameless ``NameError: Undefined`` (``settings['mako.strict_undefined']`` sets that alone). Mako
keeps the name ``context`` for its own runtime context, so the ``context`` system value is
``_context`` in a Mako template (as in pyramid_mako).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from mako import exceptions as mako_exceptions
from mako.lookup import TemplateLookup
from mako.template import Template
from webob.exc import HTTPException

from ..exceptions import ConfigurationError
from ..packages import package_directory
from ..settings import as_bool, as_list
from ..upstream import cached_template, fresh_template, load_template, template_renderer
from .names import split_part

if TYPE_CHECKING:
    from . import Render, RendererInfo


class TemplateError(Exception):
    """A template failed to compile or render; the message carries Mako's template traceback."""


class PackageTemplateLookup(TemplateLookup):  # type: ignore[misc]  # Mako ships no types
    """A ``TemplateLookup`` that also takes ``package:path`` URIs.

    Mako resolves ``<%inherit file="base.mako"/>`` relative to the including template's
    URI, so templates found through a package spec can include their neighbours.
    """

    def get_template(self, uri: str) -> Template:
        filename = self.filename_for(uri)
        if filename is None:
            return super().get_template(uri)
        template = cached_template(self, uri)
        if template is None:
            if not os.path.isfile(filename):
                raise mako_exceptions.TopLevelLookupException(f"Can't locate template for uri {uri!r}")
            return load_template(self, filename, uri)
        return fresh_template(self, uri, template) if self.filesystem_checks else template

    @staticmethod
    def filename_for(uri: str) -> str | None:
        """The file behind a ``package:path`` URI; None for URIs searched in the directories."""
        package, colon, path = uri.partition(":")
        if not colon:
            return None
        return os.path.join(package_directory(package), *path.split("/"))


def top_level_defs(template: Template) -> frozenset[str]:
    """The names of a compiled template's top-level defs."""
    return frozenset(template.list_defs()) - {"body"}


class MakoRendererFactory:
    """Makes a render function per template name; one template lookup (and cache) per application."""

    media_type = "text/html"
    engine = "Mako"

    def __init__(self) -> None:
        self._lookups: dict[tuple[tuple[str, ...], bool, bool], PackageTemplateLookup] = {}

    def lookup(self, settings: Mapping[str, Any]) -> PackageTemplateLookup:
        """The template lookup (and its cache of compiled templates) for these settings."""
        directories = tuple(os.path.abspath(d) for d in as_list(settings.get("mako.directories")))
        reload = as_bool(settings.get("reload_templates"))
        strict = as_bool(settings.get("mako.strict_undefined", reload))  # as Jinja2's: strict while developing
        lookup = self._lookups.get((directories, reload, strict))
        if lookup is None:
            lookup = self._lookups[directories, reload, strict] = PackageTemplateLookup(
                directories=list(directories),
                default_filters=["h"],
                filesystem_checks=reload,
                input_encoding="utf-8",
                strict_undefined=strict,
            )
        return lookup

    def uri_for(self, name: str, package: str, lookup: PackageTemplateLookup) -> str:
        """The lookup URI for template ``name`` declared in ``package``; a missing template is a
        configuration error. A name starting with ``/`` is searched only in the directories."""
        tried = []
        direct = lookup.filename_for(name)
        if direct is not None:
            candidates = [(name, direct)]
        else:
            relative = name.lstrip("/")
            candidates = (
                [] if name.startswith("/") else [(f"{package}:{name}", os.path.join(package_directory(package), name))]
            )
            candidates += [("/" + relative, os.path.join(d, relative)) for d in lookup.directories]
        for uri, filename in candidates:
            if os.path.isfile(filename):
                return uri
            tried.append(filename)
        raise ConfigurationError(f"template {name!r} not found; looked for: {', '.join(tried)}")

    def __call__(self, info: RendererInfo) -> Render:
        path, part = split_part(info.name)
        lookup = self.lookup(info.settings)
        uri = self.uri_for(path, info.package, lookup)

        def template_and_target() -> tuple[Callable[[dict[str, Any]], str], frozenset[str]]:
            """What renders the template (or its part) from the values, and its top-level defs."""
            template = lookup.get_template(uri)
            if part is not None and not template.has_def(part):
                defs = ", ".join(sorted(top_level_defs(template))) or "none"
                raise TemplateError(
                    f'template {path!r} has no <%def name="{part}()"> for renderer {info.name!r} (its defs: {defs})'
                )
            target = template if part is None else template.get_def(part)
            return template_renderer(target), top_level_defs(template)

        try:
            found = template_and_target()
        except TemplateError as exc:
            raise ConfigurationError(str(exc)) from None
        except Exception as exc:  # Mako's syntax and lookup errors name the file and line
            raise ConfigurationError(f"template {path!r} does not compile: {exc}") from None
        # Kept when not reloading; with reloading, looked up (and recompiled if changed) per render.
        compiled = [] if lookup.filesystem_checks else [found]

        def render(value: Any, system: dict[str, Any]) -> str:
            if not isinstance(value, dict) and not isinstance(value, Mapping):
                raise TypeError(f"renderer {info.name!r} needs a dict from the view, not {type(value).__name__}")
            try:
                render_values, defs = compiled[0] if compiled else template_and_target()
                if not defs.isdisjoint(value):
                    hidden = min(defs.intersection(value))
                    raise TemplateError(
                        f'template {path!r} defines <%def name="{hidden}()">, which hides the view\'s value '
                        f"{hidden!r} inside the template; rename the def or the value"
                    )
                values = {**system, **value}
                values["_context"] = values.pop("context", None)  # Mako reserves `context` for its own
                return render_values(values)
            except (TemplateError, HTTPException):  # a template may refuse bad input as a view does
                raise
            except Exception:
                raise TemplateError(
                    f"rendering {info.name!r}: " + mako_exceptions.text_error_template().render()
                ) from None

        return render
