# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""login + module_defaults reuse, the lookup's term forms and on_missing, and failures seen by users."""

from __future__ import annotations

from harness import SECRETS, emulator_auth, expected_record


def test_one_login_serves_modules_and_lookups(run_playbook, emulator, domains):
    result = run_playbook('login_reuse.yml', {'domains': domains})
    assert result.rc == 0, result
    stats = emulator.stats()
    assert stats['token_requests']['total'] == 1
    assert stats['token_requests']['password'] == 1
    assert stats['credentials_in_query'] == 0
    assert result.artifact('result.json')['three_domains'] > 0


def test_login_output_is_hidden_and_secrets_never_shown(run_playbook, emulator, domains):
    result = run_playbook('login_reuse.yml', {'domains': domains}, verbosity=4)
    assert result.rc == 0, result
    token = result.artifact('result.json')['token']
    for secret in SECRETS + (token['access_token'], token['refresh_token']):
        assert secret not in result.output
    assert "the output has been hidden" in result.output


def test_module_defaults_carry_every_option(run_playbook, emulator, domains):
    env = {'TEST_API_URL': emulator.url, 'TEST_CLIENT_ID': emulator_auth.CLIENT_ID, 'TEST_CLIENT_SECRET': emulator_auth.CLIENT_SECRET,
           'TEST_USERNAME': emulator_auth.RESELLER_USER, 'TEST_PASSWORD': emulator_auth.RESELLER_PASSWORD}
    result = run_playbook('module_defaults_only.yml', {'domains': domains}, auth='none', env=env)
    assert result.rc == 0, result
    assert emulator.stats()['token_requests']['total'] == 1


def test_login_token_fields(run_playbook, emulator):
    result = run_playbook('login_only.yml')
    assert result.rc == 0, result
    token = result.artifact('result.json')
    assert set(token) == {'access_token', 'refresh_token', 'token_type', 'expires_in', 'expires_at', 'scope', 'domain', 'user',
                          'api_version'}
    assert token['scope'] == 'Reseller' and token['expires_in'] == 3600 and token['api_version'] in ('v1', 'v2')


WRONG_PASSWORD_STATUS = {'v1': '403 Forbidden', 'v2': '401 Unauthorized'}


def test_wrong_password_fails_with_status_and_server_words(run_playbook, emulator, api):
    wrong = 'Wr0ng-Passw0rd-Value'
    result = run_playbook('login_only.yml', env={'NETSAPIENS_PASSWORD': wrong}, verbosity=4)
    assert result.rc != 0
    # v1 says why in the Warning header, v2 in its {code, message} body: either way the words reach the user.
    assert WRONG_PASSWORD_STATUS[api] in result.output
    assert 'Authentication failed: invalid username or password' in result.output
    assert 'Traceback' not in result.output
    assert wrong not in result.output


def test_wrong_password_in_a_lookup(run_playbook, emulator, api, domains):
    wrong = 'Wr0ng-Passw0rd-Value'
    result = run_playbook('lookup.yml', {'terms': [domains[0]]}, env={'NETSAPIENS_PASSWORD': wrong}, verbosity=4)
    assert result.rc != 0
    assert WRONG_PASSWORD_STATUS[api] in result.output and 'Traceback' not in result.output
    assert wrong not in result.output


def test_lookup_both_term_forms_in_term_order(run_playbook, emulator, domains):
    terms = ['1002@%s' % domains[0], domains[1], '1001@%s' % domains[0]]
    result = run_playbook('lookup.yml', {'terms': terms})
    assert result.rc == 0, result
    records = result.artifact('result.json')
    truth_first = {str(raw['user']): raw for raw in emulator.records(domains[0])}
    whole = [expected_record(raw) for raw in emulator.records(domains[1])]
    assert records[0] == expected_record(truth_first['1002'])
    assert records[-1] == expected_record(truth_first['1001'])
    assert sorted(records[1:-1], key=lambda r: r['user']) == sorted(whole, key=lambda r: r['user'])
    stats = emulator.stats()
    assert stats['token_requests']['total'] == 1


def test_lookup_on_missing_error(run_playbook, emulator, domains):
    result = run_playbook('lookup.yml', {'terms': ['1001@%s' % domains[0], 'ghost@%s' % domains[0]]})
    assert result.rc != 0
    assert "subscriber 'ghost@%s' does not exist" % domains[0] in result.output
    assert 'Traceback' not in result.output


def test_lookup_on_missing_warn(run_playbook, emulator, domains):
    result = run_playbook('lookup.yml', {'terms': ['1001@%s' % domains[0], 'ghost@%s' % domains[0], 'nope.1.service'],
                                         'on_missing': 'warn'})
    assert result.rc == 0, result
    assert [r['user'] for r in result.artifact('result.json')] == ['1001']
    assert "ghost@%s' does not exist" % domains[0] in result.output
    assert "domain 'nope.1.service' does not exist" in result.output


def test_lookup_on_missing_ignore(run_playbook, emulator, domains):
    result = run_playbook('lookup.yml', {'terms': ['ghost@%s' % domains[0], '1001@%s' % domains[0]], 'on_missing': 'ignore'})
    assert result.rc == 0, result
    assert [r['user'] for r in result.artifact('result.json')] == ['1001']
    assert 'does not exist' not in result.output


def test_lookup_filters(run_playbook, emulator, domains):
    result = run_playbook('lookup.yml', {'terms': [domains[0]], 'filters': {'srv_code': ['system-queue', 'system-aa']}})
    assert result.rc == 0, result
    got = sorted(r['user'] for r in result.artifact('result.json'))
    expected = sorted(str(raw['user']) for raw in emulator.records(domains[0]) if raw.get('srv_code') in ('system-queue', 'system-aa'))
    assert got == expected and got


def test_json_result_output_has_no_secret(run_playbook, emulator, domains):
    # The json stdout callback lives in ansible.posix; ansible-core's own callback prints results as JSON like this.
    # run_playbook checks every output for credentials, issued tokens and password hashes.
    result = run_playbook('login_reuse.yml', {'domains': domains}, env={'ANSIBLE_CALLBACK_RESULT_FORMAT': 'json'})
    assert result.rc == 0, result
    assert '"subscribers": [' in result.stdout and emulator.stats()['token_requests']['total'] == 1
