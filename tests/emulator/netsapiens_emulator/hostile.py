"""Answers of a hostile or careless server: token pages that echo the request, redirects, UTF-8 without charset."""
from __future__ import annotations

import html
import json

from .render import JSON_V1, JSON_V2, Response

ECHO_PAGE = ("<!DOCTYPE html><html><head><title>Login failed</title></head><body><h1>Request rejected</h1>"
             "<p>Received body:</p><pre>{raw}</pre><p>Fields:</p><ul>{fields}</ul></body></html>")


def token_echo(mode, req):
    """The token endpoint's answer under switch ``token_echo`` (html_400, text_200, ...): the request body, raw and decoded."""
    kind, status = mode.split("_")
    raw = req.raw_body.decode("utf-8", errors="replace")
    fields = sorted(req.body_params.items())
    if kind == "html":
        items = "".join(f"<li>{html.escape(name)} = {html.escape(value)}</li>" for name, value in fields)
        body, content_type = ECHO_PAGE.format(raw=html.escape(raw), fields=items), "text/html; charset=UTF-8"
    else:
        listed = "; ".join(f"{name}={value}" for name, value in fields)
        body, content_type = f"invalid_request: received {raw} ({listed})", "text/plain; charset=UTF-8"
    return Response(int(status), body.encode("utf-8"), content_type, kind="token_echo")


def redirect(target, req):
    """302 to ``target`` plus the request's path and query (what a moved server's front end answers)."""
    location = target.rstrip("/") + req.raw_path + (f"?{req.query}" if req.query else "")
    return Response(302, b"<html><body>Moved</body></html>", headers=[("Location", location)], kind="redirect")


def utf8_json(content_type, response):
    """A JSON answer re-written as raw UTF-8 under ``content_type`` (no charset), for switch ``utf8_json_as``."""
    if content_type == "off" or response.content_type not in (JSON_V1, JSON_V2) or not response.body:
        return response
    value = json.loads(response.body.decode("utf-8"))
    response.body = json.dumps(value, ensure_ascii=False).encode("utf-8")
    response.content_type = content_type
    return response
