# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 6: faults, bad input, secrets. Each test is a row of the scenario table (tests/integration/scenarios.py).

Every playbook runs at -vvvv (or -vvv) and run_playbook checks its whole output for secrets; the `emulator`
fixture checks after each test that nothing tried to write and that no credential travelled in a URL. Tests that
run with ANSIBLE_DISPLAY_TRACEBACK=error make Ansible show the exception behind every failure, so an exception the
collection did not turn into its own message (a traceback for the user) is seen by `foreign_exceptions`.
All traffic stays on 127.0.0.0/8.
"""

from __future__ import annotations

import importlib
import ipaddress
import re
import socket
import sys
import time
from types import SimpleNamespace

import pytest

from harness import REPO_ROOT, SECRETS, Emulator, check_server_untouched, emulator_auth, expected_record
from netsapiens_emulator.config import DEFAULTS as EMULATOR_DEFAULTS
from netsapiens_emulator.process import make_self_signed_cert

scenario = pytest.mark.scenario
SHOW_EXCEPTIONS = {'ANSIBLE_DISPLAY_TRACEBACK': 'error'}
API_KEY_ENV = {'RELIABILITY_API_KEY': emulator_auth.RESELLER_API_KEY}
# An exception line such as "requests.exceptions.InvalidURL: ..." or "ValueError: ..." at the end of a traceback block.
EXCEPTION_LINE = re.compile(r'^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)):', re.MULTILINE)
# A block whose frames pass through the collection or the HTTP libraries it uses: the exception escaped the collection.
COLLECTION_FRAMES = ('ansible_collections/netsapiens/pbx/', '%s/plugins/' % REPO_ROOT, '/requests/', '/urllib3/')
TOKEN_KINDS = ('token', 'token_error')
PROBE_KINDS = ('v2_version', 'v2_disabled')  # GET /ns-api/v2/version on a v2 server, and on a server without v2
NOT_DATA_PATHS = ('/ns-api/oauth2/token', '/ns-api/v2/tokens', '/ns-api/v2/version')
INJECTED_KINDS = ('injected_error', 'injected_reset', 'injected_close', 'injected_truncate')


def foreign_exceptions(text):
    """Exceptions that escaped the collection (not Ansible's own errors), from a traceback shown by ANSIBLE_DISPLAY_TRACEBACK."""
    found = set()
    for block in (text or '').split('Traceback (most recent call last):')[1:]:
        frames = [line for line in block.splitlines() if line.startswith('  File "')]
        if not any(marker in frame for frame in frames for marker in COLLECTION_FRAMES):
            continue
        found.update(name for name in EXCEPTION_LINE.findall(block) if not name.startswith('ansible.'))
    return sorted(found)


def clean_failure(entry, *words):
    """The attempt failed with the collection's (or Ansible's option checking's) own message, holding every word."""
    assert entry.get('failed'), entry
    message = entry.get('msg') or ''
    label = (entry.get('item') or {}).get('label', '')
    assert not foreign_exceptions(entry.get('exception')), (label, message, entry.get('exception'))
    if 'lookup plugin' not in message:
        # Ansible prefixes 'Task failed: ' when an action plugin raised instead of returning its failure.
        assert not message.startswith('Task failed: '), (label, message)
    for word in words:
        assert word in message, (label, word, message)
    return message


def by_label(data):
    return {entry['item']['label']: entry for entry in data['module'] + data['lookup']}


def requests_of(stats, *kinds):
    return [request for request in stats['requests'] if request['kind'] in kinds]


def data_requests(stats):
    """Requests other than token requests and the version probe (injected errors included)."""
    return [request for request in stats['requests'] if request['path'].rstrip('/') not in NOT_DATA_PATHS]


def closed_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def loopback_alias():
    """A host name that /etc/hosts maps to 127.0.0.0/8 only and that the collection does not treat as loopback."""
    try:
        with open('/etc/hosts', encoding='utf-8') as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split('#', 1)[0].split()
        try:
            address = ipaddress.ip_address(fields[0]) if len(fields) > 1 else None
        except ValueError:
            continue
        if address is None or address.version != 4 or not address.is_loopback:
            continue
        for name in fields[1:]:
            if name.lower() in ('localhost', 'localhost.localdomain'):
                continue
            try:
                resolved = {info[4][0] for info in socket.getaddrinfo(name, None, socket.AF_INET)}
            except OSError:
                continue
            if resolved and all(ipaddress.ip_address(found).is_loopback for found in resolved):
                return name
    return None


@pytest.fixture(name='emu')
def emu_fixture(emulator):
    """The shared emulator with every switch at its default (the conftest resets only some), restored afterwards."""
    emulator.configure(**EMULATOR_DEFAULTS)
    yield emulator
    emulator.configure(**EMULATOR_DEFAULTS)


@pytest.fixture(name='truth', scope='module')
def truth_fixture(emulator_process, domains):
    """domain -> user -> stored record (the emulator's ground truth)."""
    return {domain: {str(raw['user']): raw for raw in emulator_process.records(domain)} for domain in domains}


@pytest.fixture(name='core', scope='module')
def core_fixture(collections_path):
    """The collection's core imported in this process, for checks that need no playbook (and may send no traffic)."""
    if not any(type(finder).__name__ == '_AnsibleCollectionFinder' for finder in sys.meta_path):
        from ansible.plugins.loader import init_plugin_loader  # pylint: disable=import-outside-toplevel
        init_plugin_loader([collections_path])
    base = 'ansible_collections.netsapiens.pbx.plugins.module_utils.'
    modules = {name: importlib.import_module(base + '_' + name) for name in ('options', 'http', 'client', 'errors')}

    def client(url, log=None, sleep=None, **options):
        settings = modules['options'].ConnectionSettings.from_options(dict(options, api_url=url))
        return modules['client'].NetSapiensClient(settings, log=log, sleep=sleep or time.sleep)

    return SimpleNamespace(new_client=client, **modules)


# -- faults ---------------------------------------------------------------------------------------------------------

@scenario('429 with Retry-After', 'the lookup waited the advertised Retry-After (measured on the server), logged the retry at -vvv, '
          'then returned the right record')
def test_429_with_retry_after(run_playbook, emu, domains, truth, happened):
    emu.configure(fail_next=[{'status': 429, 'retry_after': 1}])
    result = run_playbook('lookup.yml', {'terms': ['1001@%s' % domains[0]]}, verbosity=3)
    assert result.rc == 0, result
    assert result.artifact('result.json') == [expected_record(truth[domains[0]]['1001'])]
    refused, served = data_requests(emu.stats())
    assert (refused['status'], served['status']) == (429, 200)
    gap = served['time'] - refused['time'] - served['duration_ms'] / 1000.0
    assert 0.95 <= gap < 5, gap
    assert 'answered 429 Too Many Requests; retry 1 of 3 in 1.0s' in result.output
    happened('Retry-After: 1, next request %.1f s later' % gap)


@scenario('Retry-After larger than the cap', 'each wait capped at 30 s (Retry-After: 3600 asked for an hour): 4 requests, 3 waits of '
          '30 s, then a clear 429 error; retries are bounded in count and total time')
def test_retry_after_is_capped(core, emu, domains, happened):
    emu.configure(fail_next=[{'status': 429, 'retry_after': 3600}] * 4)
    waits, logs = [], []
    client = core.new_client(emu.url, api_key=emulator_auth.RESELLER_API_KEY, api_version='v1', retries=3, log=logs.append,
                             sleep=waits.append)
    with pytest.raises(core.errors.NetSapiensApiError) as failure:
        client.read_subscribers(domains[0], ['1001'])
    assert waits == [30.0, 30.0, 30.0]
    assert '429 Too Many Requests' in str(failure.value) and 'Injected fault' in str(failure.value)
    assert [line.split('; ', 1)[1] for line in logs] == ['retry %d of 3 in 30.0s' % attempt for attempt in (1, 2, 3)]
    assert len(data_requests(emu.stats())) == 4
    happened('waits %s s' % ', '.join('%g' % wait for wait in waits))


@scenario('Burst of 500, 502, 503, 504', 'each status retried after its Retry-After with one -vvv line each, then the record arrived '
          '(retries: 4, 5 requests for one read)')
def test_burst_of_5xx_within_retries(run_playbook, emu, domains, truth):
    emu.configure(fail_next=[500, 502, 503, 504], retry_after=0)
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001']}, env={'NETSAPIENS_RETRIES': '4'})
    assert result.rc == 0, result
    assert result.artifact('result.json')['subscribers'] == [expected_record(truth[domains[0]]['1001'])]
    for attempt, status in enumerate(('500 Internal Server Error', '502 Bad Gateway', '503 Service Unavailable', '504 Gateway Timeout'), 1):
        assert 'answered %s; retry %d of 4 in 0.0s' % (status, attempt) in result.output
    stats = emu.stats()
    assert stats['injected_errors'] == 4 and len(data_requests(stats)) == 5


@scenario('Burst of 5xx longer than the retries', 'gave up after retries + 1 requests (retries: 2, 3 requests, 2 s of Retry-After) '
          'with the method, path, status and server words; no traceback')
def test_burst_longer_than_retries(run_playbook, emu, domains, happened):
    emu.configure(fail_next=[503] * 5, retry_after=1)
    started = time.monotonic()
    result = run_playbook('attempts.yml', {'module_attempts': [{'label': 'burst', 'domain': [domains[0]], 'user': ['1001'], 'retries': 2}]},
                          env=SHOW_EXCEPTIONS)
    elapsed = time.monotonic() - started
    message = clean_failure(by_label(result.artifact('result.json'))['burst'], '503 Service Unavailable', 'Injected fault',
                            "Reading subscriber '1001' of domain '%s'" % domains[0], '/users/1001')
    requests = data_requests(emu.stats())
    assert len(requests) == 3 and all(request['status'] == 503 for request in requests)
    assert 1.9 <= requests[-1]['time'] - requests[0]['time'] < 10
    assert 'retry 2 of 2' in result.output and 'retry 3 of' not in result.output
    happened('%d requests, playbook done in %.1f s: "%s..."' % (len(requests), elapsed, message[:60]))


@scenario('5xx without Retry-After', 'exponential backoff with jitter: waits about 0.5, 1 and 2 s, each logged, then a clear error '
          'after 4 requests')
def test_backoff_without_retry_after(core, emu, domains, happened):
    emu.configure(fail_next=[502] * 4, retry_after=None)
    waits, logs = [], []
    client = core.new_client(emu.url, api_key=emulator_auth.RESELLER_API_KEY, api_version='v2', retries=3, log=logs.append,
                             sleep=waits.append)
    with pytest.raises(core.errors.NetSapiensApiError) as failure:
        client.read_subscribers(domains[0], ['1001'])
    assert '502 Bad Gateway' in str(failure.value)
    assert len(waits) == 3 and len(logs) == 3
    for wait, nominal in zip(waits, (0.5, 1.0, 2.0)):
        assert nominal * 0.8 <= wait <= nominal * 1.2, waits
    happened('waits %s s' % ', '.join('%.2f' % wait for wait in waits))


@scenario('Connection refused', 'retried once (retries: 1) with the retry at -vvv, then "connection refused: is the server running at '
          '<url>?"; no traceback')
def test_connection_refused(run_playbook, emu, domains):
    url = 'http://127.0.0.1:%d' % closed_port()
    result = run_playbook('attempts.yml', {'module_attempts': [{'label': 'refused', 'domain': [domains[0]], 'retries': 1}]},
                          env=dict(SHOW_EXCEPTIONS, NETSAPIENS_API_URL=url))
    clean_failure(by_label(result.artifact('result.json'))['refused'], 'connection refused: is the server running at %s?' % url,
                  'failed after 2 attempt(s)')
    assert 'retry 1 of 1' in result.output
    assert emu.stats()['requests_total'] == 0


@scenario('Connection reset mid-response', 'the server sent the headers and half the body, then a TCP reset: retried like any '
          'connection error, then the records arrived (token and data requests alike)')
def test_connection_reset_mid_response(run_playbook, emu, domains, truth):
    emu.configure(fail_next_token=[{'fault': 'reset'}], fail_next=[{'fault': 'reset'}])
    result = run_playbook('attempts.yml', {'module_attempts': [{'label': 'reset', 'domain': [domains[0]], 'user': ['1001']}]},
                          env=SHOW_EXCEPTIONS)
    entry = by_label(result.artifact('result.json'))['reset']
    assert not entry.get('failed'), entry.get('msg')
    assert entry['subscribers'] == [expected_record(truth[domains[0]]['1001'])]
    assert emu.stats()['injected_faults'] == {'reset': 2}
    assert result.output.count('the server closed the connection') == 2


@scenario('Connection closed without an answer', 'the token and the data request were each retried once (-vvv: "the server closed '
          'the connection unexpectedly"), then the record arrived')
def test_connection_closed_without_answer(run_playbook, emu, domains, truth):
    emu.configure(fail_next_token=[{'fault': 'close'}], fail_next=[{'fault': 'close'}])
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001']})
    assert result.rc == 0, result
    assert result.artifact('result.json')['subscribers'] == [expected_record(truth[domains[0]]['1001'])]
    assert emu.stats()['injected_faults'] == {'close': 2}
    assert result.output.count('failed (the server closed the connection unexpectedly); retry 1 of 3') == 2


@scenario('Server slower than timeout', 'timeout: 1 against 1.8 s answers: "no answer within 1 seconds (timeout)" after retries + 1 '
          'attempts (retries: 1); bounded time; no traceback')
def test_server_slower_than_timeout(run_playbook, emu, domains, happened):
    emu.configure(fail_next=[{'fault': 'slow', 'delay_ms': 1800}] * 2)
    started = time.monotonic()
    result = run_playbook('attempts.yml', {'module_attempts': [{'label': 'slow', 'domain': [domains[0]], 'user': ['1001'],
                                                                'timeout': 1, 'retries': 1}]}, env=SHOW_EXCEPTIONS)
    elapsed = time.monotonic() - started
    clean_failure(by_label(result.artifact('result.json'))['slow'], 'no answer within 1 seconds (timeout)', 'failed after 2 attempt(s)')
    assert 'retry 1 of 1' in result.output
    assert emu.stats()['injected_faults'] == {'slow': 2}
    happened('playbook done in %.1f s' % elapsed)


@scenario('Server slow once', 'the read that took longer than timeout was retried and the record arrived')
def test_server_slow_once(run_playbook, emu, domains, truth):
    emu.configure(fail_next=[{'fault': 'slow', 'delay_ms': 1800}])
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001']}, env={'NETSAPIENS_TIMEOUT': '1'})
    assert result.rc == 0, result
    assert result.artifact('result.json')['subscribers'] == [expected_record(truth[domains[0]]['1001'])]
    assert 'no answer within 1 seconds (timeout)); retry 1 of 3' in result.output


NOT_JSON = {
    'HTML error page': ({'status': 200, 'body': '<!DOCTYPE html><html><head><title>Internal Server Error</title></head>'
                                                '<body><h1>Something went wrong</h1></body></html>'}, 'answered with HTML instead of JSON'),
    'truncated JSON': ({'fault': 'truncate'}, 'answered with non-JSON instead of JSON'),
    'XML': ({'status': 200, 'content_type': 'text/xml', 'body': '<?xml version="1.0"?><xml><error>busy</error></xml>'},
            'answered with XML instead of JSON'),
}
_BATCHES = {}


def batch(key, run):
    """Run a playbook of several attempts once and share its result (artifact, stats, output) among the tests that read it."""
    if key not in _BATCHES:
        try:
            _BATCHES[key] = run()
        except AssertionError as exc:
            _BATCHES[key] = exc
    if isinstance(_BATCHES[key], AssertionError):
        raise _BATCHES[key]
    return _BATCHES[key]


def run_attempts(run_playbook, emu, module_attempts=(), lookup_attempts=(), env=None, **switches):
    emu.configure(**switches)
    result = run_playbook('attempts.yml', {'module_attempts': list(module_attempts), 'lookup_attempts': list(lookup_attempts)},
                          env=dict(SHOW_EXCEPTIONS, **(env or {})))
    assert result.rc == 0, result
    return SimpleNamespace(entries=by_label(result.artifact('result.json')), stats=emu.stats(), output=result.output)


@pytest.mark.parametrize('kind', sorted(NOT_JSON))
@scenario('Body that is not JSON: {kind}', 'HTTP 200 with a {kind}: a clear error naming the request and what came back, not retried; '
          'no traceback')
def test_body_that_is_not_json(run_playbook, emu, domains, kind):
    attempts = [{'label': name, 'domain': [domains[0]], 'user': ['1001']} for name in sorted(NOT_JSON)]
    found = batch('not-json', lambda: run_attempts(run_playbook, emu, attempts, fail_next=[NOT_JSON[name][0] for name in sorted(NOT_JSON)]))
    clean_failure(found.entries[kind], NOT_JSON[kind][1], 'GET /ns-api/v2/domains/%s/users/1001' % domains[0])
    assert len(data_requests(found.stats)) == len(NOT_JSON)


@scenario('HTTP 200 without a token', '`{}`, an empty body and an empty access_token each gave "the server answered HTTP 200 without '
          'an access token", naming the login; no traceback')
def test_200_without_a_token(run_playbook, emu, domains):
    bodies = {'empty object': '{}', 'empty body': '', 'empty token': '{"access_token": "", "token_type": "Bearer"}'}
    attempts = [{'label': name, 'domain': [domains[0]], 'user': ['1001']} for name in sorted(bodies)]
    found = run_attempts(run_playbook, emu, attempts,
                         fail_next_token=[{'body': bodies[name], 'content_type': 'application/json'} for name in sorted(bodies)])
    for name in bodies:
        clean_failure(found.entries[name], 'Authentication failed', "logging in as '%s'" % emulator_auth.RESELLER_USER,
                      'answered HTTP 200 without an access token')
    assert data_requests(found.stats) == []


@scenario('Access token expires mid-run', 'the server answered 401 "The access token provided has expired" to the second read: one '
          'refresh grant, the read repeated, both records right')
def test_access_token_expires_mid_run(run_playbook, emu, domains, truth):
    emu.configure(fail_next=[{'fault': 'pass'}, {'fault': 'expire_tokens'}])
    result = run_playbook('lookup.yml', {'terms': ['1001@%s' % domains[0], '1002@%s' % domains[0]]})
    assert result.rc == 0, result
    assert result.artifact('result.json') == [expected_record(truth[domains[0]][user]) for user in ('1001', '1002')]
    stats = emu.stats()
    assert (stats['token_requests']['password'], stats['token_requests']['refresh_token']) == (1, 1)
    assert [request['status'] for request in requests_of(stats, 'auth_error')] == [401]
    assert 'The access token provided has expired; refreshing the access token' in result.output


@scenario('Refresh token already used', 'after the 401 the refresh was refused ("already used"), so one new password grant followed '
          'and the read succeeded')
def test_refresh_token_already_used(run_playbook, emu, domains, truth):
    emu.configure(fail_next=[{'fault': 'pass'}, {'fault': 'expire_tokens', 'use_refresh_tokens': True}])
    result = run_playbook('lookup.yml', {'terms': ['1001@%s' % domains[0], '1002@%s' % domains[0]]})
    assert result.rc == 0, result
    assert result.artifact('result.json') == [expected_record(truth[domains[0]][user]) for user in ('1001', '1002')]
    stats = emu.stats()
    assert (stats['token_requests']['password'], stats['token_requests']['refresh_token']) == (2, 1)
    assert 'refresh failed' in result.output and 'already used refresh token' in result.output
    assert 'requesting a new token with the password grant' in result.output


@scenario('MFA-limited account', 'the module and the lookup both fail before any data request with "requires multi-factor '
          'authentication" and the advice to use api_key')
def test_mfa_limited_account(run_playbook, emu, domains):
    env = {'NETSAPIENS_USERNAME': 'mfa@%s' % domains[0], 'NETSAPIENS_PASSWORD': emulator_auth.MFA_PASSWORD}
    found = run_attempts(run_playbook, emu, [{'label': 'module', 'domain': [domains[0]], 'user': ['1001']}],
                         [{'label': 'lookup', 'terms': ['1001@%s' % domains[0]]}], env=env)
    for label in ('module', 'lookup'):
        clean_failure(found.entries[label], 'requires multi-factor authentication', 'api_key')
    assert data_requests(found.stats) == []


@pytest.fixture(name='tls_server', scope='module')
def tls_server_fixture(tmp_path_factory):
    cert, key = make_self_signed_cert(str(tmp_path_factory.mktemp('tls')))
    with Emulator(domains=1, users_per_domain=5, tls_cert=cert, tls_key=key) as server:
        yield server, cert
        check_server_untouched(server)


@scenario('Self-signed TLS certificate, default settings', 'rejected before any credential was sent: "certificate verify failed '
          '(self-signed certificate)" with the advice to set ca_path; no traceback')
def test_self_signed_rejected(run_playbook, emu, tls_server):
    server, _cert = tls_server
    server.reset()
    found = run_attempts(run_playbook, emu, [{'label': 'tls', 'domain': ['acme.12345.service'], 'user': ['1001']}],
                         env={'NETSAPIENS_API_URL': server.url})
    clean_failure(found.entries['tls'], 'TLS error: certificate verify failed', 'self-signed certificate', 'ca_path')
    assert server.stats()['requests_total'] == 0 and server.stats()['tls_handshake_failures'] >= 1


@scenario('Self-signed TLS certificate with ca_path', 'the certificate was trusted and the record arrived')
def test_self_signed_with_ca_path(run_playbook, tls_server):
    server, cert = tls_server
    result = run_playbook('subscriber_info.yml', {'domains': ['acme.12345.service'], 'users': ['1001']},
                          env={'NETSAPIENS_API_URL': server.url, 'NETSAPIENS_CA_PATH': cert})
    assert result.rc == 0, result
    assert [record['user'] for record in result.artifact('result.json')['subscribers']] == ['1001']
    assert 'is not checked' not in result.output


@scenario('Self-signed TLS certificate with validate_certs: false', 'accepted, with a warning that the certificate is not checked '
          'and the connection can be intercepted')
def test_self_signed_with_validate_certs_false(run_playbook, tls_server):
    server, _cert = tls_server
    result = run_playbook('subscriber_info.yml', {'domains': ['acme.12345.service'], 'users': ['1001']},
                          env={'NETSAPIENS_API_URL': server.url, 'NETSAPIENS_VALIDATE_CERTS': 'false'})
    assert result.rc == 0, result
    assert '[WARNING]: validate_certs is false: the TLS certificate of %s is not checked' % server.url in result.output


@scenario('v2 routes answer an HTML 404 (server before v44)', 'api_version auto probed /ns-api/v2/version once, fell back to v1 and '
          'read the record')
def test_v2_routes_answer_html_404(run_playbook, emu, domains, truth):
    emu.configure(v1_only=True)
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001']})
    assert result.rc == 0, result
    data = result.artifact('result.json')
    assert data['api_version'] == 'v1' and data['subscribers'] == [expected_record(truth[domains[0]]['1001'])]
    assert '/ns-api/v2/version -> 404: the server does not speak API v2' in result.output
    assert len(requests_of(emu.stats(), 'v2_disabled')) == 1


@scenario('v2 routes answer a 200 HTML page (a portal)', 'auto fell back to v1 and worked; api_version: v2 failed with "answered with '
          'HTML instead of JSON" for the password grant and for an API key; no traceback')
def test_v2_routes_answer_html_200(run_playbook, emu, domains, truth):
    attempts = [{'label': 'auto', 'domain': [domains[0]], 'user': ['1001']},
                {'label': 'v2 password', 'domain': [domains[0]], 'user': ['1001'], 'api_version': 'v2'},
                {'label': 'v2 api key', 'domain': [domains[0]], 'user': ['1001'], 'api_version': 'v2', 'api_key_env': 'RELIABILITY_API_KEY'}]
    found = run_attempts(run_playbook, emu, attempts, env=API_KEY_ENV, v2_answers_html=True)
    auto = found.entries['auto']
    assert not auto.get('failed') and auto['api_version'] == 'v1'
    assert auto['subscribers'] == [expected_record(truth[domains[0]]['1001'])]
    clean_failure(found.entries['v2 password'], 'POST /ns-api/v2/tokens answered with HTML instead of JSON (HTTP 200)')
    clean_failure(found.entries['v2 api key'], 'GET /ns-api/v2/domains/%s/users/1001 answered with HTML instead of JSON' % domains[0])


# -- bad input ------------------------------------------------------------------------------------------------------

BAD_OPTIONS = [
    # label, attempt (module unless 'terms'), words the message must hold
    ('no scheme', {'api_url': 'pbx.example.com'}, ["'api_url'", 'https://']),
    ('no scheme, lookup', {'terms': ['1001@D0'], 'options': {'api_url': '127.0.0.1:8080'}}, ["'api_url'", 'https://']),
    ('path', {'api_url': 'URL/portal/'}, ["'api_url'", "path '/portal/'"]),
    ('query', {'api_url': 'URL/?debug=1'}, ["'api_url'", 'query string']),
    ('user info', {'api_url': 'http://admin:pw@127.0.0.1:1'}, ["'api_url'", 'credentials']),
    ('empty domain', {'domain': ['']}, ['domain name is empty']),
    ('blank domain', {'domain': ['   ']}, ['domain name is empty']),
    ('empty domain, lookup', {'terms': ['']}, ['domain name is empty']),
    ('space in domain', {'domain': ['acme 12345.service']}, ['not a valid domain name']),
    ('slash in domain', {'domain': ['D0/../globex.23456.service']}, ['not a valid domain name']),
    ('parameter in domain', {'domain': ['D0&domain=globex.23456.service']}, ['not a valid domain name']),
    ('query in domain, lookup', {'terms': ['1001@D0?domain=x']}, ['not a valid domain name']),
    ('percent in domain', {'domain': ['D0%2Fx']}, ['not a valid domain name']),
    ('no user, lookup', {'terms': ['@D0']}, ["has no user before '@'"]),
    ('empty user', {'user': ['']}, ['user name is empty']),
    ('timeout text', {'timeout': 'soon'}, ["'timeout'", 'int']),
    ('retries text', {'retries': 'many'}, ["'retries'", 'int']),
    ('validate_certs text', {'validate_certs': 'maybe'}, ["'validate_certs'", 'bool']),
    ('include_sensitive text', {'include_sensitive': 'perhaps'}, ["'include_sensitive'", 'bool']),
    ('filters text', {'filters': 'scope'}, ["'filters'", 'dict']),
    ('api_version unknown', {'api_version': 'v3'}, ['api_version', 'v3']),
    ('domain dict', {'domain': {'name': 'D0'}}, ["'domain'"]),
    ('timeout text, lookup', {'terms': ['1001@D0'], 'options': {'timeout': 'soon'}}, ["'timeout'"]),
    ('on_missing unknown, lookup', {'terms': ['1001@D0'], 'options': {'on_missing': 'maybe'}}, ["'on_missing'", 'maybe']),
    ('term not text, lookup', {'terms': [42]}, ['Each term must be a string']),
    ('retries too many', {'retries': 11}, ["'retries'", 'between 0 and 10']),
    ('retries negative', {'retries': -1}, ["'retries'", 'between 0 and 10']),
    ('timeout zero', {'timeout': 0}, ["'timeout'", 'between 1 and 3600']),
    ('no password', {'password': ''}, ['password grant needs', "'password'"]),
    ('no client_id and password', {'client_id': '', 'password': ''}, ["'client_id'", "'password'"]),
    ('token dict without token', {'access_token': {'refresh_token': 'not-a-secret'}}, ["'access_token'", 'dictionary']),
    ('token of wrong type', {'access_token': 42}, ["'access_token'", 'token string or the token dictionary']),
    ('unknown filter field', {'filters': {'no_such_field': 'x'}}, ["'filters'", "unknown subscriber field 'no_such_field'"]),
    ('misspelt filter field', {'filters': {'vmail_enable': 'yes'}}, ["'filters'", "Did you mean 'vmail_enabled'"]),
    ('unknown filter field, lookup', {'terms': ['D0'], 'options': {'filters': {'pin': '1'}}}, ["'filters'", "unknown subscriber field 'pin'"]),
    ('filter value dict', {'filters': {'scope': {'a': 1}}}, ["'filters'", 'not a dictionary']),
]


def bad_option_batch(run_playbook, emu, domains):
    def fill(value):
        if isinstance(value, str):
            return value.replace('URL', emu.url).replace('D0', domains[0])
        if isinstance(value, list):
            return [fill(item) for item in value]
        if isinstance(value, dict):
            return {key: fill(item) for key, item in value.items()}
        return value

    modules, lookups = [], []
    for label, attempt, _words in BAD_OPTIONS:
        attempt = dict(fill(attempt), label=label)
        if 'terms' in attempt:
            lookups.append(attempt)
        else:
            attempt.setdefault('domain', [domains[0]])
            attempt.setdefault('user', ['1001'])
            modules.append(attempt)
    return batch('bad options', lambda: run_attempts(run_playbook, emu, modules, lookups))


def check_bad_options(found, *labels):
    wanted = {label: words for label, _attempt, words in BAD_OPTIONS}
    for label in labels:
        clean_failure(found.entries[label], *wanted[label])
    # No credential was sent and nothing was read for any bad option (a user name is checked after the version probe).
    assert found.stats['token_requests']['total'] == 0 and data_requests(found.stats) == []


@scenario('api_url without a scheme', "module and lookup: \"Option 'api_url' must start with https:// or http://\"; no login, no read")
def test_api_url_without_a_scheme(run_playbook, emu, domains):
    check_bad_options(bad_option_batch(run_playbook, emu, domains), 'no scheme', 'no scheme, lookup')


@scenario('api_url with a path, a query or user info', "\"Option 'api_url' should be the server address without a path ...\" (and "
          'the same for a query string or credentials in the URL); no login, no read')
def test_api_url_with_a_path(run_playbook, emu, domains):
    check_bad_options(bad_option_batch(run_playbook, emu, domains), 'path', 'query', 'user info')


@scenario('Empty or malformed domain, empty user', 'empty, blank, or holding a space, /, &, ?, %: "not a valid domain name" (or "is '
          'empty"); "@domain" without a user; no login, no read')
def test_empty_or_malformed_domain(run_playbook, emu, domains):
    check_bad_options(bad_option_batch(run_playbook, emu, domains), 'empty domain', 'blank domain', 'empty domain, lookup',
                      'space in domain', 'slash in domain', 'parameter in domain', 'query in domain, lookup', 'percent in domain',
                      'no user, lookup', 'empty user')


@scenario('Wrong option types', 'text for timeout, retries, validate_certs, include_sensitive, filters, a dict for domain, an unknown '
          'api_version or on_missing, a term that is not text: each error names the option; no login, no read')
def test_wrong_option_types(run_playbook, emu, domains):
    check_bad_options(bad_option_batch(run_playbook, emu, domains), 'timeout text', 'retries text', 'validate_certs text',
                      'include_sensitive text', 'filters text', 'api_version unknown', 'domain dict', 'timeout text, lookup',
                      'on_missing unknown, lookup', 'term not text, lookup')


@scenario('Options out of range', "retries 11 or -1, timeout 0: \"Option 'retries' must be between 0 and 10\"; no login, no read")
def test_options_out_of_range(run_playbook, emu, domains):
    check_bad_options(bad_option_batch(run_playbook, emu, domains), 'retries too many', 'retries negative', 'timeout zero')


@scenario('Incomplete or conflicting auth options', 'a partial password grant names the missing options; a token dict without '
          'access_token or a token that is not text is refused; no login, no read')
def test_incomplete_auth_options(run_playbook, emu, domains):
    check_bad_options(bad_option_batch(run_playbook, emu, domains), 'no password', 'no client_id and password', 'token dict without token',
                      'token of wrong type')


@scenario('Type names in option errors', "a number given as access_token is reported as an int, not as Ansible's internal "
          "'_AnsibleTaggedInt'")
def test_type_names_in_option_errors(run_playbook, emu, domains):
    message = clean_failure(bad_option_batch(run_playbook, emu, domains).entries['token of wrong type'])
    assert message.endswith(', got int.'), message


@scenario('Unknown filter fields', "\"Option 'filters' names an unknown subscriber field\" with a did-you-mean hint; a dict as a value "
          'is refused; no login, no read')
def test_unknown_filter_fields(run_playbook, emu, domains):
    check_bad_options(bad_option_batch(run_playbook, emu, domains), 'unknown filter field', 'misspelt filter field',
                      'unknown filter field, lookup', 'filter value dict')


@scenario('api_key and the password grant both given; api_url ending in /ns-api/v2/', 'api_key wins as documented (no token request); '
          'the API path is stripped from api_url; both read the record')
def test_auth_precedence_and_api_path(run_playbook, emu, domains, truth):
    attempts = [{'label': 'api path', 'domain': [domains[0]], 'user': ['1001'], 'api_url': emu.url + '/ns-api/v2/'},
                {'label': 'both', 'domain': [domains[0]], 'user': ['1001'], 'api_key_env': 'RELIABILITY_API_KEY'}]
    found = run_attempts(run_playbook, emu, attempts, env=API_KEY_ENV)
    for label in ('api path', 'both'):
        assert found.entries[label]['subscribers'] == [expected_record(truth[domains[0]]['1001'])], label
    assert found.stats['token_requests']['total'] == 1  # the password grant of 'api path' only
    keyed = [request for request in data_requests(found.stats) if request['auth'] == 'api_key']
    assert len(keyed) == 1


@scenario('api_url that is not a URL', 'a port out of range, a port that is not a number, an unclosed IPv6 bracket: an error naming '
          'api_url; no login, no read')
def test_api_url_that_is_not_a_url(run_playbook, emu, domains):
    urls = {'port out of range': 'http://127.0.0.1:99999', 'port not a number': 'http://127.0.0.1:http', 'unclosed IPv6': 'http://[::1'}
    attempts = [{'label': label, 'api_url': url, 'domain': [domains[0]], 'user': ['1001'], 'retries': 0} for label, url in urls.items()]
    found = run_attempts(run_playbook, emu, attempts, [{'label': 'lookup', 'terms': ['1001@%s' % domains[0]],
                                                        'options': {'api_url': urls['unclosed IPv6']}}])
    for label in list(urls) + ['lookup']:
        clean_failure(found.entries[label], "'api_url'")
    assert found.stats['requests_total'] == 0


@scenario('API key with a trailing newline', 'fails with an error naming api_key that does not show the key (or the newline is '
          'stripped and the read works); the key never reaches the output')
def test_api_key_with_a_trailing_newline(run_playbook, emu, domains):
    found = run_attempts(run_playbook, emu, [{'label': 'newline', 'domain': [domains[0]], 'user': ['1001'],
                                              'api_key_env': 'RELIABILITY_API_KEY', 'api_key_suffix': '\n'}], env=API_KEY_ENV)
    entry = found.entries['newline']
    if entry.get('failed'):
        clean_failure(entry, "'api_key'")
    else:
        assert [record['user'] for record in entry['subscribers']] == ['1001']
    assert emulator_auth.RESELLER_API_KEY not in found.output


@scenario('http:// api_url (plain HTTP)', 'unit level, no traffic: a warning that credentials cross the network unencrypted for '
          'http://pbx.example.com, none for https:// or for 127.0.0.1/localhost')
def test_plain_http_warning_unit(core):
    class NoTraffic:  # pylint: disable=too-few-public-methods
        headers = {}

        def request(self, *args, **kwargs):
            raise AssertionError('no request may be sent')

    def warnings_for(url):
        warnings = []
        settings = core.options.ConnectionSettings.from_options({'api_url': url, 'api_key': 'not-a-real-key'})
        core.http.Transport(settings, warn=warnings.append, session=NoTraffic())
        return warnings

    warned = warnings_for('http://pbx.example.com')
    assert len(warned) == 1 and 'uses plain http://: credentials and tokens cross the network unencrypted' in warned[0]
    for url in ('https://pbx.example.com', 'http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080'):
        assert warnings_for(url) == [], url


@scenario('http:// api_url through a loopback alias', 'a host name that /etc/hosts maps to 127.0.0.1: the run warned "uses plain '
          'http://" and read the record (traffic stayed on this machine)')
def test_plain_http_warning_through_loopback_alias(run_playbook, emu, domains, truth, happened):
    alias = loopback_alias()
    if alias is None:
        pytest.skip('no host name in /etc/hosts maps to 127.0.0.0/8 only')
    url = 'http://%s:%d' % (alias, emu.port)
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001']}, env={'NETSAPIENS_API_URL': url})
    assert result.rc == 0, result
    assert result.artifact('result.json')['subscribers'] == [expected_record(truth[domains[0]]['1001'])]
    assert '[WARNING]: api_url %s uses plain http://: credentials and tokens cross the network unencrypted' % url in result.output
    happened('alias %s' % alias)


INJECTION_NAMES = ['1001&domain=globex.23456.service', '1001?domain=globex.23456.service', '1001#domain=globex.23456.service',
                   '1001/../../globex.23456.service/users/1001', '1001%26domain%3Dglobex.23456.service', '1001;domain=globex.23456.service',
                   '1001 OR 1=1', '1001\'"', '1001\\', '1001+1', '1001\u00e9\u4e2d', 'a&b=c', 'sp ace', 'q?x']


@scenario('User names with &, =, #, ?, /, %, spaces, quotes, non-ASCII ({api})', 'the server received exactly each name in the first '
          'domain, through the module and the lookup; "1001&domain=globex..." read nothing of globex; existing odd names found')
def test_user_names_are_not_injected(run_playbook, emu, api, domains, truth):
    emu.configure(v1_only=api == 'v1')
    modules = [{'label': 'module %d' % index, 'domain': [domains[0]], 'user': [name]} for index, name in enumerate(INJECTION_NAMES)]
    lookups = [{'label': 'lookup %d' % index, 'terms': ['%s@%s' % (name, domains[0])], 'options': {'on_missing': 'ignore'}}
               for index, name in enumerate(INJECTION_NAMES)]
    found = run_attempts(run_playbook, emu, modules, lookups)
    existing = {name: [expected_record(truth[domains[0]][name])] if name in truth[domains[0]] else [] for name in INJECTION_NAMES}
    for index, name in enumerate(INJECTION_NAMES):
        assert found.entries['module %d' % index]['subscribers'] == existing[name], name
        assert found.entries['lookup %d' % index]['ansible_facts']['looked_up'] == existing[name], name
    sent = []
    for request in data_requests(found.stats):
        if api == 'v1':
            sent.append((request['decoded_params'].get('user'), request['decoded_params'].get('domain')))
        else:
            domain, _users, user = request['path'][len('/ns-api/v2/domains/'):].split('/', 2)
            sent.append((user, domain))
    if api == 'v2':
        from urllib.parse import unquote  # pylint: disable=import-outside-toplevel
        sent = [(unquote(user), unquote(domain)) for user, domain in sent]
    # Each name arrived intact and in the first domain, once from the module and once from the lookup; nothing else was read.
    assert sorted(sent) == sorted((name, domains[0]) for name in INJECTION_NAMES * 2)


@scenario('User or domain names "." and ".." (API v2)', 'no request for another resource: "." and ".." users are missing without '
          'reading /users/ or the domain, a ".." domain is refused as not a valid domain name')
def test_dot_segment_names(run_playbook, emu, domains):
    attempts = [{'label': 'user .', 'domain': [domains[0]], 'user': ['.'], 'api_version': 'v2'},
                {'label': 'user ..', 'domain': [domains[0]], 'user': ['..'], 'api_version': 'v2'},
                {'label': 'domain ..', 'domain': ['..'], 'user': ['1001'], 'api_version': 'v2'}]
    found = run_attempts(run_playbook, emu, attempts)
    clean_failure(found.entries['domain ..'], 'not a valid domain name')
    for label in ('user .', 'user ..'):
        entry = found.entries[label]
        assert not entry.get('failed') and entry['subscribers'] == [], label
    assert all(re.match(r'^/ns-api/v2/domains/[^/]+/users/[^/]+$', request['path']) for request in data_requests(found.stats)), \
        [request['path'] for request in data_requests(found.stats)]


@scenario('A list of 5,000 user names', 'worked with 4 requests (token, version probe, count, one page): 40 records in the order asked, '
          '4,960 listed as missing')
def test_huge_user_list(run_playbook, emu, domains, truth):
    names = [str(number) for number in range(6000, 1000, -1)]
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': names})
    assert result.rc == 0, result
    data = result.artifact('result.json')
    present = [name for name in names if name in truth[domains[0]]]
    assert data['subscribers'] == [expected_record(truth[domains[0]][name]) for name in present]
    assert len(data['missing']) == len(names) - len(present) and len(present) == 40
    stats = emu.stats()
    assert stats['requests_total'] == 4
    assert (stats['reads']['v2_users_count'], stats['reads']['v2_users_list'], stats['reads']['v2_user']) == (1, 1, 0)


# -- secrets and data -----------------------------------------------------------------------------------------------

def check_request_hygiene(stats, issued):
    """Credentials only in POST bodies and Authorization headers; every other request a read."""
    secrets = set(SECRETS) | set(issued)
    for request in stats['requests']:
        assert not any(secret in request['query'] or secret in request['path'] for secret in secrets), request['path']
        if request['kind'] in TOKEN_KINDS:
            assert request['method'] == 'POST' and request['query'] == '', request
            assert {'password', 'refresh_token'} & set(request['body_params']), request
        elif request['kind'] in PROBE_KINDS:
            assert request['method'] == 'GET'
        else:
            assert request['method'] == 'GET' and request['auth'] in ('bearer', 'api_key'), request
            if request['path'] == '/ns-api/':
                assert request['decoded_params']['action'] in ('read', 'count', 'list'), request
    assert stats['credentials_in_query'] == 0 and stats['write_attempts'] == 0


@scenario('Credentials never in a URL ({api})', 'login, module, domain listing, lookup, a refresh after a 401 and a password grant: '
          'credentials only in POST bodies, tokens and keys only in the Authorization header')
@scenario('Read-only ({api})', 'every request was a GET read (v1 action read/count/list) except the POSTs to the token endpoint; '
          'no write attempt')
def test_credentials_never_in_a_url_and_read_only(run_playbook, emu, api, domains, happened):
    # The login token's 401 brings the task a token of its own (password grant); that token's 401 then brings a refresh.
    emu.configure(v1_only=api == 'v1', fail_next=[{'fault': 'expire_tokens'}, {'fault': 'pass'}, {'fault': 'expire_tokens'}])
    result = run_playbook('every_reader.yml', {'domains': domains})
    assert result.rc == 0, result
    stats = emu.stats()
    assert stats['token_requests']['refresh_token'] >= 1 and stats['token_requests']['password'] >= 2
    check_request_hygiene(stats, emu.issued_tokens())
    if api == 'v2':
        keyed = run_playbook('lookup.yml', {'terms': ['1001@%s' % domains[0], domains[1]]}, auth='api_key')
        assert keyed.rc == 0, keyed
        check_request_hygiene(emu.stats(), emu.issued_tokens())
        assert any(request['auth'] == 'api_key' for request in emu.stats()['requests'])
    happened('%d requests checked' % emu.stats()['requests_total'])


@scenario('pwd_hash and subscriber_pin without include_sensitive', 'a whole domain through the module and the lookup at -vvvv: '
          'neither field in any record nor anywhere in the output (password hashes checked by value)')
def test_password_hash_and_voicemail_pin_never_shown(run_playbook, emu, domains, truth):
    found = run_attempts(run_playbook, emu, [{'label': 'module', 'domain': [domains[0]]}], [{'label': 'lookup', 'terms': [domains[0]]}])
    records = found.entries['module']['subscribers']
    assert len(records) == len(truth[domains[0]]) and found.entries['lookup']['ansible_facts']['looked_up'] == records
    assert not any({'pwd_hash', 'subscriber_pin'} & set(record) for record in records)
    assert 'pwd_hash' not in found.output and 'subscriber_pin' not in found.output
    assert not any(str(raw['pwd_hash']) in found.output for raw in truth[domains[0]].values() if raw.get('pwd_hash'))


@scenario('subscriber_pin with include_sensitive', 'the registered result holds the PINs (equal to the server\'s), the task output '
          'is hidden at -vvvv; pwd_hash is still never returned')
def test_include_sensitive_is_hidden(run_playbook, emu, domains, truth):
    users = ['1001', '1002', '1003']
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': users, 'include_sensitive': True})
    assert result.rc == 0, result
    records = result.artifact('result.json')['subscribers']
    assert [record['subscriber_pin'] for record in records] == [expected_record(truth[domains[0]][user], True)['subscriber_pin']
                                                                for user in users]
    assert not any('pwd_hash' in record for record in records)
    assert 'subscriber_pin' not in result.output and 'pwd_hash' not in result.output
    assert "the output has been hidden due to the fact that 'no_log: true' was specified for this result" in result.output
