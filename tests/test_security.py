"""The security policy as views and templates reach it: ``request.permits`` and its per-request
cache, route contexts, and the ACL helper."""

from __future__ import annotations

from typing import Any


class OwnerPolicy:
    """An owner-based policy: the ``X-User`` header may ``edit`` the contexts whose ``owner`` it is."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, Any]] = []

    def identity(self, request: Any) -> str | None:
        return request.headers.get("X-User")

    def permits(self, request: Any, context: Any, permission: str) -> bool:
        self.asked.append((permission, context))
        return permission == "edit" and context is not None and context.owner == request.identity


class Document:
    def __init__(self, owner: str) -> None:
        self.owner = owner

    def __repr__(self) -> str:
        return f"<Document of {self.owner}>"


def permits_app(config, make_app, policy):
    """An app whose view asks ``request.permits('edit', ...)`` about alice's and bob's documents."""
    config.set_security_policy(policy)
    config.add_route("r", "/")
    alices, bobs = Document("alice"), Document("bob")

    def view(request):
        answers = [request.permits("edit", alices), request.permits("edit", bobs), request.permits("edit", alices)]
        return " ".join(str(answer) for answer in answers)

    config.add_view(view, route_name="r", renderer="string")
    return make_app(config)


def test_permits_answers_for_each_context_asked_about_in_one_request(config, make_app):
    app = permits_app(config, make_app, OwnerPolicy())
    assert app.get("/", headers={"X-User": "bob"}).text == "False True False"


def test_permits_asks_the_policy_once_per_permission_and_context(config, make_app):
    policy = OwnerPolicy()
    app = permits_app(config, make_app, policy)
    app.get("/", headers={"X-User": "alice"})
    assert [(permission, context.owner) for permission, context in policy.asked] == [("edit", "alice"), ("edit", "bob")]


# --- route contexts --------------------------------------------------------------------------


class RecordingPolicy:
    """Allows ``edit`` when the context says so; records the contexts it is asked about."""

    def __init__(self) -> None:
        self.contexts: list[Any] = []

    def identity(self, request: Any) -> None:
        return None

    def permits(self, request: Any, context: Any, permission: str) -> bool:
        self.contexts.append(context)
        return getattr(context, "editable", False)


class Page:
    def __init__(self, request: Any) -> None:
        self.name = request.matchdict["name"]
        self.editable = self.name != "locked"


def pages_app(config, make_app, policy, **route):
    config.set_security_policy(policy)
    config.add_route("page", "/pages/{name}", **route)
    config.add_view(
        lambda request: f"edit {request.context.name}", route_name="page", renderer="string", permission="edit"
    )
    return make_app(config)


def test_a_route_factory_gives_request_context(config, make_app):
    config.add_route("page", "/pages/{name}", factory=Page)
    config.add_view(
        lambda request: type(request.context).__name__ + " " + request.context.name,
        route_name="page",
        renderer="string",
    )
    assert make_app(config).get("/pages/intro").text == "Page intro"


def test_the_route_factorys_context_reaches_the_policys_permits(config, make_app):
    policy = RecordingPolicy()
    app = pages_app(config, make_app, policy, factory=Page)
    assert app.get("/pages/intro").text == "edit intro"
    assert [context.name for context in policy.contexts] == ["intro"]


def test_a_context_the_policy_refuses_gets_403(config, make_app):
    app = pages_app(config, make_app, RecordingPolicy(), factory=Page)
    app.get("/pages/locked", status=403)


def test_a_route_factory_may_be_a_dotted_name(config, make_app):
    app = pages_app(config, make_app, RecordingPolicy(), factory="tests.test_security.Page")
    assert app.get("/pages/intro").text == "edit intro"


def test_a_route_factory_raising_not_found_answers_404(config, make_app):
    from webob.exc import HTTPNotFound

    def missing(request):
        raise HTTPNotFound("no such page")

    app = pages_app(config, make_app, RecordingPolicy(), factory=missing)
    assert "no such page" in app.get("/pages/intro", status=404).text


def test_the_root_factory_gives_the_context_of_routes_without_a_factory(config, make_app):
    config.set_root_factory(Page)
    app = pages_app(config, make_app, RecordingPolicy())
    assert app.get("/pages/intro").text == "edit intro"


def test_a_routes_own_factory_wins_over_the_root_factory(config, make_app):
    class Locked:
        editable = False

        def __init__(self, request: Any) -> None:
            pass

    config.set_root_factory(Locked)
    app = pages_app(config, make_app, RecordingPolicy(), factory=Page)
    assert app.get("/pages/intro").text == "edit intro"


def test_without_a_factory_the_context_is_none(config, make_app):
    policy = RecordingPolicy()
    pages_app(config, make_app, policy).get("/pages/intro", status=403)
    assert policy.contexts == [None]


def test_a_factory_that_is_not_callable_is_a_configuration_error(config):
    import pytest

    from viewpick import ConfigurationError

    with pytest.raises(ConfigurationError, match=r"route 'page' \(tests/test_security.py:\d+\): factory must be"):
        config.add_route("page", "/pages/{name}", factory=42)


# --- ACL helper --------------------------------------------------------------------------


from viewpick.acl import ALL_PERMISSIONS, DENY_ALL, ACLHelper, Allow, Authenticated, Deny, Everyone  # noqa: E402


class Node:
    def __init__(self, acl: Any = None, parent: Any = None) -> None:
        if acl is not None:
            self.__acl__ = acl
        self.__parent__ = parent


ALICE = [Everyone, Authenticated, "u:alice", "group:editors"]
ANONYMOUS = [Everyone]


def test_acl_allows_a_principal_an_entry_allows():
    assert ACLHelper().permits(Node([(Allow, "group:editors", "edit")]), ALICE, "edit")


def test_acl_denies_when_no_entry_names_the_permission():
    assert not ACLHelper().permits(Node([(Allow, "group:editors", "edit")]), ALICE, "delete")


def test_acl_denies_a_principal_no_entry_names():
    assert not ACLHelper().permits(Node([(Allow, Authenticated, "edit")]), ANONYMOUS, "edit")


def test_acl_first_matching_entry_decides():
    acl = [(Deny, "u:alice", "edit"), (Allow, "group:editors", "edit")]
    assert not ACLHelper().permits(Node(acl), ALICE, "edit")


def test_acl_entry_may_list_several_permissions():
    assert ACLHelper().permits(Node([(Allow, Everyone, ("view", "comment"))]), ANONYMOUS, "comment")


def test_acl_all_permissions_matches_any_permission():
    assert ACLHelper().permits(Node([(Allow, "u:alice", ALL_PERMISSIONS)]), ALICE, "anything")


def test_acl_defers_to_the_parent_when_no_entry_decides():
    root = Node([(Allow, Authenticated, "edit")])
    assert ACLHelper().permits(Node([(Allow, Everyone, "view")], parent=root), ALICE, "edit")


def test_acl_deny_all_stops_the_parents_entries():
    root = Node([(Allow, Authenticated, "edit")])
    assert not ACLHelper().permits(Node([DENY_ALL], parent=root), ALICE, "edit")


def test_acl_may_be_a_method_returning_the_entries():
    class Owned:
        def __init__(self, owner: str) -> None:
            self.owner = owner

        def __acl__(self):
            return [(Allow, f"u:{self.owner}", "edit")]

    assert ACLHelper().permits(Owned("alice"), ALICE, "edit")
    assert not ACLHelper().permits(Owned("bob"), ALICE, "edit")


def test_acl_answer_names_the_entry_that_decided():
    answer = ACLHelper().permits(Node([(Deny, Everyone, "edit")]), ALICE, "edit")
    assert answer.ace == (Deny, Everyone, "edit")


def test_principals_allowed_by_permission_lose_a_parents_allow_to_a_deny_below():
    root = Node([(Allow, "u:alice", "edit"), (Allow, "u:bob", "edit")])
    leaf = Node([(Deny, "u:bob", "edit")], parent=root)
    assert ACLHelper().principals_allowed_by_permission(leaf, "edit") == {"u:alice"}


def test_principals_allowed_by_permission_keep_allows_before_a_deny_all():
    root = Node([(Allow, "u:alice", "edit")])
    leaf = Node([(Allow, "u:carol", "edit"), DENY_ALL], parent=root)
    assert ACLHelper().principals_allowed_by_permission(leaf, "edit") == {"u:carol"}


def test_an_acl_policy_reaches_views_through_route_contexts(config, make_app):
    class Film:
        def __init__(self, request: Any) -> None:
            self.__acl__ = [(Allow, Everyone, "view"), (Allow, f"u:{request.matchdict['owner']}", "edit")]

    class ACLPolicy:
        def identity(self, request):
            return request.headers.get("X-User")

        def permits(self, request, context, permission):
            principals = [Everyone] + ([Authenticated, f"u:{request.identity}"] if request.identity else [])
            return ACLHelper().permits(context, principals, permission)

    config.set_security_policy(ACLPolicy())
    config.add_route("film", "/films/{owner}", factory=Film)
    config.add_view(lambda request: "edited", route_name="film", renderer="string", permission="edit")
    app = make_app(config)
    assert app.get("/films/alice", headers={"X-User": "alice"}).text == "edited"
    app.get("/films/alice", headers={"X-User": "bob"}, status=403)
    app.get("/films/alice", status=403)


def test_the_factory_of_the_route_that_serves_the_method_gives_the_context(config, make_app):
    class Reading:
        def __init__(self, request: Any) -> None:
            self.kind = "reading"

    class Writing:
        def __init__(self, request: Any) -> None:
            self.kind = "writing"

    config.add_route("read", "/notes/{id}", factory=Reading)
    config.add_route("write", "/notes/{id}", factory=Writing)
    config.add_view(lambda request: request.context.kind, route_name="read", request_method="GET", renderer="string")
    config.add_view(lambda request: request.context.kind, route_name="write", request_method="POST", renderer="string")
    app = make_app(config)
    assert (app.get("/notes/1").text, app.post("/notes/1").text) == ("reading", "writing")


def test_a_refused_method_does_not_call_the_factory(config, make_app):
    calls = []
    config.add_route("page", "/pages/{name}", factory=lambda request: calls.append(request.path))
    config.add_view(lambda request: "page", route_name="page", request_method="GET", renderer="string")
    make_app(config).delete("/pages/intro", status=405)
    assert calls == []


def test_explain_shows_the_context_the_permission_was_asked_about(config):
    from viewpick.explain import build_request, explain

    config.set_security_policy(RecordingPolicy())
    config.add_route("page", "/pages/{name}", factory=Page)
    config.add_view(lambda request: "edit", route_name="page", renderer="string", permission="edit")
    app = config.make_wsgi_app()
    text = explain(app, build_request("GET", "/pages/locked", [], request_class=app.request_class)).as_text()
    assert "FAIL permission = edit" in text and "context <tests.test_security.Page object" in text


def test_acl_answer_says_when_no_entry_decided():
    answer = ACLHelper().permits(Node([(Allow, "u:bob", "edit")]), ALICE, "edit")
    assert "no ACL entry names permission 'edit'" in repr(answer)


def test_acl_answer_says_which_entry_decided():
    answer = ACLHelper().permits(Node([(Allow, Everyone, ALL_PERMISSIONS)]), ALICE, "edit")
    assert "ACL entry ('Allow', 'system.Everyone', ALL_PERMISSIONS)" in answer.msg


def test_principals_allowed_by_permission_skip_contexts_without_an_acl():
    root = Node([(Allow, "u:alice", "edit")])
    assert ACLHelper().principals_allowed_by_permission(Node(parent=Node(parent=root)), "edit") == {"u:alice"}
