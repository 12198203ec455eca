# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Listing domains on v1 and v2, and resolving a domains option."""

from __future__ import annotations

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensApiError

from .fakes import FakeResponse, make_client

V1_DOMAINS = [
    {'domain': 'b.service', 'territory': 'res', 'description': 'B'},
    {'domain': 'a.service', 'territory': 'res', 'description': 'A', 'max_user': 100},
]


def list_server(domains, total=None, max_page=None, ignores_start=False):
    """A fake server for domain lists on v1 (object=domain) and v2 (/domains, /domains/count)."""
    def answer(call):
        params = call['params']
        if params.get('action') == 'count' or call['path'].endswith('/count'):
            return FakeResponse(200, {'total': str(len(domains) if total is None else total)})
        start = 0 if ignores_start else int(params['start'])
        limit = min(int(params['limit']), max_page or 1000)
        return FakeResponse(200, domains[start:start + limit])
    return answer


def test_v1_domains_are_summarised_and_sorted():
    client, session = make_client(list_server(V1_DOMAINS), api_key='k')
    assert client.list_domains() == [{'domain': 'a.service', 'description': 'A', 'territory': 'res'},
                                     {'domain': 'b.service', 'description': 'B', 'territory': 'res'}]
    assert [(c['params']['object'], c['params']['action']) for c in session.calls] == [('domain', 'count'), ('domain', 'read')]
    assert session.calls[1]['params']['limit'] == 1000


def test_v2_domains_map_reseller_to_territory_and_page():
    domains = [{'domain': 'd%04d' % i, 'reseller': 'res'} for i in range(1000)] + [{'domain': 'last', 'reseller': 'res'}]
    client, session = make_client(list_server(domains), api_key='k', api_version='v2')
    listed = client.list_domains()
    assert len(listed) == 1001 and listed[-1] == {'domain': 'last', 'description': '', 'territory': 'res'}
    assert [(c['path'], c['params'].get('start')) for c in session.calls] == [
        ('/ns-api/v2/domains/count', None), ('/ns-api/v2/domains', 0), ('/ns-api/v2/domains', 999)]


@pytest.mark.parametrize('version', ['v1', 'v2'])
def test_a_server_that_caps_domain_pages_is_read_completely(version):
    domains = [{'domain': 'd%03d' % i} for i in range(150)]
    client, session = make_client(list_server(domains, max_page=100), api_key='k', api_version=version)
    assert len(client.list_domains()) == 150
    assert len(session.calls) == 3


@pytest.mark.parametrize('version', ['v1', 'v2'])
def test_a_server_that_ignores_start_fails_after_few_requests(version):
    domains = [{'domain': 'd%03d' % i} for i in range(150)]
    client, session = make_client(list_server(domains, max_page=100, ignores_start=True), api_key='k', api_version=version)
    with pytest.raises(NetSapiensApiError, match="Listing domains failed: asked for domains from offset 99, the server sent "
                                                 "again only domains it had sent already .it ignores 'start'."):
        client.list_domains()
    assert len(session.calls) == 3


def test_resolve_all_and_lists():
    client, _session = make_client(list_server(V1_DOMAINS), api_key='k')
    assert client.resolve_domains('all') == ['a.service', 'b.service']
    assert client.resolve_domains(['x.service', 'x.service', 'y.service']) == ['x.service', 'y.service']
