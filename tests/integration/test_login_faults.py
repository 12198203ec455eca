# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Login faults: an access token that expires mid-run, a refresh token already used, an account limited by MFA.

Each test is a row of the reliability scenario table (tests/integration/scenarios.py). Every playbook runs at -vvv or -vvvv
and its whole output is checked for secrets; the `emulator` fixture checks after each test that nothing tried to write
and that no credential travelled in a URL. All traffic stays on 127.0.0.0/8.
"""

from __future__ import annotations

import pytest

from harness import clean_failure, data_requests, emulator_auth, expected_record, requests_of, run_attempts

scenario = pytest.mark.scenario


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
