"""Dial policies and their ordered permission rows: the shared system policies (domain ``*``), an ``Internal Only``
policy of each domain, and ``No Emergency`` (denies 911, used by cases.SUBSCRIBERS['1016']) in the first domain.

Stored per domain: ``dialpolicy`` (the policies a domain can use: the shared ones, then its own) and ``permission``
(their rows, in order). Served by the handlers below, not the generic code:

- v1 ``object=dialpolicy&domain=<d>``: the domain's and the shared policies; ``object=permission&domain=<d>&dialpolicy=<p>``
  (both required): the rows of the domain's own policy ``p``, or with ``domain=*`` of the shared one. No paging.
- v2 ``/domains/{d}/dialpolicy[/count|/{p}]`` (the domain's own), ``/domains/{d}/dialpolicy/{p}/permission[/count|/{id}]``,
  and at the system path ``/dialpolicy`` (every policy the caller can see: the shared ones and those of its domains),
  ``/dialpolicy/{p}[/permission[/count|/{id}]]`` (a shared policy).
- Shared policies (v1 ``domain=*``, every v2 system path) are readable by Resellers and Super Users only: others get 403.
"""
from __future__ import annotations

import base64

from ..auth import RESELLER_SCOPE, SUPER_USER_SCOPE
from ..objects import Emulated, register
from ..render import v1_error, v2_error, v2_json

SHARED = "*"
CREATED = "2023-11-14 09:30:00"
EMERGENCY = (("911", "permit", "Emergency"), ("933", "permit", "Emergency address test"))

# name -> (description, rows (dial_match, mode, reason) in order). 911 and 933 come first in all but No Emergency.
SHARED_POLICIES = {
    "US and Canada": ("Calls within the US and Canada", EMERGENCY + (
        ("1900*", "deny", "Premium rate"), ("1976*", "deny", "Premium rate"), ("1??????????", "permit", "US and Canada"),
        ("??????????", "permit", "Ten-digit dialing"), ("011*", "deny", "International"), ("*", "deny", "Everything else"))),
    "Permit All": ("Every domestic number", EMERGENCY + (
        ("011*", "deny", "International"), ("*", "permit", "Everything else"))),
    "Permit All (International)": ("Every number, international ones too", EMERGENCY + (
        ("011*", "permit", "International"), ("*", "permit", "Everything else"))),
}
DOMAIN_POLICIES = {
    "Internal Only": ("Extensions of the domain only", EMERGENCY + (
        ("????", "permit", "Extensions"), ("*", "deny", "Outside numbers"))),
}
FIRST_DOMAIN_POLICIES = {
    "No Emergency": ("Lobby phones without emergency calls", (
        ("911", "deny", "Emergency calls blocked"), ("933", "deny", "Emergency address test blocked"),
        ("011*", "deny", "International"), ("*", "permit", "Everything else"))),
}


def _policies(store, domain):
    """(owner, name, description, rows) of every policy the domain can use: the shared ones, then its own."""
    own = dict(DOMAIN_POLICIES, **(FIRST_DOMAIN_POLICIES if domain == store.first_domain else {}))
    return ([(SHARED, name, *SHARED_POLICIES[name]) for name in SHARED_POLICIES]
            + [(domain, name, *own[name]) for name in sorted(own)])


def build_policies(store, domain, _users):
    return [{"dialpolicy_id": "ignore", "dialpolicy": name, "domain": owner, "policy_description": description}
            for owner, name, description, _rows in _policies(store, domain)]


def build_permissions(store, domain, _users):
    return [{"dialpolicy": name, "domain": owner, "dial_match": match, "mode": mode, "reason": reason}
            for owner, name, _description, rows in _policies(store, domain) for match, mode, reason in rows]


def policy_to_v2(record):
    return {"dialpolicy": record["dialpolicy"], "domain": record["domain"], "description": record["policy_description"]}


def permission_id(record):
    return base64.b64encode(record["dial_match"].encode("utf-8")).decode("ascii")


def permission_to_v2(record):
    return {"dialpolicy": record["dialpolicy"], "domain": record["domain"], "permission-match": record["dial_match"],
            "permission-mode": record["mode"], "permission-reason": record["reason"], "created-datetime": CREATED,
            "permission-id": permission_id(record)}


def _reads_shared(principal):
    return not principal.mfa_limited and principal.scope in (SUPER_USER_SCOPE, RESELLER_SCOPE)


def _stored(app, name, domain):
    return app.store.objects[name].get(domain, [])


def _shared(app, name):
    """The stored shared policies or rows (every domain holds the same ones)."""
    return [record for record in _stored(app, name, app.store.first_domain) if record["domain"] == SHARED]


# -- v1 -------------------------------------------------------------------------------------------------------------

def _v1_answer(data, action, kind, records, element):
    if action == "count":
        return data.output({"total": str(len(records))}, kind)
    if not records:
        return data.not_found(element.replace("_", " ").capitalize(), kind, element)
    extra = data.app.config.get("extra_object_fields")["v1"]
    return data.output([dict(record, **extra) for record in records], kind, element)


def _v1_kind(name, action):
    return f"v1_{name}_{'count' if action == 'count' else 'read'}"


def serve_v1_policies(data, principal, action):
    domain = data.params.get("domain", "")
    if not domain:
        return v1_error(400, "Missing domain", "v1_bad_request")
    refused = data.readable_domain(principal, domain)
    if refused:
        return refused
    kind = _v1_kind("dialpolicy", action)
    data.app.stats.read(kind)
    wanted = data.params.get("dialpolicy", "")
    records = [record for record in _stored(data.app, "dialpolicy", domain) if wanted in ("", record["dialpolicy"])]
    return _v1_answer(data, action, kind, records, "dial_policy")


def serve_v1_permissions(data, principal, action):
    domain, policy = data.params.get("domain", ""), data.params.get("dialpolicy", "")
    if not domain or not policy:
        return v1_error(400, "Missing domain or dialpolicy", "v1_bad_request")
    if domain == SHARED and not _reads_shared(principal):
        return v1_error(403, "Insufficient scope to read domain *", "v1_forbidden")
    refused = None if domain == SHARED else data.readable_domain(principal, domain)
    if refused:
        return refused
    kind = _v1_kind("permission", action)
    data.app.stats.read(kind)
    rows = _shared(data.app, "permission") if domain == SHARED else _stored(data.app, "permission", domain)
    match = data.params.get("dial_match", "")
    rows = [row for row in rows if row["domain"] == domain and row["dialpolicy"] == policy and match in ("", row["dial_match"])]
    return _v1_answer(data, action, kind, rows, "permission")


# -- v2 -------------------------------------------------------------------------------------------------------------

def _v2_items(app, name, records, rest, to_v2, key_of):
    """rest below a collection: [] (the list), ['count'] or [key] (one item, 404 when absent)."""
    if not rest or rest == ["count"]:
        kind = f"v2_{name}_{'count' if rest else 'list'}"
        app.stats.read(kind)
        if rest:
            return v2_json({"total": len(records)}, kind)
        extra = app.config.get("extra_object_fields")["v2"]
        return v2_json([dict(to_v2(record), **extra) for record in records], kind)
    if len(rest) > 1:
        return None
    app.stats.read(f"v2_{name}_item")
    found = [record for record in records if key_of(record) == rest[0]]
    if not found:
        return v2_error(404, f"{name.capitalize()} not found", f"v2_{name}_item")
    return v2_json(dict(to_v2(found[0]), **app.config.get("extra_object_fields")["v2"]), f"v2_{name}_item")


def _visible(app, principal):
    """What /dialpolicy lists: the shared policies, then the own ones of every domain the caller can read."""
    own = [record for domain, stored in sorted(app.store.domains.items()) if principal.can_read(stored)
           for record in _stored(app, "dialpolicy", domain) if record["domain"] == domain]
    return _shared(app, "dialpolicy") + own


def serve_v2(app, _req, principal, domain, route):
    """route: ['dialpolicy', ...] below /domains/{domain}/ or, with domain None, below /ns-api/v2/."""
    if domain is None and not _reads_shared(principal):
        return v2_error(403, "Access to system dial policies denied", "v2_forbidden")
    owner = SHARED if domain is None else domain
    policies = [record for record in (_shared(app, "dialpolicy") if domain is None else _stored(app, "dialpolicy", domain))
                if record["domain"] == owner]
    if len(route) < 3:
        listed = _visible(app, principal) if domain is None and route[1:] in ([], ["count"]) else policies
        return _v2_items(app, "dialpolicy", listed, route[1:], policy_to_v2, lambda record: record["dialpolicy"])
    if route[2] != "permission" or not any(record["dialpolicy"] == route[1] for record in policies):
        return v2_error(404, "Dialpolicy not found", "v2_permission_list")
    rows = [row for row in (_shared(app, "permission") if domain is None else _stored(app, "permission", domain))
            if row["domain"] == owner and row["dialpolicy"] == route[1]]
    return _v2_items(app, "permission", rows, route[3:], permission_to_v2, permission_id)


register(Emulated(name="dialpolicy", element="dial_policy", v2_collection="dialpolicy", key="dialpolicy",
                  build=build_policies, to_v2=policy_to_v2, v1_handler=serve_v1_policies, v2_handler=serve_v2,
                  v2_system_collection="dialpolicy"))
# Rows are served below their policy (v2_handler above); the empty v2_collection is never a route.
register(Emulated(name="permission", element="permission", v2_collection="", key="dial_match", build=build_permissions,
                  to_v2=permission_to_v2, v1_handler=serve_v1_permissions))
