"""v2 handlers under /ns-api/v2/: version, tokens, domains and users (read-only)."""
from __future__ import annotations

import datetime

from .objects import by_v2_system_collection
from .serve_objects import query_int, serve_v2, serve_v2_system
from . import APIVERSION_V2
from .fieldmap import V2_PUBLIC_FIELDS, to_v2_domain, to_v2_user
from .render import v2_error, v2_json
from .tokens import V2_STATUS, GrantError, grant

AUTH_ERRORS = {
    "missing": "Missing or invalid Authorization header",
    "invalid": "The access token provided is invalid",
    "expired": "The access token provided has expired",
    "mfa": "MFA verification required: this token may not read anything",
}


def handle(app, req):
    """Route one /ns-api/v2/... request (v1_only has been handled by the server)."""
    route = req.segments[2:]
    method = "GET" if req.method == "HEAD" else req.method
    if route == ["version"] and method == "GET":
        app.stats.read("v2_version")
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
        return v2_json({"apiversion": APIVERSION_V2, "hostname": "emulator", "current-time": now}, "v2_version")
    if route == ["tokens"]:
        if method != "POST":
            return v2_error(405, f"Method {req.method} not allowed on /tokens", "v2_method")
        return _tokens(app, req)
    if route[:1] == ["jwt"]:
        return v2_error(501, "JWT is not supported by the emulator", "v2_jwt")
    if method != "GET":
        app.stats.count("write_attempts")
        return v2_error(405, f"Method {req.method} not allowed: read-only emulator", "write_attempt")
    system = bool(route) and by_v2_system_collection(route[0]) is not None
    if not system and (not route or route[0] != "domains" or len(route) > 6):
        return v2_error(404, "Route not found", "v2_no_route")
    principal, status = app.auth.authenticate(req.bearer())
    if status != "ok":
        app.stats.count("auth_failures")
        return v2_error(401, AUTH_ERRORS[status], "auth_error")
    if system:
        return serve_v2_system(app, req, principal, route) or v2_error(404, "Route not found", "v2_no_route")
    return _domains(app, req, principal, route)


def _tokens(app, req):
    params = dict(req.query_params)
    content_type = (req.headers.get("Content-Type") or "").lower()
    if req.body_params:
        params.update(req.body_params)
    elif req.raw_body and "json" in content_type:
        return v2_error(400, "Request body is not a JSON object", "token_error")
    try:
        body = grant(app, params, "v2")
    except GrantError as error:
        if error.reason != "bad_request":
            app.stats.count("auth_failures")
        return v2_error(V2_STATUS[error.reason], error.message, "token_error")
    return v2_json(body, "token")


def _domains(app, req, principal, route):
    store = app.store
    if len(route) == 1 or route[1] == "count":
        kind = "v2_domains" if len(route) == 1 else "v2_domains_count"
        app.stats.read(kind)
        visible = [to_v2_domain(record) for _name, record in sorted(store.domains.items())
                   if principal.can_read(record)]
        if kind == "v2_domains_count":
            return v2_json({"total": len(visible)}, kind)
        start = query_int(req.query_params, "start", 0)
        limit = query_int(req.query_params, "limit", 100, app.config.get("max_page"))
        if start is None or limit is None:
            return v2_error(400, "start must be an integer >= 0 and limit an integer >= 1", kind)
        start = 0 if app.config.get("ignore_start") else start
        return v2_json(visible[start:start + limit], kind)
    domain = principal.domain if route[1] == "~" else route[1]
    record = store.domains.get(domain)
    if record is None:
        return v2_error(404, f"Domain {domain} does not exist", "v2_not_found")
    if not principal.can_read(record):
        return v2_error(403, "Domain not found or access denied", "v2_forbidden")
    if len(route) == 2:
        app.stats.read("v2_domain")
        return v2_json(to_v2_domain(record), "v2_domain")
    if route[2] != "users" or len(route) > 4:
        return serve_v2(app, req, domain, route[2:], principal) or v2_error(404, "Route not found", "v2_no_route")
    spelling = app.config.get("v2_announce_spelling")
    params = req.query_params
    if len(route) == 3 or route[3] == "list":
        kind = "v2_users_list" if len(route) == 3 else "v2_users_public_list"
        app.stats.read(kind)
        start = query_int(params, "start", 0)
        limit = query_int(params, "limit", 100, app.config.get("max_page"))
        if start is None or limit is None:
            return v2_error(400, "start must be an integer >= 0 and limit an integer >= 1", kind)
        records = store.users[domain]
        if params.get("site", ""):
            records = [item for item in records if str(item.get("site")) == params["site"]]
        first_page = start == 0
        start = 0 if app.config.get("ignore_start") else start
        extra = app.config.get("extra_user_fields")["v2"]
        users = [dict(to_v2_user(item, spelling), **extra) for item in records[start:start + limit]]
        if first_page:
            store.shift_users_once(app.config, domain)
        if kind == "v2_users_public_list":
            fields = [name for name in params.get("fields", "").split(",") if name] or list(V2_PUBLIC_FIELDS)
            users = [{name: user[name] for name in fields if name in user} for user in users]
        return v2_json(users, kind)
    if route[3] == "count":
        app.stats.read("v2_users_count")
        return v2_json({"total": len(store.users[domain])}, "v2_users_count")
    app.stats.read("v2_user")
    user = principal.user if route[3] == "~" else route[3]
    found = store.user(domain, user)
    if found is None:
        return v2_error(404, app.config.get("user_not_found_message") or "User not found", "v2_user")
    return v2_json(dict(to_v2_user(found, spelling), **app.config.get("extra_user_fields")["v2"]), "v2_user")
