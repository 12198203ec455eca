# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one seam the unit tests mock: the requests.Session the transport sends through."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from requests.structures import CaseInsensitiveDict

from ansible_collections.netsapiens.pbx.plugins.module_utils._client import NetSapiensClient
from ansible_collections.netsapiens.pbx.plugins.module_utils._options import ConnectionSettings

PASSWORD_OPTIONS = {
    'api_url': 'https://pbx.example.com',
    'client_id': 'cid',
    'client_secret': 'client-secret-value',
    'username': '1001@acme',
    'password': 'pass-word-value',
    'api_version': 'v1',
    'retries': 2,
    # One request at a time, so that tests can check the order of requests; tests of parallel reads set it higher.
    'max_concurrency': 1,
}


class FakeRaw:
    """The urllib3 response under a streamed requests response: read1() hands out what has 'arrived'."""

    def __init__(self, content):
        self.content = content
        self.released = False

    def read1(self, amount, decode_content=True):  # pylint: disable=unused-argument
        chunk, self.content = self.content[:amount], self.content[amount:]
        return chunk

    def release_conn(self):
        self.released = True


class FakeResponse:
    def __init__(self, status=200, body=None, headers=None, reason=None, text=None, content=None):
        self.status_code = status
        self.reason = reason or {200: 'OK', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
                                 429: 'Too Many Requests', 503: 'Service Unavailable'}.get(status, 'Status')
        self.headers = CaseInsensitiveDict(headers or {})
        if text is not None:
            self.text = text
        elif body is None:
            self.text = ''
        else:
            self.text = json.dumps(body)
        self.content = content if content is not None else self.text.encode('utf-8')
        self.raw = FakeRaw(self.content)

    def close(self):
        self.raw.content = b''


class FakeSession:
    """Answers requests from a script: a list of FakeResponse (or exceptions), or a function of the request."""

    def __init__(self, script):
        self.script = script
        self.headers = {}
        self.calls = []

    def request(self, method, url, params=None, data=None, json=None, headers=None, timeout=None, verify=None,
                allow_redirects=True, stream=False):
        call = {'method': method, 'path': urlsplit(url).path, 'url': url, 'params': dict(params or {}), 'data': data,
                'json': json, 'headers': dict(headers or {}), 'timeout': timeout, 'verify': verify, 'stream': stream}
        self.calls.append(call)
        answer = self.script(call) if callable(self.script) else self.script.pop(0)
        if isinstance(answer, Exception):
            raise answer
        answer.raw = FakeRaw(answer.content)  # a script may hand out the same answer twice
        return answer

    def token_calls(self):
        return [call for call in self.calls if call['path'].startswith('/ns-api/oauth2/token')]

    def read_calls(self):
        return [call for call in self.calls if call['path'] == '/ns-api/']


def token_body(access='tok-1', refresh='ref-1', expires_in=3600, scope='Reseller'):
    return {'access_token': access, 'refresh_token': refresh, 'expires_in': expires_in, 'token_type': 'Bearer',
            'scope': scope, 'domain': 'acme', 'user': '1001'}


def make_client(script, clock=None, sleeps=None, **overrides):
    options = dict(PASSWORD_OPTIONS)
    options.update(overrides)
    settings = ConnectionSettings.from_options(options)
    session = FakeSession(script)
    logs = []
    warnings = []
    kwargs = {'log': logs.append, 'warn': warnings.append, 'session': session,
              'sleep': (sleeps.append if sleeps is not None else (lambda seconds: None))}
    if clock is not None:
        kwargs['clock'] = clock
    client = NetSapiensClient(settings, **kwargs)
    client.test_logs = logs
    client.test_warnings = warnings
    return client, session
