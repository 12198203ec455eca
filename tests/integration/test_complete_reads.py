# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A read is complete or it fails, and secret-looking fields stay out: servers that page badly, objects that change
between pages, 404 messages that mention the domain, fields a newer server adds. Rows of the scenario table."""

from __future__ import annotations

import pytest

scenario = pytest.mark.scenario
LIST_KINDS = ('v1_subscriber_read', 'v2_users_list')
COUNT_KINDS = ('v1_subscriber_count', 'v2_users_count')


def kinds(stats, wanted):
    return [request for request in stats['requests'] if request['kind'] in wanted]


def read(run_playbook, what, **variables):
    result = run_playbook('read_or_fail.yml', dict(variables, read=what))
    assert result.rc == 0, result
    return result, result.artifact('result.json')


@scenario('Server that ignores start ({api})', "a domain read in pages of 10 got the first page again for offset 9: "
          "\"asked for subscribers from offset 9, the server sent again only subscribers it had sent already (it ignores "
          "'start')\", naming the domain, after the page requests the count called for (read at once); no partial list")
def test_server_that_ignores_start(run_playbook, emu, api, domains):
    emu.configure(ignore_start=True, max_page=10)
    emu.reset()
    _result, data = read(run_playbook, 'subscribers', domains=[domains[0]])
    assert data['failed'] and 'subscribers' not in data
    assert "Reading subscribers of domain '%s' failed: asked for subscribers from offset 9" % domains[0] in data['msg']
    assert "(it ignores 'start')" in data['msg']
    # The first page, then the pages after it at once (each of 9 new users): never more than the count calls for.
    users = emu.domains()[domains[0]]
    assert len(kinds(emu.stats(), LIST_KINDS)) == 1 + -(-(users - 10) // 9)


@scenario('Domain list capped below the limit ({api})', 'the server served 2 domains per page although 1000 were asked '
          'for: every domain arrived, counted first and read on from where each page stopped')
def test_domain_list_capped_below_the_limit(run_playbook, emu, api, domains):
    emu.configure(max_page=2)
    emu.reset()
    _result, data = read(run_playbook, 'domains')
    assert not data.get('failed'), data
    assert [entry['domain'] for entry in data['domains']] == sorted(domains)
    listing = [request['kind'] for request in emu.stats()['requests'] if 'domain' in request['kind']]
    # The count and the first page go at once; then the pages the count calls for (2 per page, each after the first
    # starting at the last domain of the one before).
    counts = [kind for kind in listing if kind in ('v1_domain_count', 'v2_domains_count')]
    assert len(counts) == 1 and len(listing) == 1 + len(domains) - 1


@scenario('Users removed and added between pages ({api})', 'between page 1 and page 2 the sixth user was deleted and a '
          'user added at the end (count unchanged): the shift was seen and the domain read again; the result is the '
          "server's list, the late user included and no user that existed throughout missing")
def test_users_removed_and_added_between_pages(run_playbook, emu, api, domains, happened):
    domain = domains[1]
    before = [str(raw['user']) for raw in emu.records(domain)]
    emu.configure(max_page=10, shift_users_once=domain)
    emu.reset()
    _result, data = read(run_playbook, 'subscribers', domains=[domain])
    assert not data.get('failed'), data
    after = [str(raw['user']) for raw in emu.records(domain)]
    assert after != before and '8999' in after and len(after) == len(before)
    assert sorted(record['user'] for record in data['subscribers']) == sorted(after)
    counts = kinds(emu.stats(), COUNT_KINDS)
    assert len(counts) == 2
    happened('%d users; the domain was counted and read twice' % len(after))


@scenario('Missing user whose 404 mentions the domain ({api})', '"User 1999 not found in domain <domain>" was read as a '
          'missing user (listed in missing), not as a missing domain; the other user arrived')
def test_missing_user_whose_404_mentions_the_domain(run_playbook, emu, api, domains):
    emu.configure(not_found_style='404', user_not_found_message='User 1999 not found in domain %s' % domains[0])
    _result, data = read(run_playbook, 'subscribers', domains=[domains[0]], users=['1001', '1999'])
    assert not data.get('failed'), data
    assert [record['user'] for record in data['subscribers']] == ['1001']
    assert data['missing'] == ['1999@%s' % domains[0]]


SECRET_FIELDS = {
    'v1': {'sip_auth_key': 'sk-v1-7Qm2', 'portal_password_hint': 'pw-v1-9Lx4', 'api_token': 'tk-v1-3Hd8'},
    'v2': {'device-sip-registration-password': 'sp-v2-5Rt1', 'api-token': 'tk-v2-8Kc6', 'secret-answer': 'sa-v2-2Wq9'},
}


@scenario('Fields whose names look secret ({api})', 'fields a newer server adds (sip_auth_key, api_token, '
          'device-sip-registration-password, secret-answer, ...) were left out by name; with include_sensitive they were '
          'returned, and the task output at -vvvv showed none of their values')
@pytest.mark.parametrize('include_sensitive', [False, True])
def test_fields_whose_names_look_secret(run_playbook, emu, api, domains, include_sensitive):
    emu.configure(extra_user_fields=SECRET_FIELDS)
    result, data = read(run_playbook, 'subscribers', domains=[domains[0]], users=['1001'], include_sensitive=include_sensitive)
    record = data['subscribers'][0]
    served = dict((name.replace('-', '_'), value) for name, value in SECRET_FIELDS[api].items())
    for name, value in served.items():
        assert (record.get(name) == value) is include_sensitive, (name, record)
        assert value not in result.stdout + result.stderr
    assert record['first_name']
