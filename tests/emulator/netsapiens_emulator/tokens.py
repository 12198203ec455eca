"""The password and refresh_token grants, shared by POST /ns-api/oauth2/token/ (v1) and POST /ns-api/v2/tokens."""
from __future__ import annotations

from . import APIVERSION_V1_ONLY, APIVERSION_V2
from .auth import MFA_SCOPE


class GrantError(Exception):
    """A refused grant: ``reason`` picks the status (v1 and v2 differ), ``message`` is the server's words."""

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason
        self.message = message


V1_STATUS = {"bad_request": 400, "client": 403, "credentials": 403, "refresh": 403}
V2_STATUS = {"bad_request": 400, "client": 401, "credentials": 401, "refresh": 401}


def _body(app, principal, access, refresh, ttl, client_id, api):
    v1_only = app.config.get("v1_only")
    body = {
        "access_token": access,
        "expires_in": ttl,
        "token_type": "Bearer",
        "scope": MFA_SCOPE if principal.mfa_limited else principal.scope,
        "refresh_token": refresh,
        "domain": principal.domain,
        "user": principal.user,
        "username": principal.uid,
        "territory": principal.territory,
        "apiversion": APIVERSION_V1_ONLY if v1_only else APIVERSION_V2,
        "legacy": False,
    }
    if api == "v2":
        body.update({
            "uid": principal.uid,
            "login": principal.uid,
            "user_email": principal.email,
            "displayName": principal.display_name,
            "client_id": client_id,
            "department": principal.department,
            "site": principal.site,
            "group": principal.department,
        })
    if principal.mfa_limited:
        body.update({"user_scope": MFA_SCOPE, "mfa_type": "authenticator", "mfa_vendor": "google"})
    return body


def grant(app, params, api):
    """Run the grant in ``params``; return the token response dict or raise GrantError. Counts the stats."""
    grant_type = params.get("grant_type", "")
    app.stats.token(grant_type, api)
    if grant_type not in ("password", "refresh_token"):
        raise GrantError("bad_request", f"Unsupported grant type: {grant_type or '(missing)'}")
    client_id = params.get("client_id", "")
    if not app.auth.client_ok(client_id, params.get("client_secret", "")):
        raise GrantError("client", "Authentication failed: invalid client credentials")
    if grant_type == "password":
        if not params.get("username") or not params.get("password"):
            raise GrantError("bad_request", "Missing username or password")
        principal = app.auth.check_password(params["username"], params["password"], app.config.get("reseller_password"))
        if principal is None:
            raise GrantError("credentials", "Authentication failed: invalid username or password")
    else:
        principal = app.auth.use_refresh(params.get("refresh_token", ""))
        if principal is None:
            raise GrantError("refresh", "Authentication failed: invalid, expired or already used refresh token")
    ttl = app.config.get("token_ttl")
    access, refresh = app.auth.issue(principal, ttl, client_id)
    return _body(app, principal, access, refresh, ttl, client_id, api)
