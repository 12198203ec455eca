# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 11: token lifetime. A login token shared by many tasks and forks after it expires, and 401 recovery per request.

NetSapiens refresh tokens are single-use: the emulator refuses a spent one, and its request log shows which refresh
token each refresh grant presented, so a test can count the grants per refresh token. Each test is a row of the
scenario table (tests/integration/scenarios.py); every playbook runs at -vvvv and its output is checked for secrets.
"""

from __future__ import annotations

import collections

import pytest

from harness import emulator_auth, expected_record
from netsapiens_emulator.config import DEFAULTS as EMULATOR_DEFAULTS

scenario = pytest.mark.scenario
TOKEN_PATHS = ('/ns-api/oauth2/token', '/ns-api/v2/tokens')
TOKEN_TTL = 2  # seconds: the playbook waits longer than this before it uses the token
SHARED_TOKEN_PLAY = {'wait_seconds': TOKEN_TTL + 1, 'sequential': 5, 'parallel': 10}


@pytest.fixture(name='emu')
def emu_fixture(emulator):
    """The shared emulator with every switch at its default (the conftest resets only some), restored afterwards."""
    emulator.configure(**EMULATOR_DEFAULTS)
    yield emulator
    emulator.configure(**EMULATOR_DEFAULTS)


def token_grants(stats, grant_type):
    return [request for request in stats['requests']
            if request['path'].rstrip('/') in TOKEN_PATHS and request['decoded_params'].get('grant_type') == grant_type]


def refresh_grants_per_token(stats):
    """refresh token -> how many refresh grants presented it (single-use: more than 1 is a bug)."""
    return collections.Counter(request['decoded_params'].get('refresh_token') for request in token_grants(stats, 'refresh_token'))


def run_shared_token_play(run_playbook, emu, domains, **play):
    emu.configure(token_ttl=TOKEN_TTL)
    variables = dict(SHARED_TOKEN_PLAY, domains=domains)
    variables.update(play.pop('variables', {}))
    result = run_playbook('token_lifetime.yml', variables, args=('--forks', '10'), **play)
    assert result.rc == 0, result
    return result, result.artifact('result.json'), emu.stats()


@scenario('Login token shared by 5 tasks and 10 forks after it expired', 'every task got a token of its own with the password '
          'grant (credentials given alongside) and read the right record; no refresh grant, so no single-use refresh token was '
          'spent twice')
def test_expired_login_token_shared_by_tasks_and_forks(run_playbook, emu, domains, happened):
    result, found, stats = run_shared_token_play(run_playbook, emu, domains)
    truth = {str(raw['user']): raw for raw in emu.records(domains[0])}
    assert len(found['sequence']) == 5 and len(found['parallel']) == 10
    for number, task in enumerate(found['sequence'], 1):
        assert not task.get('failed'), task.get('msg')
        assert task['subscribers'] == [expected_record(truth['10%02d' % number])]
    for task in found['parallel']:
        assert not task.get('failed'), task.get('msg')
        assert task['subscribers'] == [expected_record(truth['1001'])]
    assert max(refresh_grants_per_token(stats).values(), default=0) <= 1
    assert stats['token_requests']['refresh_token'] == 0
    assert stats['token_requests']['password'] == 1 + 5 + 10 and stats['token_requests']['total'] == 16
    assert "the access token given in 'access_token' expires; requesting a token of this task's own" in result.output
    happened('%d token requests: 1 login + 15 password grants, 0 refresh grants; at most %d requests in flight'
             % (stats['token_requests']['total'], stats['max_in_flight']))


@scenario('Login token expired, no password grant alongside', "each task failed with one message: the token given in "
          "'access_token' has expired, give the password grant alongside or run netsapiens.pbx.login again; never \"Invalid "
          "refresh token\"; the shared refresh token was not spent")
def test_expired_login_token_without_password_grant(run_playbook, emu, domains, happened):
    # As the login EXAMPLES used to show: client_id and client_secret alongside the token, username and password for the login only.
    env = {'NETSAPIENS_CLIENT_ID': emulator_auth.CLIENT_ID, 'NETSAPIENS_CLIENT_SECRET': emulator_auth.CLIENT_SECRET,
           'LOGIN_USERNAME': emulator_auth.RESELLER_USER, 'LOGIN_PASSWORD': emulator_auth.RESELLER_PASSWORD}
    _result, found, stats = run_shared_token_play(run_playbook, emu, domains, auth='token', env=env,
                                                  variables={'sequential': 3, 'parallel': 0})
    messages = [task.get('msg', '') for task in found['sequence']]
    assert len(messages) == 3
    for task, message in zip(found['sequence'], messages):
        assert task.get('failed') and task.get('status') == 401, task
        assert message.startswith("The access token given in 'access_token' has expired or was revoked: GET "), message
        assert 'The access token provided has expired' in message
        assert 'give client_id, client_secret, username and password alongside it' in message
        assert 'run netsapiens.pbx.login again' in message
        assert 'refresh token' not in message.replace('single-use refresh token is never spent', '')
    assert stats['token_requests']['total'] == 1 and stats['token_requests']['refresh_token'] == 0
    happened('"%s..."' % messages[0][:110])


@scenario('Access token expires ten times in one task', 'each of 10 successive reads got 401 "expired", refreshed the token and '
          'was repeated: the recovery budget is per request, every record of the domain arrived')
def test_ten_expiries_in_one_task(run_playbook, emu, domains, happened):
    # max_page 4: a whole-domain read is a count and a page per 4 users; the first 10 of those requests each meet an expiry.
    emu.configure(max_page=4, fail_next=[{'fault': 'expire_tokens'}, {'fault': 'pass'}] * 10)
    # One request at a time: with several in flight, each meets the expiry and the 401s are not one per injected fault.
    result = run_playbook('lookup.yml', {'terms': [domains[0]]}, env={'NETSAPIENS_MAX_CONCURRENCY': '1'})
    assert result.rc == 0, result
    expected = sorted((expected_record(raw) for raw in emu.records(domains[0])), key=lambda record: record['user'])
    assert sorted(result.artifact('result.json'), key=lambda record: record['user']) == expected
    stats = emu.stats()
    assert [request['status'] for request in stats['requests'] if request['kind'] == 'auth_error'] == [401] * 10
    assert (stats['token_requests']['password'], stats['token_requests']['refresh_token']) == (1, 10)
    assert max(refresh_grants_per_token(stats).values()) == 1
    happened('10 expiries: 1 password grant + 10 refresh grants, %d records' % len(expected))


@scenario('Server refuses every new token', 'a refresh grant and then a password grant were each refused at once (401); the read '
          'gave up after 3 attempts with "refused the credentials again right after issuing a new token"; no traceback')
def test_server_refuses_every_new_token(run_playbook, emu, domains, happened):
    emu.configure(fail_next=[{'fault': 'expire_tokens'}] * 6)
    result = run_playbook('attempts.yml', {'module_attempts': [{'label': 'refused', 'domain': [domains[0]], 'user': ['1001']}]})
    attempt = result.artifact('result.json')['module'][0]
    message = attempt.get('msg', '')
    assert attempt.get('failed') and attempt.get('status') == 401, attempt
    assert message.startswith('The server refused the credentials again right after issuing a new token (a refresh grant and a '
                              'password grant): GET '), message
    assert 'The access token provided has expired. Gave up after 3 attempts of this request' in message
    assert 'Traceback' not in result.output
    stats = emu.stats()
    assert [request['status'] for request in stats['requests'] if request['kind'] == 'auth_error'] == [401] * 3
    assert (stats['token_requests']['password'], stats['token_requests']['refresh_token']) == (2, 1)
    happened('3 data requests, 3 token requests, then "%s..."' % message[:70])
