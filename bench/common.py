"""What every contender serves: the articles, the templates, and the shapes of the routing apps.

Each contender module builds the same applications from these, in its framework's own way:

- the article app: ``GET /articles/{id}`` answers JSON to ``Accept: application/json``, the
  page ``templates/page.mako`` to a browser, and its ``items`` def to ``X-Requested-With:
  XMLHttpRequest``; other methods are refused; an unknown id is a 404;
- the routes app: ``n`` routes ``/r{i}/{id}``, each answering ``text/plain`` ``"r{i} {id}"``;
- the views app: one route ``/things`` with ``k`` variants chosen by ``?variant=N``, each
  answering ``text/plain`` ``"variant N"``.
"""

from __future__ import annotations

import os
from typing import Any

from mako.lookup import TemplateLookup
from mako.template import Template

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
PAGE = "page.mako"
PARTIAL_DEF = "items"

VARY_HEADERS = ("X-Requested-With", "Accept")
VARY = ", ".join(VARY_HEADERS)
ALLOW = "GET, HEAD"


def _article(article_id: int) -> dict[str, Any]:
    return {
        "id": str(article_id),
        "title": f"Tom & Jerry's guide to <cheese>, part {article_id}",
        "items": [{"name": f'Cheese no. {n} "aged"', "price": f"{n * 1.25:.2f}"} for n in range(1, 11)],
    }


ARTICLES: dict[str, dict[str, Any]] = {str(i): _article(i) for i in range(1, 4)}


def template_lookup() -> TemplateLookup:
    """The Mako lookup hand-written contenders use: HTML-escaping like viewpick and
    pyramid_mako, and no file-system check per render (templates do not change while timed)."""
    return TemplateLookup(
        directories=[TEMPLATES], default_filters=["h"], input_encoding="utf-8", filesystem_checks=False
    )


def page_and_partial() -> tuple[Template, Any]:
    """The compiled page template and its ``items`` def, for contenders that render by hand."""
    page = template_lookup().get_template(PAGE)
    return page, page.get_def(PARTIAL_DEF)


def route_name(index: int) -> str:
    return f"r{index}"


def route_body(index: int, item_id: str) -> str:
    """What route ``index`` of the routes app answers for ``/r{index}/{item_id}``."""
    return f"{route_name(index)} {item_id}"


def variant_body(variant: int) -> str:
    """What the views app answers for ``?variant=N``."""
    return f"variant {variant}"
