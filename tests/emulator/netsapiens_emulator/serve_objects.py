"""Serving the registered objects (objects.REGISTRY) on v1 and v2, with the same paging switches as subscribers."""
from __future__ import annotations

from .objects import by_v2_collection, by_v2_system_collection
from .render import v1_error, v2_error, v2_json


def query_int(params, name, default, maximum=None):
    """A start or limit query parameter: the default when absent, None when not a valid number."""
    value = params.get(name, "")
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        return None
    if number < (1 if name == "limit" else 0):
        return None
    return min(number, maximum) if maximum else number


def _page(app, params, records, default_limit):
    """records[start:start + limit] as the switches allow; None for an invalid start or limit."""
    start = query_int(params, "start", 0)
    limit = query_int(params, "limit", default_limit, app.config.get("max_page"))
    if start is None or limit is None:
        return None
    start = 0 if app.config.get("ignore_start") else start
    return records[start:start + limit] if limit else records[start:]


def _owned(emulated, records, user):
    return [record for record in records if str(record.get(emulated.owner)) == user]


def serve_v1(data, principal, emulated, action):
    """object=<name>&action=read|count|list: the domain (or uid) selects, user and the key filter."""
    if emulated.v1_handler:
        return emulated.v1_handler(data, principal, action)
    params = dict(data.params)
    kind = f"v1_{emulated.name}_{'count' if action == 'count' else 'read'}"
    if emulated.v1_domain != "domain":
        params["domain"] = params.pop(emulated.v1_domain, "")
    wrong = [name for name, value in emulated.v1_required.items() if params.get(name) != value]
    if wrong:
        return v1_error(400, f"Missing or unknown {wrong[0]} (expected {emulated.v1_required[wrong[0]]})", "v1_bad_request")
    if params.get("uid"):
        user, _sep, domain = params["uid"].rpartition("@")
        if not user or not domain:
            return v1_error(400, f"Invalid uid {params['uid']}", "v1_bad_request")
        params["user"], params["domain"] = user, domain
    if not params.get("domain"):
        return v1_error(400, "Missing uid" if emulated.v1_uid else f"Missing {emulated.v1_domain}", "v1_bad_request")
    if not emulated.v1_domain_wide and not params.get("user"):
        return v1_error(400, "Missing uid", "v1_bad_request")
    refused = data.readable_domain(principal, params["domain"])
    if refused:
        return refused
    data.app.stats.read(kind)
    records = data.app.store.objects[emulated.name].get(params["domain"], [])
    if params.get("user") and emulated.per_user:
        records = _owned(emulated, records, params["user"])
    if params.get(emulated.key):
        records = [record for record in records if str(record.get(emulated.key)) == params[emulated.key]]
    if action == "count":
        return data.output({"total": str(len(records))}, kind)
    page = _page(data.app, params, records, 0)
    if page is None:
        return v1_error(400, "Invalid start or limit", "v1_bad_request")
    if not page:
        return data.not_found(emulated.name.capitalize(), kind, emulated.element)
    extra = data.app.config.get("extra_object_fields")["v1"]
    return data.output([dict(record, **extra) for record in page], kind, emulated.element)


def to_v2(app, emulated, record):
    """A stored record as v2 serves it, with the extra_object_fields switch's v2 fields."""
    return dict(emulated.to_v2(record), **app.config.get("extra_object_fields")["v2"])


def serve_v2_system(app, req, principal, route):
    """route below /ns-api/v2/ that an object serves outside any domain (v2_system_collection), or None."""
    emulated = by_v2_system_collection(route[0] if route else "")
    return emulated.v2_handler(app, req, principal, None, route) if emulated else None


def serve_v2(app, req, domain, route, principal=None):
    """route below /domains/{domain}/: '<collection>[/count|/<key>]' or 'users/<user>/<collection>[/count|/<key>]'.
    Returns None when no registered object has that route."""
    user = None
    if route[0] == "users":
        if len(route) < 3:
            return None
        user = route[1]
        if app.store.user(domain, user) is None:
            return v2_error(404, "User not found", "v2_user")
        route = route[2:]
    emulated = by_v2_collection(per_user=user is not None).get(route[0])
    if emulated is not None and emulated.v2_handler and user is None:
        return emulated.v2_handler(app, req, principal, domain, route)
    if emulated is None or len(route) > 2:
        return None
    records = app.store.objects[emulated.name].get(domain, [])
    if user is not None:
        records = _owned(emulated, records, user)
    rest = route[1:]
    if not rest:
        kind = f"v2_{emulated.name}_list"
        app.stats.read(kind)
        page = _page(app, req.query_params, records, 0 if user is not None else 100)
        if page is None:
            return v2_error(400, "start must be an integer >= 0 and limit an integer >= 1", kind)
        return v2_json([to_v2(app, emulated, record) for record in page], kind)
    if rest == ["count"]:
        app.stats.read(f"v2_{emulated.name}_count")
        return v2_json({"total": len(records)}, f"v2_{emulated.name}_count")
    app.stats.read(f"v2_{emulated.name}_item")
    found = [record for record in records if emulated.item_key_v2(record) == rest[0]]
    if not found:
        return v2_error(404, f"{emulated.name.capitalize()} not found", f"v2_{emulated.name}_item")
    return v2_json(to_v2(app, emulated, found[0]), f"v2_{emulated.name}_item")
