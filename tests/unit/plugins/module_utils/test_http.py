# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retries, Retry-After, TLS settings and error text of the transport."""

from __future__ import annotations

import pytest
from requests import exceptions

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import (
    NetSapiensApiError,
    NetSapiensConnectionError,
    NetSapiensScopeError,
)
from ansible_collections.netsapiens.pbx.plugins.module_utils._http import retry_after_seconds
from ansible_collections.netsapiens.pbx.plugins.module_utils._version import USER_AGENT

from .fakes import FakeResponse, make_client

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


@pytest.mark.parametrize('options, verify', [({}, True), ({'ca_path': '/tmp/ca.pem'}, '/tmp/ca.pem'), ({'validate_certs': False}, False)])
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
    answers = [FakeResponse(200, {'access_token': 't', 'scope': 'Office Manager', 'expires_in': 3600}),
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
