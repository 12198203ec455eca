# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The v2 reader, v2 tokens, and api_version auto."""

from __future__ import annotations

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensApiError, NetSapiensNotFoundError

from .fakes import FakeResponse, make_client, token_body

KEY = {'api_key': 'nsr_key', 'api_version': 'v2'}


def v2_domain(total):
    users = [{'user': str(2000 + i), 'domain': 'acme', 'ring-no-answer-timeout-seconds': 20, 'name-first-name': 'N%d' % i}
             for i in range(total)]

    def answer(call):
        path = call['path']
        if path.endswith('/users/count'):
            return FakeResponse(200, {'total': total})
        if path.endswith('/users'):
            start, limit = int(call['params']['start']), int(call['params']['limit'])
            return FakeResponse(200, users[start:start + limit])
        return FakeResponse(404, {'code': 404, 'message': 'User not found'})
    return answer


def test_whole_domain_of_1500_costs_two_list_requests():
    client, session = make_client(v2_domain(1500), **KEY)
    batch = client.read_subscribers('acme')
    assert len(batch.records) == 1500
    paths = [(c['path'], c['params'].get('start')) for c in session.calls]
    assert paths == [('/ns-api/v2/domains/acme/users/count', None), ('/ns-api/v2/domains/acme/users', 0),
                     ('/ns-api/v2/domains/acme/users', 999)]
    assert batch.records[0] == {'user': '2000', 'domain': 'acme', 'no_answer_timeout': '20', 'first_name': 'N0'}


def test_duplicates_are_dropped():
    served = [{'user': '1'}, {'user': '2'}, {'user': '2'}, {'user': '3'}]

    def answer(call):
        if call['path'].endswith('/count'):
            return FakeResponse(200, {'total': 3})
        start = int(call['params']['start'])
        return FakeResponse(200, served[start:start + int(call['params']['limit'])])
    client, _session = make_client(answer, **KEY)
    assert sorted(r['user'] for r in client.read_subscribers('acme').records) == ['1', '2', '3']


def test_awkward_names_are_encoded_as_one_path_segment():
    client, session = make_client([FakeResponse(200, {'user': 'a&b=c#d/e f?ë%', 'domain': 'acme'})], **KEY)
    assert client.read_subscribers('acme', ['a&b=c#d/e f?ë%']).records
    assert session.calls[0]['url'].endswith('/ns-api/v2/domains/acme/users/a%26b%3Dc%23d%2Fe%20f%3F%C3%AB%25')


def test_user_404_is_missing_but_domain_404_is_an_error():
    client, _session = make_client([FakeResponse(404, {'code': 404, 'message': 'User not found'})], **KEY)
    assert client.read_subscribers('acme', ['9']).missing == ['9']
    client, _session = make_client([FakeResponse(404, {'code': 404, 'message': 'Domain nope does not exist'})], **KEY)
    with pytest.raises(NetSapiensNotFoundError, match='Domain nope does not exist'):
        client.read_subscribers('nope', ['9'])


def test_forced_v2_on_a_v1_server_says_so():
    client, _session = make_client([FakeResponse(404, text='<html><body>No Route Found [92]</body></html>')], **KEY)
    with pytest.raises(NetSapiensApiError, match='does not seem to speak API v2'):
        client.read_subscribers('acme', ['1001'])


def test_v2_403_message_is_surfaced():
    client, _session = make_client([FakeResponse(403, {'code': 403, 'message': 'Domain not found or access denied'})], **KEY)
    with pytest.raises(NetSapiensApiError, match='Domain not found or access denied'):
        client.read_subscribers('other', ['1'])


def test_v2_tokens_use_a_json_body():
    answers = [FakeResponse(200, token_body()), FakeResponse(200, {'user': '1', 'domain': 'acme'})]
    client, session = make_client(answers, api_version='v2')
    client.read_subscribers('acme', ['1'])
    call = session.calls[0]
    assert call['path'] == '/ns-api/v2/tokens' and call['json']['grant_type'] == 'password' and call['data'] is None
    assert call['params'] == {}


def test_v2_token_endpoint_falls_back_to_v1():
    answers = [FakeResponse(404, {'code': 404, 'message': 'no'}), FakeResponse(200, token_body()), FakeResponse(200, {'user': '1'})]
    client, session = make_client(answers, api_version='v2')
    client.read_subscribers('acme', ['1'])
    assert [c['path'] for c in session.calls[:2]] == ['/ns-api/v2/tokens', '/ns-api/oauth2/token/']


@pytest.mark.parametrize('answer, version', [
    (FakeResponse(200, {'apiversion': 'Version: 44.2.1'}), 'v2'),
    (FakeResponse(404, text='<html>No Route Found [92]</html>'), 'v1'),
    (FakeResponse(404, {'code': 404}), 'v1'),
    (FakeResponse(200, text='<html>portal</html>'), 'v1'),
    (FakeResponse(401, {'code': 401, 'message': 'auth'}), 'v2'),
])
def test_auto_probes_once_without_credentials(answer, version):
    client, session = make_client([answer], api_version='auto', api_key='nsr_key')
    assert client.choose_version() == version
    assert client.choose_version() == version and client.api_version == version
    assert len(session.calls) == 1
    assert session.calls[0]['path'] == '/ns-api/v2/version' and 'Authorization' not in session.calls[0]['headers']


def test_login_token_version_skips_the_probe():
    token = {'access_token': 'a', 'refresh_token': 'r', 'expires_at': 99999999999, 'expires_in': 3600, 'api_version': 'v2'}
    client, session = make_client([], api_version='auto', access_token=token)
    assert client.choose_version() == 'v2'
    assert session.calls == []
