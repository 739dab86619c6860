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
