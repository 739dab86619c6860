"""A package with a static directory, for add_static_view('static', 'tests.apps.static_pkg:static')."""
