# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""v1 reads: not-found styles, paging proven by count, the per-user versus whole-domain choice."""

from __future__ import annotations

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import (
    NetSapiensApiError,
    NetSapiensConfigError,
    NetSapiensNotFoundError,
)

from .fakes import FakeResponse, make_client

KEY = {'api_key': 'nsr_key'}


def domain_server(total, max_page=None, missing_users=()):
    """A fake v1 server for one domain of `total` users named 1000.. that caps pages at max_page."""
    users = [{'user': str(1000 + index), 'domain': 'acme', 'no_answer_timeout': 25} for index in range(total)]

    def answer(call):
        params = call['params']
        assert params['format'] == 'json' and params['object'] == 'subscriber'
        if params['action'] == 'count':
            return FakeResponse(200, {'total': str(total)})
        if 'user' in params:
            found = [u for u in users if u['user'] == params['user'] and u['user'] not in missing_users]
            return FakeResponse(200, found)
        start, limit = int(params['start']), int(params['limit'])
        if max_page:
            limit = min(limit, max_page)
        return FakeResponse(200, users[start:start + limit])
    return answer


@pytest.mark.parametrize('answer', [FakeResponse(200, []), FakeResponse(200, text=''), FakeResponse(404),
                                    FakeResponse(200, {'code': 404, 'message': 'not found'})])
def test_every_not_found_style_means_no_record(answer):
    client, _session = make_client([answer], **KEY)
    batch = client.read_subscribers('acme', ['1999'])
    assert batch.records == [] and batch.missing == ['1999']


def test_a_bare_object_is_accepted():
    client, _session = make_client([FakeResponse(200, {'user': '1001', 'domain': 'acme'})], **KEY)
    assert client.read_subscribers('acme', ['1001']).records == [{'user': '1001', 'domain': 'acme'}]


def test_unknown_domain_is_distinct_from_missing_user():
    answer = FakeResponse(404, headers={'Warning': '299 - "Domain nope not found"'})
    client, _session = make_client([answer], **KEY)
    with pytest.raises(NetSapiensNotFoundError, match="Domain 'nope' does not exist"):
        client.read_subscribers('nope', ['1001'])


def test_in_band_error_code_is_reported():
    client, _session = make_client([FakeResponse(200, {'code': 500, 'message': 'database busy'})], **KEY)
    with pytest.raises(NetSapiensApiError, match='code 500: database busy'):
        client.read_subscribers('acme', ['1001'])


def test_whole_domain_reads_one_page_per_thousand_plus_a_count():
    client, session = make_client(domain_server(2500), **KEY)
    batch = client.read_subscribers('acme')
    assert len(batch.records) == 2500
    actions = [(c['params']['action'], c['params'].get('start')) for c in session.read_calls()]
    # Each later page starts at the last user of the page before, so that a shift between pages shows.
    assert actions == [('count', None), ('read', 0), ('read', 999), ('read', 1998)]
    assert all(c['params'].get('limit') in (None, 1000) for c in session.read_calls())
    assert batch.records[0]['no_answer_timeout'] == '25'


def test_a_server_that_caps_pages_is_still_read_completely():
    client, session = make_client(domain_server(250, max_page=100), **KEY)
    assert len(client.read_subscribers('acme').records) == 250
    assert [c['params'].get('start') for c in session.read_calls()] == [None, 0, 99, 198]


def test_an_incomplete_domain_read_fails_instead_of_truncating():
    def short_server(call):
        if call['params']['action'] == 'count':
            return FakeResponse(200, {'total': 5})
        return FakeResponse(200, [{'user': '1'}, {'user': '2'}] if call['params']['start'] == 0 else [])
    client, _session = make_client(short_server, **KEY)
    with pytest.raises(NetSapiensApiError, match='counts 5 subscribers but returned 2'):
        client.read_subscribers('acme')


def test_empty_domain_costs_only_the_count():
    client, session = make_client(domain_server(0), **KEY)
    assert client.read_subscribers('acme').records == []
    assert len(session.read_calls()) == 1


def test_many_users_of_one_domain_read_the_domain_once():
    client, session = make_client(domain_server(300), **KEY)
    batch = client.read_subscribers('acme', ['1005', '1001', '1299', '4444'])
    assert [r['user'] for r in batch.records] == ['1005', '1001', '1299']
    assert batch.missing == ['4444']
    assert len(session.read_calls()) == 2


def test_two_users_are_read_one_by_one_without_a_count():
    client, session = make_client(domain_server(300), **KEY)
    batch = client.read_subscribers('acme', ['1001', '1002'])
    assert [r['user'] for r in batch.records] == ['1001', '1002']
    assert [c['params']['action'] for c in session.read_calls()] == ['read', 'read']


def test_few_users_of_a_huge_domain_are_read_one_by_one():
    client, session = make_client(domain_server(5000), **KEY)
    batch = client.read_subscribers('acme', ['1001', '1002', '1003'])
    assert [r['user'] for r in batch.records] == ['1001', '1002', '1003']
    assert [c['params']['action'] for c in session.read_calls()] == ['count', 'read', 'read', 'read']


def test_user_names_are_sent_as_given():
    client, session = make_client([FakeResponse(200, [{'user': 'a&b=c#d'}])], **KEY)
    assert client.read_subscribers('acme', ['a&b=c#d']).records
    assert session.calls[0]['params']['user'] == 'a&b=c#d'


@pytest.mark.parametrize('domain', ['', ' acme', 'ac me', 'acme/x', 'acme?x', 'acme&user=1'])
def test_malformed_domain_is_refused_before_any_request(domain):
    client, session = make_client([], **KEY)
    with pytest.raises(NetSapiensConfigError):
        client.read_subscribers(domain)
    assert session.calls == []


def test_numeric_users_from_yaml_are_accepted():
    client, session = make_client([FakeResponse(200, [{'user': 1001}])], **KEY)
    assert client.read_subscribers('acme', [1001]).records == [{'user': '1001'}]
    assert session.calls[0]['params']['user'] == '1001'
