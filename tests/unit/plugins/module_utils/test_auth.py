# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Grant order, refresh, 401 recovery and token failures, through the session seam."""

from __future__ import annotations

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensAuthError, NetSapiensMfaRequiredError

from .fakes import FakeResponse, make_client, token_body

ONE_USER = [{'user': '1001', 'domain': 'acme'}]
EXPIRED = FakeResponse(401, {'error': 'invalid_token', 'error_description': 'The access token provided has expired'})


def read_one(client):
    return client.read_subscribers('acme', ['1001'])


def test_password_grant_posts_a_form_body_never_a_query_string():
    client, session = make_client([FakeResponse(200, token_body()), FakeResponse(200, ONE_USER)])
    read_one(client)
    call = session.token_calls()[0]
    assert call['method'] == 'POST' and call['path'] == '/ns-api/oauth2/token/'
    assert call['params'] == {}
    assert '?' not in call['url']
    assert call['data']['grant_type'] == 'password' and call['data']['password'] == 'pass-word-value'
    assert session.calls[1]['headers']['Authorization'] == 'Bearer tok-1'
    for read in session.read_calls():
        assert 'pass-word-value' not in str(read['params']) and 'client-secret-value' not in read['url']


def test_one_token_request_for_many_reads():
    answers = [FakeResponse(200, token_body())] + [FakeResponse(200, [{'user': u}]) for u in ('1', '2')]
    client, session = make_client(answers)
    client.read_subscribers('acme', ['1'])
    client.read_subscribers('acme', ['2'])
    assert len(session.token_calls()) == 1


def test_api_key_makes_no_token_request():
    client, session = make_client([FakeResponse(200, ONE_USER)], api_key='nsr_key', client_id=None, client_secret=None,
                                  username=None, password=None)
    assert read_one(client).records[0]['user'] == '1001'
    assert session.token_calls() == []
    assert session.calls[0]['headers']['Authorization'] == 'Bearer nsr_key'


def test_api_key_refused_says_so():
    client, _session = make_client([FakeResponse(401, {'error': 'invalid_token'})], api_key='nsr_key')
    with pytest.raises(NetSapiensAuthError, match='refused the API key'):
        read_one(client)


def test_401_refreshes_once_then_retries():
    answers = [FakeResponse(200, token_body()), EXPIRED, FakeResponse(200, token_body('tok-2', 'ref-2')), FakeResponse(200, ONE_USER)]
    client, session = make_client(answers)
    assert read_one(client).records
    grants = [call['data']['grant_type'] for call in session.token_calls()]
    assert grants == ['password', 'refresh_token']
    assert session.token_calls()[1]['data']['refresh_token'] == 'ref-1'
    assert session.calls[-1]['headers']['Authorization'] == 'Bearer tok-2'


def test_used_refresh_token_falls_back_to_one_password_grant():
    answers = [FakeResponse(200, token_body()), EXPIRED,
               FakeResponse(403, headers={'Warning': '299 - "Invalid refresh token"'}),
               FakeResponse(200, token_body('tok-3')), FakeResponse(200, ONE_USER)]
    client, session = make_client(answers)
    assert read_one(client).records
    assert [call['data']['grant_type'] for call in session.token_calls()] == ['password', 'refresh_token', 'password']


def test_gives_up_after_refresh_and_grant():
    answers = [FakeResponse(200, token_body()), EXPIRED, FakeResponse(200, token_body('tok-2')), EXPIRED,
               FakeResponse(200, token_body('tok-3')), EXPIRED]
    client, _session = make_client(answers)
    with pytest.raises(NetSapiensAuthError, match='The access token provided has expired'):
        read_one(client)


def test_login_module_renews_a_given_dict_before_it_expires():
    token = {'access_token': 'old', 'refresh_token': 'ref-old', 'expires_in': 3600, 'expires_at': 1030, 'api_version': 'v1'}
    client, session = make_client([FakeResponse(200, token_body('new'))], clock=lambda: 1000.0, access_token=token, username=None,
                                  password=None)
    assert client.login()['access_token'] == 'new'
    assert [call['data']['grant_type'] for call in session.token_calls()] == ['refresh_token']
    assert session.token_calls()[0]['data']['refresh_token'] == 'ref-old'


def test_valid_login_dict_needs_no_token_request():
    token = {'access_token': 'given', 'refresh_token': 'r', 'expires_in': 3600, 'expires_at': 99999999999}
    client, session = make_client([FakeResponse(200, ONE_USER)], access_token=token)
    read_one(client)
    assert session.token_calls() == []
    assert session.calls[0]['headers']['Authorization'] == 'Bearer given'


def test_expired_token_string_without_credentials_explains():
    client, _session = make_client([EXPIRED], access_token='stale', client_id=None, client_secret=None, username=None,
                                   password=None)
    with pytest.raises(NetSapiensAuthError) as info:
        read_one(client)
    assert "The access token given in 'access_token' has expired or was revoked" in str(info.value)
    assert 'stale' not in str(info.value)


def test_bad_password_message_has_status_and_warning_but_no_secret():
    answers = [FakeResponse(403, headers={'Warning': '299 - "Authentication failed: invalid username or password"'})]
    client, _session = make_client(answers)
    with pytest.raises(NetSapiensAuthError) as info:
        read_one(client)
    text = str(info.value)
    assert '403 Forbidden' in text
    assert 'Authentication failed: invalid username or password' in text
    assert 'POST /ns-api/oauth2/token/' in text
    assert 'pass-word-value' not in text and 'client-secret-value' not in text


@pytest.mark.parametrize('answer', [FakeResponse(200, {}), FakeResponse(200, text=''), FakeResponse(200, text='<html>oops</html>'),
                                    FakeResponse(200, {'access_token': ''})])
def test_200_without_token_is_a_failure(answer):
    client, _session = make_client([answer])
    with pytest.raises(NetSapiensAuthError, match='without an access token'):
        read_one(client)


def test_mfa_account_recommends_an_api_key():
    body = dict(token_body(), scope='mfa_required', mfa_type='authenticator', mfa_vendor='google')
    client, _session = make_client([FakeResponse(200, body)])
    with pytest.raises(NetSapiensMfaRequiredError) as info:
        read_one(client)
    assert 'multi-factor' in str(info.value) and 'api_key' in str(info.value)


def test_login_returns_the_token_dict():
    now = 5000.0
    client, _session = make_client([FakeResponse(200, token_body(expires_in='7200'))], clock=lambda: now)
    token = client.login()
    assert token == {'access_token': 'tok-1', 'refresh_token': 'ref-1', 'token_type': 'Bearer', 'expires_in': 7200,
                     'expires_at': 12200, 'scope': 'Reseller', 'domain': 'acme', 'user': '1001', 'api_version': 'v1'}


def test_login_with_api_key_is_refused():
    client, _session = make_client([], api_key='nsr_key')
    with pytest.raises(NetSapiensAuthError, match='An API key needs no login'):
        client.login()


# -- a token passed in is shared: its refresh token is never spent by a task (issue 11) --------------------------------

SHARED = {'access_token': 'shared-access-value', 'refresh_token': 'shared-refresh-value', 'expires_in': 3600, 'expires_at': 1030, 'api_version': 'v1'}


def grant_types(session):
    return [call['data']['grant_type'] for call in session.token_calls()]


def test_expired_shared_dict_gets_a_token_of_its_own_with_the_password_grant():
    client, session = make_client([FakeResponse(200, token_body('own')), FakeResponse(200, ONE_USER)], clock=lambda: 2000.0,
                                  access_token=SHARED)
    assert read_one(client).records
    assert grant_types(session) == ['password']
    assert session.read_calls()[0]['headers']['Authorization'] == 'Bearer own'
    assert "the access token given in 'access_token' expires" in ' '.join(client.test_logs)


def test_shared_token_refused_with_401_gets_a_token_of_its_own_with_the_password_grant():
    token = dict(SHARED, expires_at=99999999999)
    client, session = make_client([EXPIRED, FakeResponse(200, token_body('own')), FakeResponse(200, ONE_USER)], access_token=token)
    assert read_one(client).records
    assert grant_types(session) == ['password']
    assert [call['headers']['Authorization'] for call in session.read_calls()] == ['Bearer shared-access-value', 'Bearer own']


def test_own_token_of_a_shared_run_is_refreshed_later():
    """Once the task has a token of its own, that token's refresh token is the task's to spend."""
    answers = [FakeResponse(200, token_body('own', 'ref-own')), FakeResponse(200, ONE_USER), EXPIRED,
               FakeResponse(200, token_body('own-2', 'ref-own-2')), FakeResponse(200, ONE_USER)]
    client, session = make_client(answers, clock=lambda: 2000.0, access_token=SHARED)
    read_one(client)
    read_one(client)
    assert grant_types(session) == ['password', 'refresh_token']
    assert session.token_calls()[1]['data']['refresh_token'] == 'ref-own'


@pytest.mark.parametrize('clock', [2000.0, 1000.0], ids=['expired by expires_at', 'expired by a 401'])
def test_expired_shared_dict_without_password_grant_fails_with_one_clear_message(clock):
    """client_id and client_secret alongside the dict, as the login EXAMPLES used to show, but no username and password."""
    client, session = make_client([EXPIRED], clock=lambda: clock, access_token=SHARED, username=None, password=None)
    with pytest.raises(NetSapiensAuthError) as info:
        read_one(client)
    text = str(info.value)
    assert text.startswith("The access token given in 'access_token' has expired or was revoked: GET /ns-api/ -> 401 Unauthorized: "
                           "The access token provided has expired.")
    assert 'give client_id, client_secret, username and password alongside it' in text
    assert 'run netsapiens.pbx.login again' in text
    assert 'refresh failed' not in text.lower() and 'invalid refresh token' not in text.lower()
    assert session.token_calls() == []
    assert 'shared-access-value' not in text and 'shared-refresh-value' not in text


# -- the recovery budget is per request ---------------------------------------------------------------------------

def test_ten_expiries_in_one_run_are_each_recovered():
    answers = [FakeResponse(200, token_body('tok-0', 'ref-0'))]
    for number in range(1, 11):
        answers += [EXPIRED, FakeResponse(200, token_body('tok-%d' % number, 'ref-%d' % number)), FakeResponse(200, ONE_USER)]
    client, session = make_client(answers)
    for _read in range(10):
        assert read_one(client).records
    assert grant_types(session) == ['password'] + ['refresh_token'] * 10
    assert [call['data'].get('refresh_token') for call in session.token_calls()[1:]] == ['ref-%d' % number for number in range(10)]


def test_server_refusing_every_new_token_gives_up_after_three_attempts_of_the_request():
    answers = [FakeResponse(200, token_body()), EXPIRED, FakeResponse(200, token_body('tok-2', 'ref-2')), EXPIRED,
               FakeResponse(200, token_body('tok-3', 'ref-3')), EXPIRED]
    client, session = make_client(answers)
    with pytest.raises(NetSapiensAuthError) as info:
        read_one(client)
    assert str(info.value) == ('The server refused the credentials again right after issuing a new token (a refresh grant and a '
                               'password grant): GET /ns-api/ -> 401 Unauthorized: The access token provided has expired. Gave up '
                               'after 3 attempts of this request; check that the account may use the API.')
    assert info.value.status == 401
    assert grant_types(session) == ['password', 'refresh_token', 'password'] and len(session.read_calls()) == 3
