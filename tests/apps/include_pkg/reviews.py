"""Included by the package's own ``includeme`` with a relative name: its routes get both
prefixes when the package is included under one."""


def includeme(config):
    config.include(add_review_route, route_prefix="reviews")


def add_review_route(config):
    config.add_route("review", "/{id}")
