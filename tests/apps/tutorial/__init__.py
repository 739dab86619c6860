"""A small app in the style of Pyramid's quick tutorial and wiki tutorial, whose tests use
``viewpick.testing`` as those tutorials' tests use ``pyramid.testing``."""

from viewpick import Configurator

from .security import TutorialPolicy


def main(settings=None):
    settings = {"auth.secret": "tutorial secret", **(settings or {})}
    with Configurator(settings=settings) as config:
        config.set_security_policy(TutorialPolicy(settings["auth.secret"]))
        config.include(".routes")
        config.scan(".views")
        return config.make_wsgi_app()
