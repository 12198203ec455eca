# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dial policies: v1 and v2 objects make the same records, one per permission row; which requests each version makes;
shared policies the credentials may not read; lists read in one request."""

from __future__ import annotations

import base64
from urllib.parse import unquote

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._dialpolicies import read_dialpolicies, with_match
from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensApiError, NetSapiensScopeError
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects import OBJECTS
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.dialpolicy import DIALPOLICY, PERMISSION
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import normalise_v1, normalise_v2

from .fakes import FakeResponse, make_client

KEY = {'api_key': 'nsr_key'}

# name -> (owner domain, description, [(match, mode, reason)]): two policies of acme, one of globex, two shared.
POLICIES = {
    'No Emergency': ('acme', 'Blocks 911', [('911', 'deny', 'Emergency blocked'), ('*', 'permit', 'Everything else')]),
    'Draft': ('acme', 'No rows yet', []),
    'Globex Only': ('globex', 'Another domain', [('*', 'deny', '')]),
    'US and Canada': ('*', 'Calls within the US and Canada', [('911', 'permit', 'Emergency'), ('933', 'permit', 'Test'),
                                                              ('011*', 'deny', 'International')]),
    'Permit All': ('*', 'Everything', [('911', 'permit', 'Emergency'), ('*', 'permit', 'Everything')]),
}


def v1_policy(name):
    owner, description, _rows = POLICIES[name]
    return {'dialpolicy_id': 'ignore', 'dialpolicy': name, 'domain': owner, 'policy_description': description}


def v1_rows(name):
    owner, _description, rows = POLICIES[name]
    return [{'dialpolicy': name, 'domain': owner, 'dial_match': match, 'mode': mode, 'reason': reason}
            for match, mode, reason in rows]


def v2_policy(name):
    owner, description, _rows = POLICIES[name]
    return {'dialpolicy': name, 'domain': owner, 'description': description}


def v2_rows(name):
    owner, _description, rows = POLICIES[name]
    return [{'dialpolicy': name, 'domain': owner, 'permission-match': match, 'permission-mode': mode, 'permission-reason': reason,
             'created-datetime': '2024-01-02 03:04:05', 'permission-id': base64.b64encode(match.encode()).decode()}
            for match, mode, reason in rows]


def expected(domain):
    """The records of a domain: its own policies, then the shared ones, by name; rows numbered in server order."""
    names = sorted(name for name in POLICIES if POLICIES[name][0] == domain) + sorted(n for n in POLICIES if POLICIES[n][0] == '*')
    records = []
    for name in names:
        owner, description, rows = POLICIES[name]
        policy = {'domain': owner, 'dialpolicy': name, 'policy_description': description}
        if not rows:
            records.append(dict(policy, order='', dial_match='', mode='', reason=''))
        for order, (match, mode, reason) in enumerate(rows, 1):
            records.append(dict(policy, order=str(order), dial_match=match, mode=mode, reason=reason))
    return records


def v1_server(refuse_shared=False):
    """object=dialpolicy lists a domain's policies and the shared ones; object=permission needs domain and dialpolicy."""
    def answer(call):
        params = call['params']
        if params['object'] == 'dialpolicy':
            return FakeResponse(200, [v1_policy(n) for n in POLICIES if POLICIES[n][0] in (params['domain'], '*')])
        assert params['object'] == 'permission' and params['action'] == 'read'
        name = params['dialpolicy']
        if params['domain'] != POLICIES[name][0]:
            return FakeResponse(200, [])
        if refuse_shared and params['domain'] == '*':
            return FakeResponse(403, headers={'Warning': '299 - "Insufficient scope"'})
        return FakeResponse(200, v1_rows(name))
    return answer


def v2_server(refuse_system=False):
    """/domains/{d}/dialpolicy lists the domain's own, /dialpolicy every policy; rows below each."""
    def answer(call):
        parts = call['path'][len('/ns-api/v2/'):].split('/')
        if parts[0] == 'domains':
            domain, parts = parts[1], parts[2:]
        elif refuse_system:
            return FakeResponse(403, {'code': 403, 'message': 'Forbidden'})
        else:
            domain = None
        if parts == ['dialpolicy']:
            return FakeResponse(200, [v2_policy(n) for n in POLICIES if domain in (None, POLICIES[n][0])])
        assert parts[0] == 'dialpolicy' and parts[2] == 'permission' and len(parts) == 3, parts
        name = unquote(parts[1])
        if POLICIES[name][0] != (domain or '*'):
            return FakeResponse(404, {'code': 404, 'message': 'Dialpolicy not found'})
        return FakeResponse(200, v2_rows(name))
    return answer


def test_v1_and_v2_policies_and_rows_normalise_alike():
    policy = {'domain': '*', 'dialpolicy': 'US and Canada', 'policy_description': 'Calls within the US and Canada'}
    assert normalise_v1(DIALPOLICY, v1_policy('US and Canada')) == policy == normalise_v2(DIALPOLICY, v2_policy('US and Canada'))
    row = {'dialpolicy': 'US and Canada', 'domain': '*', 'dial_match': '911', 'mode': 'permit', 'reason': 'Emergency'}
    assert normalise_v1(PERMISSION, v1_rows('US and Canada')[0]) == row == normalise_v2(PERMISSION, v2_rows('US and Canada')[0])
    assert OBJECTS['dialpolicy'] is DIALPOLICY


@pytest.mark.parametrize('version, server', [('v1', v1_server()), ('v2', v2_server())])
def test_both_versions_give_one_record_per_permission_row(version, server):
    client, _session = make_client(server, api_version=version, **KEY)
    acme, globex = read_dialpolicies(client, ['acme', 'globex'])
    assert acme.records == expected('acme') and acme.missing == []
    assert globex.records == expected('globex')
    # The policy without rows shows once; other domains' policies never show.
    assert [r['order'] for r in acme.records if r['dialpolicy'] == 'Draft'] == ['']
    assert not any(record['dialpolicy'] == 'Globex Only' for record in acme.records)


def test_v1_requests_name_the_policy_and_its_domain_and_read_a_shared_policy_once():
    client, session = make_client(v1_server(), api_version='v1', **KEY)
    read_dialpolicies(client, ['acme', 'globex'])
    calls = [call['params'] for call in session.read_calls()]
    lists = [(p['domain']) for p in calls if p['object'] == 'dialpolicy']
    rows = sorted((p['domain'], p['dialpolicy']) for p in calls if p['object'] == 'permission')
    assert sorted(lists) == ['acme', 'globex']
    assert rows == [('*', 'Permit All'), ('*', 'US and Canada'), ('acme', 'Draft'), ('acme', 'No Emergency'),
                    ('globex', 'Globex Only')]
    assert not any(p['action'] == 'count' for p in calls)


def test_v2_reads_the_system_list_once_and_shared_rows_at_the_system_path():
    client, session = make_client(v2_server(), api_version='v2', **KEY)
    read_dialpolicies(client, ['acme', 'globex'])
    paths = sorted(call['path'][len('/ns-api/v2/'):] for call in session.calls)
    assert paths == ['dialpolicy', 'dialpolicy/Permit%20All/permission', 'dialpolicy/US%20and%20Canada/permission',
                     'domains/acme/dialpolicy', 'domains/acme/dialpolicy/Draft/permission',
                     'domains/acme/dialpolicy/No%20Emergency/permission', 'domains/globex/dialpolicy',
                     'domains/globex/dialpolicy/Globex%20Only/permission']


@pytest.mark.parametrize('version, server', [('v1', v1_server(refuse_shared=True)), ('v2', v2_server(refuse_system=True))])
def test_shared_policies_the_credentials_may_not_read_are_left_out(version, server):
    client, _session = make_client(server, api_version=version, **KEY)
    records = read_dialpolicies(client, ['acme'])[0].records
    assert records == [record for record in expected('acme') if record['domain'] == 'acme']
    assert any('left out' in line and '403' in line for line in client.test_logs)


def test_a_refused_read_of_the_domains_own_policy_fails():
    def answer(call):
        if call['params']['object'] == 'permission':
            return FakeResponse(403, headers={'Warning': '299 - "Insufficient scope"'})
        return FakeResponse(200, [v1_policy('No Emergency')])
    client, _session = make_client(answer, api_version='v1', **KEY)
    with pytest.raises(NetSapiensScopeError, match="Reading permissions of dialpolicy 'No Emergency' of domain 'acme' failed"):
        read_dialpolicies(client, ['acme'])


def test_a_list_as_long_as_a_page_fails_instead_of_being_cut():
    def answer(call):
        if call['params']['object'] == 'dialpolicy':
            return FakeResponse(200, [dict(v1_policy('Draft'), dialpolicy='P%d' % index) for index in range(1000)])
        raise AssertionError('no permission read after a failed list')
    client, _session = make_client(answer, api_version='v1', **KEY)
    with pytest.raises(NetSapiensApiError, match="Reading dialpolicies of domain 'acme' failed: the server sent 1000"):
        read_dialpolicies(client, ['acme'])


def test_a_v2_row_without_its_match_takes_it_from_the_permission_id():
    row = v2_rows('US and Canada')[2]
    del row['permission-match']
    assert normalise_v2(PERMISSION, with_match(row))['dial_match'] == '011*'
    assert with_match(dict(row, **{'permission-id': 'not base64!'})) == dict(row, **{'permission-id': 'not base64!'})
    kept = v1_rows('Permit All')[0]
    assert with_match(kept) is kept


def test_a_secret_looking_field_only_with_include_sensitive():
    def answer(call):
        if call['params']['object'] == 'dialpolicy':
            return FakeResponse(200, [dict(v1_policy('No Emergency'), api_key='k-e-y')])
        return FakeResponse(200, v1_rows('No Emergency'))
    client, _session = make_client(answer, api_version='v1', **KEY)
    assert not any('api_key' in record for record in read_dialpolicies(client, ['acme'])[0].records)
    kept = read_dialpolicies(client, ['acme'], include_sensitive=True)[0].records
    assert [record['api_key'] for record in kept] == ['k-e-y', 'k-e-y'] and DIALPOLICY.is_sensitive('api_key')


def test_a_list_longer_than_a_page_is_the_whole_list_of_a_server_that_does_not_page_it():
    """A reseller of a thousand domains sees more than a thousand policies at /dialpolicy; a server that does not page that
    list sends them all, more than the limit asked for."""
    own = [dict(v2_policy('Draft'), dialpolicy='Own %04d' % index, domain='d%04d' % index) for index in range(1003)]

    def answer(call):
        path = call['path'][len('/ns-api/v2/'):]
        if path == 'dialpolicy':
            assert call['params']['limit'] == 1000
            return FakeResponse(200, [v2_policy('US and Canada')] + own)
        if path == 'domains/acme/dialpolicy':
            return FakeResponse(200, [])
        return FakeResponse(200, v2_rows('US and Canada'))
    client, _session = make_client(answer, api_version='v2', **KEY)
    records = read_dialpolicies(client, ['acme'])[0].records
    assert [(record['dialpolicy'], record['dial_match']) for record in records] == [
        ('US and Canada', '911'), ('US and Canada', '933'), ('US and Canada', '011*')]
