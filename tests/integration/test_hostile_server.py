# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 11: a hostile or misconfigured server. Each test is a row of the scenario table (tests/integration/scenarios.py).

Servers that echo credentials, trickle their answers, send UTF-8 without a charset or redirect elsewhere, and
api_url / ca_path values that are wrong. Every playbook runs at -vvv or -vvvv and run_playbook checks its whole
output for the emulator's secrets; these tests also look for every written form of their own test secrets.
"""

from __future__ import annotations

import base64
import importlib
import sys
import threading
import time
from urllib.parse import quote, quote_plus

import pytest

from harness import REPO_ROOT, emulator_auth
from netsapiens_emulator.config import DEFAULTS as EMULATOR_DEFAULTS
from netsapiens_emulator.process import Emulator, make_self_signed_cert

scenario = pytest.mark.scenario
SHOW_EXCEPTIONS = {'ANSIBLE_DISPLAY_TRACEBACK': 'error'}
HOSTILE_PASSWORD = 'p@ss w&rd+%/='
HOSTILE_SECRET = 'cl/ent&secret+%=x'
MASK = '********'
# Frames of a traceback that passed through the collection or its HTTP libraries: an exception escaped the collection.
COLLECTION_FRAMES = ('ansible_collections/netsapiens/pbx/', '%s/plugins/' % REPO_ROOT, '/requests/', '/urllib3/')


def written_forms(secret):
    return {secret, quote(secret), quote(secret, safe=''), quote_plus(secret), secret.replace('&', '&amp;')}


def attempts(run_playbook, module_attempts, env=None, verbosity=4, show_exceptions=True):
    """Run hostile.yml; the result of each attempt by label, and the whole output.

    show_exceptions makes Ansible attach the exception behind every failure, so one that escaped the collection is seen.
    """
    environment = dict(SHOW_EXCEPTIONS if show_exceptions else {}, **(env or {}))
    result = run_playbook('hostile.yml', {'module_attempts': module_attempts}, env=environment, verbosity=verbosity)
    assert result.rc == 0, result
    return {entry['item']['label']: entry for entry in result.artifact('result.json')['module']}, result.output


def failure(entry, *words):
    """The attempt failed with the collection's own message (no exception escaped it), holding every word."""
    assert entry.get('failed'), entry
    message = entry.get('msg') or ''
    exception = entry.get('exception') or ''
    assert not any(frame in exception for frame in COLLECTION_FRAMES), exception
    for word in words:
        assert word in message, (word, message)
    return message


@pytest.fixture(name='emu')
def emu_fixture(emulator):
    """The shared emulator with every switch at its default, restored afterwards."""
    emulator.configure(**EMULATOR_DEFAULTS)
    yield emulator
    emulator.configure(**EMULATOR_DEFAULTS)


@pytest.fixture(name='core', scope='module')
def core_fixture(collections_path):
    """The collection's client in this process, to time a request precisely."""
    if not any(type(finder).__name__ == '_AnsibleCollectionFinder' for finder in sys.meta_path):
        from ansible.plugins.loader import init_plugin_loader  # pylint: disable=import-outside-toplevel
        init_plugin_loader([collections_path])
    base = 'ansible_collections.netsapiens.pbx.plugins.module_utils.'
    options, client, errors = (importlib.import_module(base + name) for name in ('_options', '_client', '_errors'))

    def new_client(url, **given):
        return client.NetSapiensClient(options.ConnectionSettings.from_options(dict(given, api_url=url)))
    return new_client, errors


# -- 1. secrets echoed by the token endpoint ---------------------------------------------------------------------------

@pytest.mark.parametrize('echo', ['html_400', 'html_200', 'text_400', 'text_200'])
@scenario('Token endpoint echoes the request body ({echo})', 'v1 form body and v2 JSON body: the password, client secret and '
          'user/password pair were masked (********) in raw, URL-encoded, form-encoded, JSON and HTML form; the message still '
          'shows the rest of the page')
def test_token_endpoint_echoing_the_body(run_playbook, emu, domains, echo, happened):
    emu.configure(token_echo=echo)
    env = {'NETSAPIENS_PASSWORD': HOSTILE_PASSWORD, 'NETSAPIENS_CLIENT_SECRET': HOSTILE_SECRET}
    module_attempts = [{'label': version, 'api_version': version, 'domain': domains[0], 'user': ['1001']} for version in ('v1', 'v2')]
    found, output = attempts(run_playbook, module_attempts, env=env)
    message = failure(found['v1'], 'Authentication failed', 'grant_type=password', 'password=%s' % MASK, 'client_secret=%s' % MASK)
    failure(found['v2'], 'Authentication failed', 'POST /ns-api/v2/tokens', 'password', MASK)
    pair = base64.b64encode(('%s:%s' % (emulator_auth.RESELLER_USER, HOSTILE_PASSWORD)).encode()).decode()
    for form in written_forms(HOSTILE_PASSWORD) | written_forms(HOSTILE_SECRET) | {pair}:
        assert form not in output, 'a form of a test secret reached the output: %r' % form
    happened('"%s..."' % message[message.index('grant_type'):][:90])


# -- 2. api_url with user-info or a query string ----------------------------------------------------------------------

BAD_URLS = {
    'user-info and a bad port': ('https://admin:S3cret@pbx.example.com:99999', 'must not carry credentials', 'S3cret'),
    'query without a scheme': ('pbx.example.com/?apikey=nsr_Hostile0123', "must start with https:// or http://, got "
                                                                          "'pbx.example.com/'", 'nsr_Hostile0123'),
    'query with a token': ('https://pbx.example.com/x?token=abcHostile42', 'must not have a query string', 'abcHostile42'),
}


@scenario('api_url with user-info or a query string', 'each error says what is wrong with api_url without its password, '
          'key or token (user-info, query string and fragment are never shown); no request was sent')
def test_api_url_errors_hide_secrets(run_playbook, emu, domains, happened):
    env = {'HOSTILE_URL_%d' % number: BAD_URLS[name][0] for number, name in enumerate(sorted(BAD_URLS))}
    module_attempts = [{'label': name, 'api_url_env': 'HOSTILE_URL_%d' % number, 'domain': domains[0]}
                       for number, name in enumerate(sorted(BAD_URLS))]
    found, output = attempts(run_playbook, module_attempts, env=env)
    for name, (_url, words, secret) in BAD_URLS.items():
        failure(found[name], "Option 'api_url'", words)
        assert secret not in output, name
    assert emu.stats()['requests_total'] == 0
    happened('"%s"' % found['user-info and a bad port']['msg'][:80])


# -- 3. a server that trickles its answer ------------------------------------------------------------------------------

@scenario('Server trickles its answer (1 byte every 0.5 s)', 'timeout bounds the whole request, body included: cut off near '
          'timeout with "no answer within N seconds (timeout)", no traceback')
def test_trickling_server_is_cut_off(run_playbook, core, emu, domains, happened):
    new_client, errors = core
    emu.configure(fail_next=[{'fault': 'trickle', 'delay_ms': 500}])
    client = new_client(emu.url, api_key=emulator_auth.RESELLER_API_KEY, api_version='v2', timeout=2, retries=0)
    outcome = {}

    def read():
        try:
            client.read_subscribers(domains[0], ['1001'])
        except errors.NetSapiensError as exc:
            outcome['error'] = exc
        outcome['elapsed'] = time.monotonic() - started
    # In a thread: a read that is not cut off would hold the test for the whole body (minutes).
    reader = threading.Thread(target=read, daemon=True)
    started = time.monotonic()
    reader.start()
    reader.join(2 + 2)
    assert not reader.is_alive(), 'the trickling answer was not cut off within timeout + 2 s'
    assert isinstance(outcome.get('error'), errors.NetSapiensConnectionError), outcome
    assert 'no answer within 2 seconds (timeout)' in str(outcome['error'])
    emu.configure(fail_next=[{'fault': 'trickle', 'delay_ms': 500}] * 2)
    playbook_started = time.monotonic()
    found, _output = attempts(run_playbook, [{'label': 'trickle', 'domain': domains[0], 'user': ['1001'], 'timeout': 2,
                                              'retries': 1}], verbosity=3)
    playbook = time.monotonic() - playbook_started
    failure(found['trickle'], 'no answer within 2 seconds (timeout)', 'failed after 2 attempt(s)')
    assert emu.stats()['injected_faults'] == {'trickle': 3}
    happened('timeout 2: in-process read cut off after %.2f s; playbook (2 attempts) done in %.1f s' % (outcome['elapsed'], playbook))


# -- 4. UTF-8 without a charset ----------------------------------------------------------------------------------------

@pytest.mark.parametrize('content_type', ['application/json', 'text/html'])
@scenario('UTF-8 JSON labelled {content_type} without charset', "'Zoë Müller' arrived intact through API v1 and v2 "
          '(decoded as UTF-8, not ISO-8859-1)')
def test_utf8_without_charset(run_playbook, emu, domains, content_type):
    emu.configure(utf8_json_as=content_type)
    module_attempts = [{'label': version, 'api_version': version, 'domain': domains[0], 'user': ['zo\u00eb']} for version in ('v1', 'v2')]
    found, _output = attempts(run_playbook, module_attempts, verbosity=3)
    for version in ('v1', 'v2'):
        entry = found[version]
        assert not entry.get('failed'), entry.get('msg')
        record = entry['subscribers'][0]
        assert (record['user'], record['first_name'], record['last_name']) == ('zo\u00eb', 'Zo\u00eb', 'M\u00fcller'), version


# -- 5. ca_path that cannot be used ------------------------------------------------------------------------------------

@pytest.fixture(name='tls_url', scope='module')
def tls_url_fixture(tmp_path_factory):
    cert, key = make_self_signed_cert(str(tmp_path_factory.mktemp('tls')))
    with Emulator(domains=1, users_per_domain=5, tls_cert=cert, tls_key=key) as server:
        yield server


@scenario('ca_path missing, a directory or not PEM', "\"Option 'ca_path' ...\" naming the problem, checked before any "
          'request; not "TLS handshake failed", no traceback at -vvv')
def test_unusable_ca_path(run_playbook, emu, tls_url, tmp_path, happened):
    not_pem = tmp_path / 'ca.der'
    not_pem.write_bytes(b'0\x82\x03\x1f0\x82\x02\x07\xa0\x03\x02\x01\x02 not a PEM bundle')
    paths = {'missing': (str(tmp_path / 'missing.pem'), 'does not exist'), 'directory': (str(tmp_path), 'is a directory'),
             'not PEM': (str(not_pem), 'holds no PEM certificate')}
    module_attempts = [{'label': name, 'ca_path': path, 'domain': 'acme.12345.service', 'user': ['1001']}
                       for name, (path, _words) in paths.items()]
    tls_url.reset()
    found, output = attempts(run_playbook, module_attempts, env={'NETSAPIENS_API_URL': tls_url.url}, verbosity=3,
                             show_exceptions=False)
    for name, (_path, words) in paths.items():
        message = failure(found[name], words)
        assert message.startswith("Option 'ca_path' "), message
    assert 'TLS handshake failed' not in output and 'Traceback' not in output
    assert tls_url.stats()['requests_total'] == 0 and tls_url.stats()['tls_handshake_failures'] == 0
    happened('"%s"' % found['not PEM']['msg'].replace(paths['not PEM'][0], '.../ca.der'))


# -- 6. redirects ------------------------------------------------------------------------------------------------------

@scenario('Server redirects elsewhere (302)', 'the token request and an API-key read each failed with the target host (not its '
          'path or query) and why redirects are not followed; nothing was sent to the other host')
def test_redirect_is_explained(run_playbook, emu, domains, happened):
    emu.configure(redirect_to='https://other.example/landing')
    module_attempts = [{'label': 'password grant', 'domain': domains[0], 'user': ['1001']},
                       {'label': 'api key', 'api_key_env': 'HOSTILE_API_KEY', 'domain': domains[0], 'user': ['1001']}]
    found, _output = attempts(run_playbook, module_attempts, env={'HOSTILE_API_KEY': emulator_auth.RESELLER_API_KEY})
    why = ('302 Found: the server redirects to https://other.example (redirects are not followed, so credentials are never '
           "sent elsewhere); set api_url to the server's real address")
    failure(found['password grant'], 'POST /ns-api/oauth2/token/ -> ' + why)
    message = failure(found['api key'], 'GET /ns-api/ -> ' + why)
    for entry in found.values():
        assert '/landing' not in entry['msg']
    assert {request['status'] for request in emu.stats()['requests']} == {302}
    happened('"%s"' % message[message.index('GET'):])
