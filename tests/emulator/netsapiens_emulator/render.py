"""Response objects and the JSON / XML / error renderings shared by the v1 and v2 handlers."""
from __future__ import annotations

import dataclasses
import json
from xml.sax.saxutils import escape

JSON_V1 = "application/json"
JSON_V2 = "application/json; charset=utf-8"
HTML = "text/html; charset=UTF-8"
XML = "text/xml; charset=UTF-8"


@dataclasses.dataclass
class Response:
    """What a handler answers. ``kind`` names the request for the stats."""

    status: int
    body: bytes = b""
    content_type: str = HTML
    headers: list = dataclasses.field(default_factory=list)
    kind: str = "unknown"
    fault: str = ""      # "reset", "close" or "trickle": how the server breaks the connection instead of answering in full
    trickle_ms: int = 0  # with fault "trickle": the pause after each byte of the body


def header_safe(text):
    """Header values must be single-line latin-1: escape everything else."""
    text = "".join(" " if ord(char) < 32 or ord(char) == 127 else char for char in str(text))
    return text.encode("ascii", "backslashreplace").decode("ascii")


def warning(text):
    """A Warning header carrying the server's words, as the v1 API reports error detail."""
    return ("Warning", f'299 - "{header_safe(text).replace(chr(34), chr(39))}"')


def php_json(value):
    """JSON as PHP's json_encode writes it: ASCII only, slashes escaped."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/").encode("ascii")


def v1_json(value, kind, html_content_type=False, status=200):
    return Response(status, php_json(value), HTML if html_content_type else JSON_V1, kind=kind)


def v2_json(value, kind, status=200, headers=None):
    body = json.dumps(value, ensure_ascii=False).encode("utf-8")
    return Response(status, body, JSON_V2, list(headers or []), kind=kind)


def v1_error(status, text, kind, headers=None):
    """A v1 error: the detail is in the Warning header, the body is empty."""
    return Response(status, b"", HTML, [warning(text)] + list(headers or []), kind=kind)


def v1_json_error(status, value, text, kind):
    """A v1 error with an OAuth-style JSON body (bad or expired bearer tokens)."""
    headers = [warning(text)]
    if status == 401:
        headers.append(("WWW-Authenticate", header_safe(
            f'Bearer realm="Service", error="{value.get("error", "invalid_token")}", error_description="{text}"')))
    return Response(status, php_json(value), JSON_V1, headers, kind=kind)


def v2_error(status, message, kind, headers=None):
    return v2_json({"code": status, "message": message}, kind, status=status, headers=headers)


def _xml_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def xml_document(element, items):
    """v1 XML: ``<xml><element><field>value</field>...</element>...</xml>``."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<xml>']
    for item in items:
        parts.append(f"<{element}>")
        for name, value in item.items():
            parts.append(f"<{name}>{_xml_value(value)}</{name}>")
        parts.append(f"</{element}>")
    parts.append("</xml>\n")
    return "".join(parts).encode("utf-8")


def xml_fields(values):
    """v1 XML for a flat answer such as a count: ``<xml><total>3</total></xml>``."""
    inner = "".join(f"<{name}>{_xml_value(value)}</{name}>" for name, value in values.items())
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<xml>{inner}</xml>\n'.encode("utf-8")


def v1_xml(body, kind, status=200):
    return Response(status, body, XML, kind=kind)


PORTAL_PAGE = ("<!DOCTYPE html>\n<html><head><title>Manager Portal - Log In</title></head>"
               "<body><form action=\"/portal/login\" method=\"post\"><h1>Log in</h1></form></body></html>\n")


def portal_page(kind):
    """200 with the HTML log-in page a web portal serves for any path it does not know."""
    return Response(200, PORTAL_PAGE.encode("utf-8"), HTML, kind=kind)


def html_not_found(text, kind):
    return Response(404, f"<html><body>{escape(text)}</body></html>".encode("utf-8"), HTML, kind=kind)
