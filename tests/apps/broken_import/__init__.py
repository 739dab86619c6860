"""A package that exists but imports a module that does not."""

import tests.apps.no_such_module  # noqa: F401
