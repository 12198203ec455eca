"""Parsing of an incoming request: query string, form / multipart / JSON bodies, path segments."""
from __future__ import annotations

import dataclasses
import email.parser
import email.policy
import json
import typing
import urllib.parse

# Parameters that are secrets: seeing one in a query string is counted as credentials_in_query.
SECRET_PARAMS = frozenset(("password", "client_secret", "refresh_token", "access_token", "passcode", "api_key",
                           "apikey"))


@dataclasses.dataclass
class Request:
    """One incoming request, decoded."""

    method: str
    raw_path: str
    query: str
    headers: typing.Any
    body_params: dict
    query_params: dict
    segments: list
    raw_body: bytes = b""

    @property
    def params(self):
        """Query parameters overlaid with body parameters (the body wins)."""
        merged = dict(self.query_params)
        merged.update(self.body_params)
        return merged

    def bearer(self):
        """The value of an ``Authorization: Bearer ...`` header, or None."""
        value = self.headers.get("Authorization") or ""
        scheme, _sep, credentials = value.strip().partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            return None
        return credentials.strip()


def parse_query(query):
    """Decode a query string (or form body) into a dict; the last value of a repeated name wins."""
    return dict(urllib.parse.parse_qsl(query or "", keep_blank_values=True))


def _scalar(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _multipart(content_type, body):
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    result = {}
    if not message.is_multipart():
        return result
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name is None:
            continue
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or "utf-8"
        result[str(name)] = payload.decode(charset, errors="replace")
    return result


def parse_body(content_type, body):
    """Decode a request body into a dict of strings. Unknown or broken bodies give {}."""
    if not body:
        return {}
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "multipart/form-data":
        try:
            return _multipart(content_type, body)
        except (ValueError, TypeError, LookupError):
            return {}
    text = body.decode("utf-8", errors="replace")
    if media.endswith("json") or (not media and text.lstrip().startswith("{")):
        try:
            value = json.loads(text)
        except ValueError:
            return {}
        if isinstance(value, dict):
            return {str(key): _scalar(item) for key, item in value.items()}
        return {}
    return parse_query(text)


def decode_chunked(reader):
    """Read a chunked transfer-encoded body from a file-like object."""
    chunks = []
    while True:
        size_line = reader.readline(65537)
        size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while reader.readline(65537) not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(chunks)
        chunks.append(reader.read(size))
        reader.readline(65537)


def split_path(raw_path):
    """Percent-decode each segment of a raw path ('+' stays '+'); empty segments are dropped."""
    return [urllib.parse.unquote(segment, errors="replace") for segment in raw_path.split("/") if segment]
