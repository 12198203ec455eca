# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS settings, retries, unreachable and slow servers, MFA accounts, and what each run costs."""

from __future__ import annotations

from harness import emulator_auth


def test_self_signed_certificate_is_rejected_by_default(run_playbook, tls_server):
    server, _cert = tls_server
    result = run_playbook('subscriber_info.yml', {'domains': ['acme.12345.service'], 'users': ['1001']},
                          env={'NETSAPIENS_API_URL': server.url})
    assert result.rc != 0
    assert 'certificate verify failed' in result.output and 'ca_path' in result.output
    assert 'Traceback' not in result.output


def test_ca_path_trusts_the_server(run_playbook, tls_server):
    server, cert = tls_server
    result = run_playbook('subscriber_info.yml', {'domains': ['acme.12345.service'], 'users': ['1001']},
                          env={'NETSAPIENS_API_URL': server.url, 'NETSAPIENS_CA_PATH': cert})
    assert result.rc == 0, result
    assert result.artifact('result.json')['subscribers'][0]['user'] == '1001'


def test_429_and_503_are_retried_after_retry_after(run_playbook, emulator, domains):
    emulator.configure(fail_next=[{'status': 429, 'retry_after': 1}, 503])
    result = run_playbook('lookup.yml', {'terms': ['1001@%s' % domains[0]]}, verbosity=3)
    assert result.rc == 0, result
    assert [record['user'] for record in result.artifact('result.json')] == ['1001']
    assert emulator.stats()['injected_errors'] == 2
    assert 'answered 429 Too Many Requests; retry 1 of 3 in 1.0s' in result.output


def test_retries_are_bounded(run_playbook, emulator, domains):
    emulator.configure(fail_next=[503, 503, 503])
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001']}, env={'NETSAPIENS_RETRIES': '2'})
    assert result.rc != 0
    assert '503' in result.output and 'Traceback' not in result.output
    assert emulator.stats()['injected_errors'] == 3


def test_unreachable_server_is_named(run_playbook, emulator):
    result = run_playbook('subscriber_info.yml', {'domains': ['acme.12345.service']},
                          env={'NETSAPIENS_API_URL': 'http://127.0.0.1:9', 'NETSAPIENS_RETRIES': '0'})
    assert result.rc != 0
    assert 'connection refused' in result.output and 'Traceback' not in result.output


def test_slow_server_times_out(run_playbook, emulator, domains):
    emulator.configure(latency_ms=2500)
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001']},
                          env={'NETSAPIENS_TIMEOUT': '1', 'NETSAPIENS_RETRIES': '0', 'NETSAPIENS_API_VERSION': 'v1'})
    assert result.rc != 0
    assert 'no answer within 1 seconds (timeout)' in result.output


def test_mfa_account_is_told_to_use_an_api_key(run_playbook, emulator, domains):
    env = {'NETSAPIENS_USERNAME': 'mfa@%s' % domains[0], 'NETSAPIENS_PASSWORD': emulator_auth.MFA_PASSWORD}
    result = run_playbook('login_only.yml', env=env)
    assert result.rc != 0
    assert 'multi-factor authentication' in result.output and 'api_key' in result.output


def test_each_run_without_login_costs_one_token(run_playbook, emulator, domains):
    result = run_playbook('two_runs.yml', {'domains': domains})
    assert result.rc == 0, result
    stats = emulator.stats()
    tokens = [(r['kind'], r['status'], r['path']) for r in stats['requests'] if 'token' in r['kind']]
    assert stats['token_requests']['total'] == 3, tokens
    # Three runs, one version probe each.
    assert stats['reads']['v2_version'] == 3
