"""Jinja2 templates for renderer names ending in ``.jinja2`` or ``.j2`` (``pip install viewpick[jinja2]``).

viewpick registers this factory through its own ``viewpick.renderers`` entry points, as a
third-party plugin would, and imports this module only when a view names such a template:
viewpick installs and runs without Jinja2.

Names are read as for Mako: ``templates/page.jinja2`` is relative to the declaring module's
package, ``package:templates/page.jinja2`` names another package, and the directories in
``settings['jinja2.directories']`` are searched last (only they, for a name starting with
``/``). ``{% extends %}``, ``{% include %}`` and ``{% import %}`` names are relative to the
template that uses them. ``page.jinja2#results`` renders only ``{% block results %}`` with
the page's values, so a page and its XHR partial come from one file. Output is HTML-escaped
(``{{ value|safe }}`` opts out). The template is compiled when the application is, so a
missing template, a syntax error or a missing block is a ConfigurationError then. With
``settings['reload_templates']`` a changed file is recompiled on its next render, and
undefined names are errors (``StrictUndefined``); ``settings['jinja2.strict_undefined']``
sets the latter on its own.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

try:
    import jinja2
except ModuleNotFoundError as exc:  # what a view naming a .jinja2 template is told
    raise ModuleNotFoundError("Jinja2 templates need Jinja2: pip install 'viewpick[jinja2]'", name=exc.name) from None
from jinja2 import nodes

from ..exceptions import ConfigurationError
from ..packages import package_directory
from ..settings import as_bool, as_list
from .names import split_part

if TYPE_CHECKING:
    from . import Render, RendererInfo


class TemplateError(Exception):
    """A template cannot render what the view returned (a block named like one of its values)."""


class PackageLoader(jinja2.BaseLoader):
    """Loads ``package:path`` names from a package's directory and ``/path`` names from the
    search-path directories."""

    def __init__(self, directories: tuple[str, ...]) -> None:
        self.directories = directories

    def places(self, name: str) -> list[str]:
        """The files template ``name`` may be, in the order they are tried."""
        package, colon, path = name.partition(":")
        if colon:
            return [os.path.join(package_directory(package), *path.split("/"))]
        return [os.path.join(d, *name.lstrip("/").split("/")) for d in self.directories]

    def filename_for(self, name: str) -> str | None:
        try:
            places = self.places(name)
        except ConfigurationError:  # a package that cannot be imported has no templates
            return None
        return next((filename for filename in places if os.path.isfile(filename)), None)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        filename = self.filename_for(template)
        if filename is None:
            raise jinja2.TemplateNotFound(template)
        mtime = os.path.getmtime(filename)
        with open(filename, encoding="utf-8") as file:
            source = file.read()

        def uptodate() -> bool:
            try:
                return os.path.getmtime(filename) == mtime
            except OSError:
                return False

        return source, filename, uptodate


class PackageEnvironment(jinja2.Environment):
    """An environment whose ``{% extends "base.jinja2" %}`` is relative to the including
    template, as Mako's ``<%inherit>`` is, so templates found through a package can use their
    neighbours."""

    def __init__(self, loader: PackageLoader, **options: Any) -> None:
        super().__init__(loader=loader, **options)
        self.package_loader = loader

    def join_path(self, template: str, parent: str) -> str:
        if ":" in template or template.startswith("/"):
            return template
        package, colon, path = parent.rpartition(":")
        return f"{package}{colon}{posixpath.normpath(posixpath.join(posixpath.dirname(path), template))}"


def top_level_macros(environment: PackageEnvironment, name: str) -> frozenset[str]:
    """The names of a template's top-level macros, which would hide view values of those names."""
    source, _, _ = environment.package_loader.get_source(environment, name)
    return frozenset(node.name for node in environment.parse(source).body if isinstance(node, nodes.Macro))


class Jinja2RendererFactory:
    """Makes a render function per template name; one Jinja2 environment per set of settings."""

    media_type = "text/html"
    engine = "Jinja2"

    def __init__(self) -> None:
        self._environments: dict[tuple[tuple[str, ...], bool, bool], PackageEnvironment] = {}

    def environment(self, settings: Mapping[str, Any]) -> PackageEnvironment:
        """The environment (and its template cache) for these settings."""
        directories = tuple(os.path.abspath(d) for d in as_list(settings.get("jinja2.directories")))
        reload = as_bool(settings.get("reload_templates"))
        strict = as_bool(settings.get("jinja2.strict_undefined", reload))
        environment = self._environments.get((directories, reload, strict))
        if environment is None:
            environment = self._environments[directories, reload, strict] = PackageEnvironment(
                PackageLoader(directories),
                autoescape=True,  # everything this renderer makes is served as text/html
                auto_reload=reload,
                undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
            )
        return environment

    def name_for(self, path: str, package: str, environment: PackageEnvironment) -> str:
        """The environment's name for template ``path`` declared in ``package``; a missing template
        is a configuration error. A path starting with ``/`` is searched only in the directories."""
        loader = environment.package_loader
        if ":" in path:
            candidates = [path]
        else:
            candidates = [] if path.startswith("/") else [f"{package}:{path}"]
            candidates.append("/" + path.lstrip("/"))
        tried: list[str] = []
        for name in candidates:
            if loader.filename_for(name) is not None:
                return name
            tried += loader.places(name)
        raise ConfigurationError(f"template {path!r} not found; looked for: {', '.join(tried) or 'nothing'}")

    def __call__(self, info: RendererInfo) -> Render:
        path, part = split_part(info.name)
        environment = self.environment(info.settings)
        name = self.name_for(path, info.package, environment)
        try:
            template = environment.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise ConfigurationError(
                f"template {path!r} does not compile: {exc.message} ({exc.filename}, line {exc.lineno})"
            ) from None
        if part is not None and part not in template.blocks:
            blocks = ", ".join(sorted(template.blocks)) or "none"
            raise ConfigurationError(
                f"template {path!r} has no {{% block {part} %}} for renderer {info.name!r} (its blocks: {blocks})"
            )
        # The template and its top-level macros; with reloading, looked up again per render.
        compiled = [(template, top_level_macros(environment, name))]
        reload = environment.auto_reload

        def current() -> tuple[jinja2.Template, frozenset[str]]:
            latest = environment.get_template(name)
            if latest is not compiled[0][0]:
                compiled[0] = (latest, top_level_macros(environment, name))
            return compiled[0]

        def render(value: Any, system: dict[str, Any]) -> str:
            if not isinstance(value, Mapping):
                raise TypeError(f"renderer {info.name!r} needs a dict from the view, not {type(value).__name__}")
            template, macros = current() if reload else compiled[0]
            if macros and not macros.isdisjoint(value):
                hidden = min(macros.intersection(value))
                raise TemplateError(
                    f"template {path!r} defines {{% macro {hidden}() %}}, which hides the view's value "
                    f"{hidden!r} inside the template; rename the macro or the value"
                )
            values = {**system, **value}
            if part is None:
                return template.render(values)
            block = template.blocks.get(part)
            if block is None:  # the file changed since the application was built
                raise TemplateError(f"template {path!r} no longer has {{% block {part} %}} for {info.name!r}")
            try:
                return "".join(block(template.new_context(values)))
            except Exception:
                environment.handle_exception()  # raises, with the template's lines in the traceback

        return render


#: The factory viewpick's entry points name for ``.jinja2`` and ``.j2``: one, so both extensions
#: share an environment and its compiled templates.
renderer_factory = Jinja2RendererFactory()
