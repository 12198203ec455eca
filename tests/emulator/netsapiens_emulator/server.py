"""The HTTP(S) server: request decoding, routing to v1 / v2 / control handlers, faults and stats."""
from __future__ import annotations

import http.server
import socket
import ssl
import struct
import sys
import time
import traceback
import urllib.parse

from . import control, hostile, v1, v2
from .auth import Auth
from .config import Config
from .data import Store
from .emulated import register_all
from .faults import Faults, reason
from .objects import build_all
from .render import Response, html_not_found, portal_page, v1_error, v2_error, warning
from .request import SECRET_PARAMS, Request, decode_chunked, parse_body, parse_query, split_path
from .stats import Stats

MAX_BODY = 10 * 1024 * 1024
LOOPBACK = ("127.0.0.1", "localhost")


class App:
    """Everything a handler needs: switches, data, auth, faults and stats."""

    def __init__(self, seed=1, domains=4, users_per_domain=40, big_domain_users=0, config=None, verbose=False,
                 one_object_per_user=False):
        self.config = Config(config)
        self.store = Store(seed, domains, users_per_domain, big_domain_users, one_object_per_user)
        self.store.add_directory_users(self.config)
        register_all()
        self.store.objects = build_all(self.store)
        self.auth = Auth(self.store)
        self.stats = Stats()
        self.faults = Faults(self.config, seed)
        self.verbose = verbose


def _route_kind(segments):
    """'token', 'token_read', 'data', 'v2', 'other' for a /ns-api request."""
    rest = segments[1:]
    if rest[:1] == ["v2"]:
        return "v2"
    if rest in (["oauth2", "token"],):
        return "token"
    if rest in (["oauth2", "read"],):
        return "token_read"
    if not rest:
        return "data"
    return "other"


class Handler(http.server.BaseHTTPRequestHandler):
    """One connection; every method goes through :meth:`dispatch`."""

    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    timeout = 60
    wbufsize = 64 * 1024            # headers and body leave in one write...
    disable_nagle_algorithm = True  # ...and at once (no 40 ms delayed-ACK stalls on keep-alive connections)

    def do_GET(self):  # pylint: disable=invalid-name
        self.dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.app.verbose:
            super().log_message(format, *args)

    @staticmethod
    def _over_the_limit(app, in_flight):
        """The max_in_flight switch: a server that refuses more requests at once than it allows (429, Retry-After)."""
        limit = app.config.get("max_in_flight")
        if not limit or in_flight <= limit:
            return None
        app.stats.count("refused_in_flight")
        after = app.config.get("retry_after")
        headers = [("Retry-After", str(after))] if after is not None else []
        return v2_error(429, "Too many requests in flight (at most %d)" % limit, "refused_in_flight", headers=headers)

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return decode_chunked(self.rfile)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            raise ValueError("request body too large")
        return self.rfile.read(length) if length > 0 else b""

    def dispatch(self):
        app = self.server.app
        started = time.monotonic()
        target = self.path
        if "://" in target.split("?", 1)[0]:
            target = "/" + target.split("://", 1)[1].partition("/")[2]
        raw_path, _sep, query = target.partition("?")
        try:
            body = self._read_body()
        except ValueError:
            self._send(Response(413, b"", kind="too_large"))
            return
        req = Request(self.command, raw_path, query, self.headers, parse_body(self.headers.get("Content-Type"), body),
                      parse_query(query), split_path(raw_path), body)
        if req.segments[:1] == ["_emulator"]:
            self._send(control.handle(app, req))
            return
        in_flight = app.stats.enter()
        try:
            response = self._over_the_limit(app, in_flight) or hostile.utf8_json(app.config.get("utf8_json_as"), self._answer(app, req))
        except Exception as error:  # pylint: disable=broad-exception-caught
            traceback.print_exc(file=sys.stderr)
            response = v1_error(500, f"Internal emulator error: {error!r}", "internal_error")
        finally:
            app.stats.leave()
        # Recorded before the answer leaves, so a client that reads the stats right after its answer sees its request.
        app.stats.record(self._entry(app, req, response, started))
        self._send(response)

    def _entry(self, app, req, response, started):
        bearer = req.bearer()
        if bearer is None:
            auth_kind = "none"
        elif bearer in app.auth.api_keys:
            auth_kind = "api_key"
        else:
            auth_kind = "bearer"
        return {
            "time": time.time(),
            "method": req.method,
            "path": req.raw_path,
            "query": req.query,
            "decoded_path": urllib.parse.unquote(req.raw_path, errors="replace"),
            "decoded_params": req.params,
            "body_params": sorted(req.body_params),
            "content_type": self.headers.get("Content-Type") or "",
            "status": response.status,
            "kind": response.kind,
            "auth": auth_kind,
            "user_agent": self.headers.get("User-Agent") or "",
            "credentials_in_query": bool(SECRET_PARAMS & set(req.query_params)),
            "duration_ms": round((time.monotonic() - started) * 1000.0, 3),
        }

    def _answer(self, app, req):
        if req.segments[:1] != ["ns-api"]:
            return html_not_found("Not Found", "not_found")
        if SECRET_PARAMS & set(req.query_params):
            app.stats.count("credentials_in_query")
        app.faults.delay()
        if app.config.get("redirect_to"):
            return hostile.redirect(app.config.get("redirect_to"), req)
        route = _route_kind(req.segments)
        if route == "v2" and app.config.get("v1_only"):
            return html_not_found("No Route Found [92]", "v2_disabled")
        if route == "v2" and app.config.get("v2_answers_html"):
            return portal_page("v2_html")
        data_request = route == "data" or (route == "v2" and req.segments[2:3] == ["domains"])
        token_request = route == "token" or (route == "v2" and req.segments[2:] == ["tokens"])
        if token_request and app.config.get("token_echo") != "off":
            return hostile.token_echo(app.config.get("token_echo"), req)
        fault = app.faults.pick(data_request, token_request)
        if fault is None:
            return self._route(app, req, route)
        name = fault["fault"]
        if name is None:
            return self._fault(app, route, fault)
        app.stats.injected(name)
        if name == "slow":
            time.sleep(fault["delay_ms"] / 1000.0)
        elif name == "expire_tokens":
            app.auth.expire_all()
            if fault["use_refresh_tokens"]:
                app.auth.use_all_refresh()
        response = self._route(app, req, route)
        if name in ("reset", "close", "truncate"):
            app.stats.count("injected_errors")
            response.kind = f"injected_{name}"
            if name == "truncate":
                response.body = response.body[:len(response.body) // 2]
            else:
                response.fault = name
        elif name == "trickle":
            response.fault, response.trickle_ms = name, fault["delay_ms"]
        return response

    def _route(self, app, req, route):
        if route == "token":
            if req.method not in ("GET", "POST"):
                app.stats.count("write_attempts")
                return v1_error(403, f"Method {req.method} not allowed", "write_attempt")
            return v1.handle_token(app, req)
        if route == "token_read":
            return v1.handle_token_read(app, req)
        if route == "data":
            if req.method not in ("GET", "POST", "HEAD"):
                app.stats.count("write_attempts")
                return v1_error(403, f"Method {req.method} not allowed: read-only emulator", "write_attempt")
            return v1.handle_data(app, req)
        if route == "v2":
            return v2.handle(app, req)
        return v1_error(404, f"No such resource {req.raw_path}", "not_found")

    @staticmethod
    def _fault(app, route, fault):
        """An injected error answer: a status (with Retry-After unless it is None) or a literal body."""
        status, retry_after = fault["status"], fault["retry_after"]
        app.stats.count("injected_errors")
        app.stats.injected("body" if fault["body"] is not None else str(status))
        extra = [] if retry_after is None else [("Retry-After", str(int(retry_after)))]
        if fault["body"] is not None:
            return Response(status, fault["body"].encode("utf-8"), fault["content_type"], extra, kind="injected_error")
        text = f"Injected fault: {status} {reason(status)}"
        if route == "v2":
            return v2_error(status, text, "injected_error", extra + [warning(text)])
        response = v1_error(status, text, "injected_error")
        response.headers.extend(extra)
        return response

    def _send(self, response):
        if response.fault == "close":
            # No answer at all: the client sees the connection closed before any status line.
            self.close_connection = True
            return
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers:
                self.send_header(name, value)
            self.end_headers()
            if response.fault == "reset":
                self._reset_mid_body(response.body)
                return
            if response.fault == "trickle":
                self._trickle(response.body, response.trickle_ms / 1000.0)
                return
            if self.command != "HEAD" and response.body:
                self.wfile.write(response.body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, socket.timeout):
            self.close_connection = True

    def _trickle(self, body, pause):
        """Send the body one byte at a time, `pause` seconds apart, until it is done or the client goes away."""
        for position in range(len(body)):
            self.wfile.write(body[position:position + 1])
            self.wfile.flush()
            time.sleep(pause)

    def _reset_mid_body(self, body):
        """Send the headers and half the body the Content-Length promises, then reset the connection (TCP RST)."""
        self.wfile.write(body[:max(1, len(body) // 2)])
        self.wfile.flush()
        time.sleep(0.05)  # let the client read the status line and headers first: the reset hits mid-body
        self.close_connection = True
        # SO_LINGER 0: closing sends RST instead of FIN. The socket really closes in finish(), when the handler's
        # file objects are closed, before the server's own shutdown(SHUT_WR) (which then fails and is ignored).
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()


class EmulatorServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server bound to loopback, optionally TLS (the handshake runs in the request thread)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, app, ssl_context=None):
        host = address[0]
        if host not in LOOPBACK:
            raise ValueError(f"refusing to bind to {host!r}: the emulator only listens on 127.0.0.1")
        self.app = app
        self.ssl_context = ssl_context
        super().__init__(("127.0.0.1", address[1]), Handler)

    def finish_request(self, request, client_address):
        if self.ssl_context is None:
            super().finish_request(request, client_address)
            return
        request.settimeout(15)
        try:
            wrapped = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            self.app.stats.count("tls_handshake_failures")
            return
        try:
            super().finish_request(wrapped, client_address)
        finally:
            try:
                wrapped.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, ssl.SSLError, socket.timeout, TimeoutError)):
            return
        super().handle_error(request, client_address)


def make_ssl_context(cert, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
