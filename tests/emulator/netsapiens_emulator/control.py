"""Control endpoints under /_emulator/ (never affected by faults, never counted in the stats)."""
from __future__ import annotations

import json

from . import __version__, auth
from .changes import apply as apply_change
from .data import MFA_USER
from .render import Response


def _json(value, status=200):
    return Response(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8",
                    kind="control")


def credentials(app):
    """Every login the emulator accepts (test credentials, not secrets)."""
    first = app.store.first_domain
    return {
        "client_id": auth.CLIENT_ID,
        "client_secret": auth.CLIENT_SECRET,
        "first_domain": first,
        "users": {
            "super_user": {"username": auth.SUPER_USER, "password": auth.SUPER_PASSWORD, "scope": "Super User"},
            "reseller": {"username": auth.RESELLER_USER, "password": auth.RESELLER_PASSWORD, "scope": "Reseller"},
            "office_manager": {"username": f"{auth.OFFICE_MANAGER_EXTENSION}@{first}",
                               "password": auth.OFFICE_MANAGER_PASSWORD, "scope": "Office Manager"},
            "mfa": {"username": f"{MFA_USER}@{first}", "password": auth.MFA_PASSWORD, "scope": auth.MFA_SCOPE},
        },
        "api_keys": {"reseller": auth.RESELLER_API_KEY, "office_manager": auth.OFFICE_API_KEY},
    }


def handle(app, req):
    """Answer GET|POST /_emulator/<name>."""
    name = "/".join(req.segments[1:])
    method = req.method
    if method == "GET" and name == "stats":
        return _json(app.stats.snapshot())
    if method == "POST" and name == "reset":
        app.stats.reset()
        return _json({"ok": True})
    if name == "config":
        if method == "GET":
            return _json(app.config.snapshot())
        if method == "POST":
            try:
                changes = json.loads(req.raw_body.decode("utf-8") or "{}")
                app.config.update(changes)
                app.store.add_directory_users(app.config)
                return _json(app.config.snapshot())
            except ValueError as error:
                return _json({"error": str(error)}, 400)
    if method == "GET" and name == "records":
        domain = req.query_params.get("domain", "")
        if domain not in app.store.users:
            return _json({"error": f"unknown domain {domain!r}", "domains": app.store.domain_names()}, 404)
        return _json(app.store.users[domain])
    if method == "GET" and name == "objects":
        kind, domain = req.query_params.get("name", ""), req.query_params.get("domain", "")
        stored = getattr(app.store, "objects", {}).get(kind)
        if stored is None or domain not in stored:
            return _json({"error": f"unknown object {kind!r} or domain {domain!r}", "objects": sorted(app.store.objects)}, 404)
        return _json(stored[domain])
    if method == "GET" and name == "domains":
        return _json({domain: len(users) for domain, users in app.store.users.items()})
    if method == "POST" and name == "change":
        try:
            return _json({"ok": True, "changed": apply_change(app.store, json.loads(req.raw_body.decode("utf-8") or "null"))})
        except ValueError as error:
            return _json({"error": str(error)}, 400)
    if method == "POST" and name == "restore-data":
        app.store.restore()
        return _json({"ok": True})
    if method == "POST" and name == "expire-tokens":
        return _json({"expired": app.auth.expire_all()})
    if method == "GET" and name == "tokens":
        return _json({"issued": app.auth.issued()})
    if method == "GET" and name == "credentials":
        return _json(credentials(app))
    if method == "GET" and name == "health":
        return _json({"ok": True, "version": __version__})
    return _json({"error": f"no control endpoint {method} /_emulator/{name}"}, 404)
