# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retries, Retry-After, TLS settings and error text of the transport."""

from __future__ import annotations

import json
import time
from urllib.parse import quote, quote_plus, urlencode

import pytest
from requests import certs, exceptions

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import (
    NetSapiensApiError,
    NetSapiensAuthError,
    NetSapiensConnectionError,
    NetSapiensScopeError,
)
from ansible_collections.netsapiens.pbx.plugins.module_utils._http import retry_after_seconds
from ansible_collections.netsapiens.pbx.plugins.module_utils._version import USER_AGENT

from .fakes import FakeRaw, FakeResponse, make_client, token_body

KEY = {'api_key': 'nsr_key'}
ONE_USER = [{'user': '1001', 'domain': 'acme'}]


def test_retry_after_is_honoured_for_429_and_5xx():
    sleeps = []
    answers = [FakeResponse(429, headers={'Retry-After': '2'}), FakeResponse(503, headers={'Retry-After': '1'}), FakeResponse(200, ONE_USER)]
    client, session = make_client(answers, sleeps=sleeps, **KEY)
    assert client.read_subscribers('acme', ['1001']).records
    assert sleeps == [2.0, 1.0]
    assert len(session.calls) == 3
    assert any('answered 429' in line and 'retry 1 of 2' in line for line in client.test_logs)


def test_retries_are_bounded():
    sleeps = []
    client, session = make_client([FakeResponse(503)] * 3, sleeps=sleeps, **KEY)
    with pytest.raises(NetSapiensApiError, match='503 Service Unavailable'):
        client.read_subscribers('acme', ['1001'])
    assert len(session.calls) == 3 and len(sleeps) == 2


def test_retry_after_is_capped():
    sleeps = []
    client, _session = make_client([FakeResponse(429, headers={'Retry-After': '86400'}), FakeResponse(200, ONE_USER)], sleeps=sleeps, **KEY)
    client.read_subscribers('acme', ['1001'])
    assert sleeps == [30.0]


def test_retry_after_http_date():
    assert retry_after_seconds('Wed, 21 Oct 2015 07:28:00 GMT', now=1445412470.0) == pytest.approx(10.0)
    assert retry_after_seconds('soon') is None
    assert retry_after_seconds(None) is None


def test_connection_errors_are_retried_then_reported_plainly():
    refused = exceptions.ConnectionError('HTTPConnectionPool: Max retries exceeded (Caused by NewConnectionError: [Errno 111] Connection refused)')
    client, session = make_client([refused, refused, refused], **KEY)
    with pytest.raises(NetSapiensConnectionError) as info:
        client.read_subscribers('acme', ['1001'])
    assert 'connection refused' in str(info.value) and 'after 3 attempt(s)' in str(info.value)
    assert len(session.calls) == 3


def test_timeout_is_named():
    client, _session = make_client([exceptions.ReadTimeout('read timed out')] * 3, timeout=7, **KEY)
    with pytest.raises(NetSapiensConnectionError, match='no answer within 7 seconds'):
        client.read_subscribers('acme', ['1001'])


def test_tls_failure_is_explained_and_not_retried():
    error = exceptions.SSLError('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate')
    client, session = make_client([error], **KEY)
    with pytest.raises(NetSapiensConnectionError) as info:
        client.read_subscribers('acme', ['1001'])
    assert 'certificate verify failed (self-signed certificate)' in str(info.value) and 'ca_path' in str(info.value)
    assert len(session.calls) == 1


@pytest.mark.parametrize('options, verify', [({}, True), ({'ca_path': certs.where()}, certs.where()), ({'validate_certs': False}, False)])
def test_verify_is_passed_on_every_request(options, verify):
    options = dict(KEY, **options)
    client, session = make_client([FakeResponse(200, ONE_USER)], **options)
    client.read_subscribers('acme', ['1001'])
    assert session.calls[0]['verify'] == verify


def test_validate_certs_false_warns():
    client, _session = make_client([], validate_certs=False, **KEY)
    assert any('not checked' in line for line in client.test_warnings)


def test_plain_http_warns_except_on_loopback():
    remote, _session = make_client([], api_url='http://pbx.example.com', **KEY)
    local, _session = make_client([], api_url='http://127.0.0.1:9000', **KEY)
    assert any('plain http://' in line for line in remote.test_warnings)
    assert local.test_warnings == []


def test_user_agent_and_timeout():
    client, session = make_client([FakeResponse(200, ONE_USER)], timeout=9, **KEY)
    client.read_subscribers('acme', ['1001'])
    assert session.headers['User-Agent'] == USER_AGENT
    assert session.calls[0]['timeout'] == 9


def test_403_names_scope_and_server_words():
    answers = [FakeResponse(200, {'access_token': 'tok-office', 'scope': 'Office Manager', 'expires_in': 3600}),
               FakeResponse(403, headers={'Warning': '299 - "Insufficient scope to read domain globex"'})]
    client, _session = make_client(answers)
    with pytest.raises(NetSapiensScopeError) as info:
        client.read_subscribers('globex', ['1001'])
    text = str(info.value)
    assert "scope 'Office Manager'" in text and 'Insufficient scope to read domain globex' in text
    assert 'GET /ns-api/ -> 403 Forbidden' in text


def test_html_answer_is_a_clear_error():
    client, _session = make_client([FakeResponse(200, text='<html><body>Login</body></html>')], **KEY)
    with pytest.raises(NetSapiensApiError, match='answered with HTML instead of JSON'):
        client.read_subscribers('acme', ['1001'])


def test_xml_answer_is_a_clear_error():
    client, _session = make_client([FakeResponse(200, text='<xml><subscriber/></xml>')], **KEY)
    with pytest.raises(NetSapiensApiError, match='answered with XML instead of JSON'):
        client.read_subscribers('acme', ['1001'])


# -- issue 11: hostile servers ----------------------------------------------------------------------------------------

HOSTILE_PASSWORD = 'p@ss w&rd+%/='
HOSTILE_SECRET = 'cl/ent&secret+%'


def secret_forms(*secrets):
    forms = set()
    for secret in secrets:
        forms.update([secret, quote(secret), quote(secret, safe=''), quote_plus(secret)])
    return forms


def echo_token_request(status, page):
    """A token endpoint that answers with a page echoing the form body it received."""
    def answer(call):
        return FakeResponse(status, text=page % urlencode(call['data']), headers={'Content-Type': 'text/html'})
    return answer


@pytest.mark.parametrize('status, page', [(400, '<html><body><h1>Bad request</h1><pre>%s</pre></body></html>'),
                                          (200, '<html><body>Welcome back! You sent %s</body></html>'),
                                          (400, 'invalid request: %s')])
def test_token_endpoint_echoing_the_body_shows_no_secret(status, page):
    client, _session = make_client(echo_token_request(status, page), password=HOSTILE_PASSWORD, client_secret=HOSTILE_SECRET)
    with pytest.raises(NetSapiensAuthError) as info:
        client.read_subscribers('acme', ['1001'])
    text = str(info.value)
    assert 'grant_type=password' in text and 'password=********' in text and 'client_secret=********' in text
    for form in secret_forms(HOSTILE_PASSWORD, HOSTILE_SECRET):
        assert form not in text


def test_an_issued_token_echoed_later_is_masked():
    answers = [FakeResponse(200, token_body('tok-issued-123', 'ref-issued-456')),
               FakeResponse(500, {'message': 'backend refused Bearer tok-issued-123 (refresh ref-issued-456)'})]
    client, _session = make_client(answers, retries=0)
    with pytest.raises(NetSapiensApiError) as info:
        client.read_subscribers('acme', ['1001'])
    assert 'backend refused Bearer ******** (refresh ********)' in str(info.value)


@pytest.mark.parametrize('content_type', ['text/html', 'application/json', 'text/plain'])
def test_utf8_without_charset_arrives_intact(content_type):
    record = dict(ONE_USER[0], first_name='Zoë', last_name='García Müller')
    answer = FakeResponse(200, content=json.dumps([record], ensure_ascii=False).encode('utf-8'), headers={'Content-Type': content_type})
    client, _session = make_client([answer], **KEY)
    found = client.read_subscribers('acme', ['1001']).records[0]
    assert (found['first_name'], found['last_name']) == ('Zoë', 'García Müller')


def test_declared_charset_is_honoured():
    answer = FakeResponse(200, content=json.dumps([dict(ONE_USER[0], last_name='Müller')], ensure_ascii=False).encode('iso-8859-1'),
                          headers={'Content-Type': 'application/json; charset=ISO-8859-1'})
    client, _session = make_client([answer], **KEY)
    assert client.read_subscribers('acme', ['1001']).records[0]['last_name'] == 'Müller'


class TricklingRaw(FakeRaw):
    """A body that arrives one byte every `pause` seconds."""

    def __init__(self, content, pause):
        super().__init__(content)
        self.pause = pause

    def read1(self, amount, decode_content=True):
        time.sleep(self.pause)
        return super().read1(1, decode_content)


def test_timeout_bounds_the_whole_body():
    client, session = make_client([FakeResponse(200, ONE_USER * 50)], timeout=1, retries=0, **KEY)
    original = session.request

    def trickle(*args, **kwargs):
        response = original(*args, **kwargs)
        response.raw = TricklingRaw(response.content, 0.1)
        return response
    session.request = trickle
    started = time.monotonic()
    with pytest.raises(NetSapiensConnectionError, match='no answer within 1 seconds'):
        client.read_subscribers('acme', ['1001'])
    assert time.monotonic() - started < 1.5
    assert session.calls[0]['stream'] is True


def test_a_complete_body_returns_the_connection_to_the_pool():
    answer = FakeResponse(200, ONE_USER)
    client, session = make_client([answer], **KEY)
    original = session.request
    handed = []

    def keep(*args, **kwargs):
        handed.append(original(*args, **kwargs))
        return handed[-1]
    session.request = keep
    client.read_subscribers('acme', ['1001'])
    assert handed[0].raw.released


def test_redirect_names_the_target_host_and_why_it_is_not_followed():
    answer = FakeResponse(302, reason='Found', headers={'Location': 'https://other.example:8443/login?token=abc&next=/ns-api/'})
    client, _session = make_client([answer], **KEY)
    with pytest.raises(NetSapiensApiError) as info:
        client.read_subscribers('acme', ['1001'])
    text = str(info.value)
    assert ('GET /ns-api/ -> 302 Found: the server redirects to https://other.example:8443 (redirects are not followed, so '
            "credentials are never sent elsewhere); set api_url to the server's real address") in text
    assert 'token=abc' not in text and '/login' not in text


def test_relative_redirect_names_the_same_host():
    client, _session = make_client([FakeResponse(301, reason='Moved Permanently', headers={'Location': '/portal/'})], **KEY)
    with pytest.raises(NetSapiensApiError, match='redirects to https://pbx.example.com '):
        client.read_subscribers('acme', ['1001'])


@pytest.mark.parametrize('answer', [
    FakeResponse(200, {'code': 500, 'message': 'could not log in with %s' % HOSTILE_PASSWORD}),
    FakeResponse(502, headers={'Warning': '299 - "upstream refused %s"' % quote_plus(HOSTILE_PASSWORD)}),
    FakeResponse(400, {'error': 'invalid_grant', 'error_description': 'bad secret %s' % quote(HOSTILE_SECRET, safe='')}),
])
def test_server_words_in_every_place_are_masked(answer):
    answers = [FakeResponse(200, token_body()), answer]
    client, _session = make_client(answers, retries=0, password=HOSTILE_PASSWORD, client_secret=HOSTILE_SECRET)
    with pytest.raises(NetSapiensApiError) as info:
        client.read_subscribers('acme', ['1001'])
    assert '********' in str(info.value)
    for form in secret_forms(HOSTILE_PASSWORD, HOSTILE_SECRET):
        assert form not in str(info.value)


def test_mfa_answer_words_are_masked():
    body = dict(token_body(), scope='mfa_required', mfa_type='totp for %s' % HOSTILE_PASSWORD)
    client, _session = make_client([FakeResponse(200, body)], password=HOSTILE_PASSWORD)
    with pytest.raises(NetSapiensAuthError) as info:
        client.read_subscribers('acme', ['1001'])
    assert 'multi-factor authentication (totp for ********)' in str(info.value)
