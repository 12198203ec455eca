# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets: credentials only in POST bodies and the Authorization header, read-only traffic, pwd_hash and
subscriber_pin kept out of records and output.

Each test is a row of the reliability scenario table (tests/integration/scenarios.py). Every playbook runs at -vvv or -vvvv
and its whole output is checked for secrets; the `emulator` fixture checks after each test that nothing tried to write
and that no credential travelled in a URL. All traffic stays on 127.0.0.0/8.
"""

from __future__ import annotations

import pytest

from harness import SECRETS, expected_record, run_attempts

scenario = pytest.mark.scenario


TOKEN_KINDS = ('token', 'token_error')


PROBE_KINDS = ('v2_version', 'v2_disabled')  # GET /ns-api/v2/version on a v2 server, and on a server without v2


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
