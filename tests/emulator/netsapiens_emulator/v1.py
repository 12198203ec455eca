"""v1 handlers: POST /ns-api/oauth2/token/, GET /ns-api/oauth2/read, and object requests on /ns-api/."""
from __future__ import annotations

import time

from .objects import REGISTRY
from .serve_objects import serve_v1
from .data import FIELDS, LIST_FIELDS, user_sort_key
from .render import v1_error, v1_json, v1_json_error, v1_xml, xml_document, xml_fields
from .tokens import V1_STATUS, GrantError, grant

READ_ACTIONS = ("read", "count", "list")

# v1 read filter -> record field (exact match on the field's text).
FILTERS = {
    "user": "user", "login": "subscriber_login", "first_name": "first_name", "last_name": "last_name",
    "group": "group", "email": "email", "dir": "dir", "srv_code": "srv_code", "scope": "scope", "site": "site",
}

AUTH_ERRORS = {
    "missing": ("invalid_request", "The request has no access token (Authorization: Bearer ...)"),
    "invalid": ("invalid_token", "The access token provided is invalid"),
    "expired": ("invalid_token", "The access token provided has expired"),
    "mfa": ("insufficient_scope", "MFA verification required: this token may not read anything"),
}


def handle_token(app, req):
    """The v1 OAuth2 token endpoint (password and refresh_token grants)."""
    try:
        body = grant(app, req.params, "v1")
    except GrantError as error:
        if error.reason != "bad_request":
            app.stats.count("auth_failures")
        return v1_error(V1_STATUS[error.reason], error.message, "token_error")
    return v1_json(body, "token", app.config.get("quirk_html_content_type"))


def _authenticate(app, req):
    principal, status = app.auth.authenticate(req.bearer(), api_keys_enabled=not app.config.get("v1_only"))
    if status == "ok":
        return principal, None
    app.stats.count("auth_failures")
    error, text = AUTH_ERRORS[status]
    return None, v1_json_error(401, {"error": error, "error_description": text}, text, "auth_error")


def handle_token_read(app, req):
    """GET /ns-api/oauth2/read: describe the token in use."""
    principal, failure = _authenticate(app, req)
    if failure:
        return failure
    app.stats.read("v1_token_read")
    _principal, _status, expires_wall = app.auth.resolve(req.bearer(), api_keys_enabled=not app.config.get("v1_only"))
    expires = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(expires_wall)) if expires_wall else None
    body = {"expires": expires, "scope": principal.scope, "domain": principal.domain, "user": principal.user,
            "territory": principal.territory, "uid": principal.uid}
    return v1_json(body, "v1_token_read", app.config.get("quirk_html_content_type"))


def _int_param(params, name):
    value = params.get(name, "")
    if value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        return False
    return number if number >= 0 else False


def _page(app, req, items):
    """Apply start/limit: without limit everything from start; with limit L, min(L, max_page) items."""
    start, limit = _int_param(req.params, "start"), _int_param(req.params, "limit")
    if start is False or limit is False:
        return None
    start = 0 if app.config.get("ignore_start") else (start or 0)
    if limit is None:
        return items[start:]
    return items[start:start + min(limit, app.config.get("max_page"))]


class V1Data:
    """One object request on /ns-api/ (object, action, format and filters in the query or the body)."""

    def __init__(self, app, req):
        self.app = app
        self.req = req
        self.params = req.params
        self.json = self.params.get("format", "").lower() == "json"
        self.html = app.config.get("quirk_html_content_type")

    def answer(self):
        obj = self.params.get("object", "").strip().lower()
        action = self.params.get("action", "").strip().lower()
        if not obj:
            return v1_error(400, "Missing object", "v1_bad_request")
        if not action:
            return v1_error(400, "Missing action", "v1_bad_request")
        if action not in READ_ACTIONS:
            self.app.stats.count("write_attempts")
            return v1_error(403, f"Action {action} on {obj} refused: read-only emulator", "write_attempt")
        principal, failure = _authenticate(self.app, self.req)
        if failure:
            return failure
        if obj == "subscriber":
            return self.subscriber(principal, action)
        if obj == "domain" and action in ("read", "count"):
            return self.domain(principal, action)
        if obj in REGISTRY:
            return serve_v1(self, principal, REGISTRY[obj], action)
        return v1_error(400, f"Object {obj} action {action} is not supported by the emulator", "v1_bad_request")

    def _output(self, value, kind, element=None):
        if self.json:
            return v1_json(value, kind, self.html)
        if element is None:
            return v1_xml(xml_fields(value), kind)
        return v1_xml(xml_document(element, value if isinstance(value, list) else [value]), kind)

    def output(self, value, kind, element=None):
        return self._output(value, kind, element)

    def not_found(self, what, kind, element):
        return self._not_found(what, kind, element)

    def readable_domain(self, principal, domain):
        return self._readable_domain(principal, domain)

    def _not_found(self, what, kind, element):
        style = self.app.config.get("not_found_style")
        if style == "404":
            return v1_error(404, f"{what} not found", kind)
        if style == "code404":
            return self._output({"code": 404, "msg": f"{what} not found"}, kind)
        if style == "empty_body":
            return _empty_body(kind)
        return self._output([], kind, element)

    def _readable_domain(self, principal, domain):
        record = self.app.store.domains.get(domain)
        if record is None:
            return v1_error(404, f"Domain {domain} not found", "v1_not_found")
        if not principal.can_read(record):
            return v1_error(403, f"Insufficient scope to read domain {domain}", "v1_forbidden")
        return None

    def subscriber(self, principal, action):
        kind = f"v1_subscriber_{action}"
        params = dict(self.params)
        if params.get("uid"):
            user, _sep, domain = params["uid"].rpartition("@")
            if not user or not domain:
                return v1_error(400, f"Invalid uid {params['uid']}", "v1_bad_request")
            params["user"], params["domain"] = user, domain
        domain = params.get("domain", "")
        if not domain:
            return v1_error(400, "Missing domain", "v1_bad_request")
        refused = self._readable_domain(principal, domain)
        if refused:
            return refused
        self.app.stats.read(kind)
        records = self.app.store.users[domain]
        for name, field in FILTERS.items():
            wanted = params.get(name, "")
            if wanted != "":
                records = [record for record in records if _text(record.get(field)) == wanted]
        sort = params.get("sort", "")
        if sort in FIELDS and sort != "user":
            records = sorted(records, key=lambda record: (_text(record.get(sort)), user_sort_key(record["user"])))
        if action == "count":
            return self._output({"total": len(records)}, kind)
        page = _page(self.app, self.req, records)
        if page is None:
            return v1_error(400, "Invalid start or limit", "v1_bad_request")
        names = LIST_FIELDS if action == "list" else FIELDS
        wanted_fields = [name.strip() for name in params.get("fields", "").split(",") if name.strip()]
        if wanted_fields:
            names = [name for name in names if name in wanted_fields]
        extra = self.app.config.get("extra_user_fields")["v1"]
        items = [dict({name: record[name] for name in names if name in record}, **extra) for record in page]
        single = bool(params.get("user"))
        if not single and _int_param(self.req.params, "start") in (None, 0):
            self.app.store.shift_users_once(self.app.config, domain)
        message = self.app.config.get("user_not_found_message")
        if not items and single and message:
            return v1_error(404, message, kind)
        if not items:
            return self._not_found(f"Subscriber {params['user']}@{domain}" if single else "Subscriber", kind,
                                   "subscriber")
        if single and len(items) == 1 and self.app.config.get("single_as_object") and self.json:
            return self._output(items[0], kind, "subscriber")
        return self._output(items, kind, "subscriber")

    def domain(self, principal, action):
        kind = f"v1_domain_{action}"
        self.app.stats.read(kind)
        wanted = self.params.get("domain", "")
        if wanted and wanted in self.app.store.domains:
            refused = self._readable_domain(principal, wanted)
            if refused:
                return refused
        visible = [record for name, record in sorted(self.app.store.domains.items())
                   if principal.can_read(record) and (not wanted or name == wanted)]
        territory = self.params.get("territory", "")
        if territory:
            visible = [record for record in visible if record["territory"] == territory]
        if action == "count":
            return self._output({"total": str(len(visible))}, kind)  # the domain count is a string
        page = _page(self.app, self.req, visible)
        if page is None:
            return v1_error(400, "Invalid start or limit", "v1_bad_request")
        if not page:
            return self._not_found(f"Domain {wanted}" if wanted else "Domain", kind, "domain")
        if wanted and len(page) == 1 and self.app.config.get("single_as_object") and self.json:
            return self._output(dict(page[0]), kind, "domain")
        return self._output([dict(record) for record in page], kind, "domain")


def _text(value):
    return "" if value is None else str(value)


def _empty_body(kind):
    """200 with an empty body (one of the v1 not-found styles)."""
    response = v1_json([], kind)
    response.body = b""
    return response


def handle_data(app, req):
    return V1Data(app, req).answer()
