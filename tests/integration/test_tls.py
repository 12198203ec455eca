# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport security: a self-signed certificate (refused, trusted with ca_path, accepted with validate_certs: false)
and the warning for a plain http:// api_url.

Each test is a row of the reliability scenario table (tests/integration/scenarios.py). Every playbook runs at -vvv or -vvvv
and its whole output is checked for secrets; the `emulator` fixture checks after each test that nothing tried to write
and that no credential travelled in a URL. All traffic stays on 127.0.0.0/8.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest

from harness import clean_failure, expected_record, run_attempts

scenario = pytest.mark.scenario


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
