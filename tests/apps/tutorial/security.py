"""The tutorial's security policy: a signed cookie names the user, and the context's ACL decides."""

from webob.cookies import SignedCookieProfile

from viewpick.acl import ACLHelper, Authenticated, Everyone


class TutorialPolicy:
    def __init__(self, secret):
        self.profile = SignedCookieProfile(secret, salt="tutorial", cookie_name="auth")

    def identity(self, request):
        return self.profile.bind(request).get_value()

    def permits(self, request, context, permission):
        principals = [Everyone]
        if request.identity is not None:
            principals += [Authenticated, f"u:{request.identity}"]
        return ACLHelper().permits(context, principals, permission)

    def remember(self, request, userid, **kw):
        return self.profile.bind(request).get_headers(userid)

    def forget(self, request, **kw):
        return self.profile.bind(request).get_headers(None)
