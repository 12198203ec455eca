# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP transport: one requests.Session per run, retries with backoff, errors with the server's words.

Every piece of server text that can reach a message passes through the run's Scrubber first.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import email.utils
import json
import random
import time
import traceback

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import (
    NetSapiensApiError,
    NetSapiensConfigError,
    NetSapiensConnectionError,
)
from ansible_collections.netsapiens.pbx.plugins.module_utils._scrub import Scrubber
from ansible_collections.netsapiens.pbx.plugins.module_utils._throttle import Throttle
from ansible_collections.netsapiens.pbx.plugins.module_utils._version import USER_AGENT

try:
    from urllib.parse import urljoin, urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, this keeps the import sanity test quiet
    from urlparse import urljoin, urlsplit  # type: ignore

try:
    import requests
    from requests import exceptions as requests_exceptions
    from urllib3 import exceptions as urllib3_exceptions
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
# Answers that mean "too many requests at once": the whole run slows down (see _throttle).
OVERLOAD_STATUSES = frozenset((429, 503))
MAX_RETRY_WAIT = 30.0
MAX_BODY_IN_MESSAGE = 300
BODY_CHUNK = 64 * 1024
# Values of a JSON answer that are credentials the server issued: masked in every later message.
ISSUED_SECRET_KEYS = ('access_token', 'refresh_token')


class Reply(object):
    """What a request brought back, with the body parsed by content rather than by header."""

    def __init__(self, method, path, status, reason, headers, text, scrubber=None, redirect_to=None):
        self.method = method
        self.path = path
        self.status = status
        self.reason = reason or ''
        self.headers = headers
        self.text = text or ''
        self.scrubber = scrubber or Scrubber()
        self.redirect_to = redirect_to

    @property
    def ok(self):
        return 200 <= self.status < 300

    @property
    def is_redirect(self):
        return 300 <= self.status < 400

    @property
    def warning(self):
        """The server's own words: v1 puts error detail in the Warning header."""
        value = self.headers.get('Warning') or self.headers.get('X-Warning') or ''
        return self.scrubber.scrub(_strip_warning(value))

    def json(self):
        """The parsed JSON body; None for an empty body. Raises NetSapiensApiError for anything else."""
        text = self.text.strip()
        if not text:
            return None
        try:
            body = json.loads(text)
        except ValueError:
            kind = 'HTML' if text[:1] == '<' and 'html' in text[:200].lower() else ('XML' if text[:1] == '<' else 'non-JSON')
            raise NetSapiensApiError("%s %s answered with %s instead of JSON (HTTP %d): %s"
                                     % (self.method, self.path, kind, self.status, self.snippet()), status=self.status)
        if isinstance(body, dict):
            # Tokens issued during the run are secrets too, from the moment they arrive.
            self.scrubber.remember(*[body.get(key) for key in ISSUED_SECRET_KEYS])
        return body

    def snippet(self):
        """The start of the body, credentials masked (before cutting, so no half secret survives)."""
        return _snippet(self.scrubber.scrub(self.text))

    def server_message(self):
        """The best explanation the server gave: Warning header, v2 {code, message} or OAuth error body."""
        if self.is_redirect:
            return self._redirect_explanation()
        parts = []
        if self.warning:
            parts.append(self.warning)
        try:
            body = json.loads(self.text) if self.text.strip() else None
        except ValueError:
            body = None
        if isinstance(body, dict):
            for key in ('message', 'error_description', 'error', 'msg'):
                value = self.scrubber.scrub(body.get(key)) if isinstance(body.get(key), str) else None
                if value and value not in parts:
                    parts.append(value)
                    break
        elif self.text.strip() and not parts:
            parts.append(self.snippet())
        return '; '.join(parts)

    def _redirect_explanation(self):
        where = ('redirects to %s' % self.redirect_to) if self.redirect_to else 'answers with a redirect without a usable Location'
        return ("the server %s (redirects are not followed, so credentials are never sent elsewhere); set api_url to the "
                "server's real address" % where)

    def describe(self):
        """'GET /ns-api/ -> 403 Forbidden: <server words>'"""
        text = '%s %s -> %d %s' % (self.method, self.path, self.status, self.reason)
        message = self.server_message()
        return '%s: %s' % (text, message) if message else text


def _strip_warning(value):
    # 'Warning: 299 - "Authentication failed"' -> 'Authentication failed'
    text = value.strip()
    pieces = text.split(' ', 2)
    if len(pieces) == 3 and pieces[0].isdigit():
        text = pieces[2]
    return text.strip().strip('"')


def _snippet(text):
    text = ' '.join(text.split())
    return text if len(text) <= MAX_BODY_IN_MESSAGE else text[:MAX_BODY_IN_MESSAGE] + '...'


def redirect_target(base_url, location):
    """Where a Location header points, as scheme://host[:port] only: its path and query may hold anything."""
    if not location:
        return None
    try:
        parts = urlsplit(urljoin(base_url + '/', location.strip()))
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host or parts.scheme not in ('http', 'https'):
        return None
    host = '[%s]' % host if ':' in host else host
    return '%s://%s%s' % (parts.scheme, host, (':%d' % port) if port else '')


def content_charset(content_type):
    """The charset parameter of a Content-Type header, lower case, or None."""
    for parameter in (content_type or '').split(';')[1:]:
        name, _sep, value = parameter.partition('=')
        if name.strip().lower() == 'charset' and value.strip():
            return value.strip().strip('"\'').lower()
    return None


def decode_body(body, content_type):
    """Text of a body: the charset the server named, else UTF-8 (what JSON is; requests would guess ISO-8859-1 for text/*)."""
    charset = content_charset(content_type)
    for encoding in ([charset] if charset else []) + ['utf-8-sig']:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode('iso-8859-1')


def _wait_at_most(raw, deadline):
    """Let the next socket read wait only for what is left of the request's time; ReadTimeout when nothing is left."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise requests_exceptions.ReadTimeout('the whole answer did not arrive in time')
    sock = getattr(getattr(raw, 'connection', None), 'sock', None)
    if sock is not None:
        sock.settimeout(remaining)


def _read_chunks(raw, deadline):
    chunks = []
    try:
        while True:
            _wait_at_most(raw, deadline)
            chunk = raw.read1(BODY_CHUNK, decode_content=True)
            if not chunk:
                return b''.join(chunks)
            chunks.append(chunk)
    # The errors requests itself would raise while reading a body (Response.iter_content).
    except urllib3_exceptions.ReadTimeoutError as exc:
        raise requests_exceptions.ReadTimeout(exc)
    except urllib3_exceptions.ProtocolError as exc:
        raise requests_exceptions.ChunkedEncodingError(exc)
    except urllib3_exceptions.DecodeError as exc:
        raise requests_exceptions.ContentDecodingError(exc)


def read_body(response, deadline):
    """The whole body of a streamed response, read before the deadline (time.monotonic()).

    Reading against a deadline, not per socket read, keeps a server that trickles a byte at a time
    from holding a run for ever. A broken read closes the connection; a complete one returns it to the pool.
    """
    raw = response.raw
    if not hasattr(raw, 'read1'):  # urllib3 < 2 cannot read what has arrived so far: each socket read is still bounded
        return response.content
    try:
        body = _read_chunks(raw, deadline)
    except Exception:
        response.close()
        raise
    raw.release_conn()
    return body


def retry_after_seconds(value, now=None):
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def pooled_session(connections):
    """A requests.Session that keeps a connection for each request that may be in flight: by default it keeps 10, and
    beyond that opens a new connection for every request and drops it afterwards."""
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_maxsize=max(10, connections))
    session.mount('https://', adapter)
    session.mount('http://', adapter)
    return session


class Transport(object):
    """Sends requests to one server. Never puts credentials in URLs; never logs bodies or headers."""

    def __init__(self, settings, log=None, warn=None, sleep=time.sleep, session=None):
        self.base_url = settings.api_url
        self.timeout = settings.timeout
        self.retries = settings.retries
        self.log = log or (lambda message: None)
        self.warn = warn or (lambda message: None)
        self.sleep = sleep
        # Every request of the run, from any thread, takes a place here: at most max_concurrency in flight.
        self.throttle = Throttle(settings.max_concurrency, log=self.log, sleep=sleep)
        if not settings.validate_certs:
            self.verify = False
        elif settings.ca_path:
            self.verify = settings.ca_path
        else:
            self.verify = True
        self.validate_certs = settings.validate_certs
        self.scrubber = Scrubber.for_settings(settings)
        self.session = session if session is not None else pooled_session(settings.max_concurrency)
        self.session.headers['User-Agent'] = USER_AGENT
        self.session.headers['Accept'] = 'application/json'
        if not settings.validate_certs:
            self.warn('validate_certs is false: the TLS certificate of %s is not checked, so the connection can be intercepted.'
                      % self.base_url)
            _silence_insecure_warning()
        if settings.is_plain_http and not settings.is_loopback:
            self.warn('api_url %s uses plain http://: credentials and tokens cross the network unencrypted. Use https://.'
                      % self.base_url)

    def request(self, method, path, params=None, data=None, json_body=None, headers=None):
        """Send one request, retrying connection errors, 429 and 5xx. Returns a Reply for any HTTP status."""
        self._remember_bearer(headers)
        arguments = dict(params=params, data=data, json=json_body, headers=headers)
        attempt = 0
        while True:
            attempt += 1
            try:
                with self.throttle.slot() as epoch:
                    reply = self._exchange(method, path, arguments)
            except (requests_exceptions.ConnectionError, requests_exceptions.Timeout, requests_exceptions.ChunkedEncodingError,
                    requests_exceptions.ContentDecodingError) as exc:
                problem = self._connection_problem(exc)
                if attempt > self.retries:
                    raise NetSapiensConnectionError('%s %s%s failed after %d attempt(s): %s'
                                                    % (method, self.base_url, path, attempt, problem))
                wait = self._backoff(attempt)
                self.log('%s %s failed (%s); retry %d of %d in %.1fs' % (method, path, problem, attempt, self.retries, wait))
                self.sleep(wait)
                continue
            if reply.status not in OVERLOAD_STATUSES:
                self.throttle.answered()
            if reply.status in RETRY_STATUSES and attempt <= self.retries:
                wait = retry_after_seconds(reply.headers.get('Retry-After'))
                wait = self._backoff(attempt) if wait is None else min(wait, MAX_RETRY_WAIT)
                if reply.status in OVERLOAD_STATUSES:
                    self.throttle.overloaded(wait, epoch, refused=reply.status == 429)
                self.log('%s %s answered %d %s; retry %d of %d in %.1fs'
                         % (method, path, reply.status, reply.reason, attempt, self.retries, wait))
                self.sleep(wait)
                continue
            return reply

    def _remember_bearer(self, headers):
        """A token the run sends (one the server issued, or a refreshed one) is masked like the configured secrets."""
        scheme, _sep, credential = ((headers or {}).get('Authorization') or '').partition(' ')
        if scheme == 'Bearer':
            self.scrubber.remember(credential)

    def _exchange(self, method, path, arguments):
        """One attempt: the request and its whole answer, body included, within `timeout` seconds."""
        deadline = time.monotonic() + self.timeout
        try:
            response = self.session.request(method, self.base_url + path, timeout=self.timeout, verify=self.verify,
                                            allow_redirects=False, stream=True, **arguments)
        except requests_exceptions.SSLError as exc:
            raise NetSapiensConnectionError(self._tls_message(method, path, exc))
        except (requests_exceptions.InvalidURL, requests_exceptions.InvalidHeader, UnicodeError) as exc:
            # Never str(exc): requests puts the whole header value (a key or a token) in its message.
            raise NetSapiensConfigError('%s %s: the request could not be built (%s): check api_url, api_key and access_token for '
                                        'spaces, line breaks or other characters a URL or an HTTP header cannot hold.'
                                        % (method, path, type(exc).__name__))
        text = decode_body(read_body(response, deadline), response.headers.get('Content-Type'))
        redirect_to = redirect_target(self.base_url, response.headers.get('Location')) if 300 <= response.status_code < 400 else None
        return Reply(method, path, response.status_code, response.reason, response.headers, text, self.scrubber, redirect_to)

    @staticmethod
    def _backoff(attempt):
        return min(MAX_RETRY_WAIT, 0.5 * (2 ** (attempt - 1))) * (0.8 + 0.4 * random.random())

    def _connection_problem(self, exc):
        if isinstance(exc, requests_exceptions.ConnectTimeout):
            return 'no connection within %d seconds (timeout)' % self.timeout
        if isinstance(exc, requests_exceptions.Timeout):
            return 'no answer within %d seconds (timeout)' % self.timeout
        text = str(exc)
        if 'Connection refused' in text:
            return 'connection refused: is the server running at %s?' % self.base_url
        if 'Name or service not known' in text or 'nodename nor servname' in text or 'getaddrinfo failed' in text:
            return 'the host name of %s cannot be resolved' % self.base_url
        if 'reset' in text.lower() or 'RemoteDisconnected' in text or 'aborted' in text.lower() or 'broken' in text.lower():
            return 'the server closed the connection unexpectedly'
        return 'the server could not be reached (%s)' % type(exc).__name__

    def _tls_message(self, method, path, exc):
        text = str(exc)
        reason = 'certificate verify failed' if 'CERTIFICATE_VERIFY_FAILED' in text or 'certificate verify failed' in text else 'TLS handshake failed'
        detail = ''
        for marker in ('self-signed certificate', 'self signed certificate', 'unable to get local issuer certificate',
                       'certificate has expired', "doesn't match", 'Hostname mismatch', 'wrong version number'):
            if marker in text:
                detail = ' (%s)' % marker
                break
        return ('%s %s%s: TLS error: %s%s. Set ca_path to a PEM bundle that signs the server certificate, '
                'or validate_certs: false (not recommended).' % (method, self.base_url, path, reason, detail))


def _silence_insecure_warning():
    try:
        import urllib3
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    except (ImportError, AttributeError):  # pragma: no cover
        pass
