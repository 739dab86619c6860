"""Views using the custom view keyword 'tenant', which test_config registers with
config.add_view_predicate before scanning this module. Route: 'dashboard'."""

from viewpick import view_config


@view_config(route_name="dashboard", tenant="acme", renderer="string")
def acme_dashboard(request):
    return "acme dashboard"


@view_config(route_name="dashboard", renderer="string")
def any_dashboard(request):
    return "generic dashboard"
