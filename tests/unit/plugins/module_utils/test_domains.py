# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Listing domains on v1 and v2, and resolving a domains option."""

from __future__ import annotations

from .fakes import FakeResponse, make_client

V1_DOMAINS = [
    {'domain': 'b.service', 'territory': 'res', 'description': 'B'},
    {'domain': 'a.service', 'territory': 'res', 'description': 'A', 'max_user': 100},
]


def test_v1_domains_are_summarised_and_sorted():
    client, session = make_client([FakeResponse(200, V1_DOMAINS)], api_key='k')
    assert client.list_domains() == [{'domain': 'a.service', 'description': 'A', 'territory': 'res'},
                                     {'domain': 'b.service', 'description': 'B', 'territory': 'res'}]
    assert session.calls[0]['params']['object'] == 'domain' and session.calls[0]['params']['action'] == 'read'


def test_v2_domains_map_reseller_to_territory_and_page():
    pages = [[{'domain': 'd%04d' % i, 'reseller': 'res'} for i in range(1000)], [{'domain': 'last', 'reseller': 'res'}]]
    client, session = make_client(lambda call: FakeResponse(200, pages[int(call['params']['start']) // 1000]), api_key='k', api_version='v2')
    domains = client.list_domains()
    assert len(domains) == 1001 and domains[-1] == {'domain': 'last', 'description': '', 'territory': 'res'}
    assert [c['params']['start'] for c in session.calls] == [0, 1000]


def test_v2_server_that_ignores_paging_is_read_once_more_only():
    same = [{'domain': 'd%04d' % i} for i in range(1000)]
    client, session = make_client(lambda call: FakeResponse(200, same), api_key='k', api_version='v2')
    assert len(client.list_domains()) == 1000
    assert len(session.calls) == 2


def test_resolve_all_and_lists():
    client, _session = make_client([FakeResponse(200, V1_DOMAINS)], api_key='k')
    assert client.resolve_domains('all') == ['a.service', 'b.service']
    assert client.resolve_domains(['x.service', 'x.service', 'y.service']) == ['x.service', 'y.service']
