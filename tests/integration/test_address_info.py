# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""netsapiens.pbx.address_info through ansible-playbook, compared with the emulator's stored addresses and users."""

from __future__ import annotations

import re

from harness import Emulator
from netsapiens_emulator.emulated.cases import CLEAN, DANGLING_ADDRESS

BIG_DOMAIN = 'big.99999.service'
PIDFLO = 'address-formatted-pidflo'


def expected_addresses(server, domain, include_sensitive=False):
    """The records address_info should return for a domain, computed from the emulator's stored v1 data."""
    assigned = {}
    for user in server.records(domain):
        if user.get('address_id'):
            assigned.setdefault(str(user['address_id']), []).append(str(user['user']))
    records = []
    for raw in server.objects('address', domain):
        record = dict((name, '' if value is None else str(value)) for name, value in raw.items()
                      if name != PIDFLO and (name != 'public_ip' or include_sensitive))
        record.update(validated='yes' if raw[PIDFLO] else 'no', assigned_users=assigned.get(raw['address_id'], []))
        records.append(record)
    return records


def read(run_playbook, emulator, api, variables, **options):
    emulator.configure(v1_only=api == 'v1')
    result = run_playbook('address_info.yml', variables, **options)
    assert result.rc == 0, result
    data = result.artifact('result.json')
    assert data['api_version'] == api
    return data, result


def test_v1_and_v2_give_identical_records_equal_to_the_stored_addresses(run_playbook, emulator, domains):
    expected = [record for domain in domains for record in expected_addresses(emulator, domain)]
    for api in ('v1', 'v2'):
        emulator.reset()
        data, _result = read(run_playbook, emulator, api, {'domains': domains})
        assert data['addresses'] == expected
        assert 'missing' not in data
        reads = emulator.stats()['reads']
        # Per domain: a count and one page of addresses, then a count and one page of subscribers for assigned_users.
        if api == 'v1':
            assert (reads['v1_address_count'], reads['v1_address_read']) == (4, 4)
            assert (reads['v1_subscriber_count'], reads['v1_subscriber_read']) == (4, 4)
        else:
            assert (reads['v2_address_count'], reads['v2_address_list'], reads.get('v2_address_item', 0)) == (4, 4, 0)
            assert (reads['v2_users_count'], reads['v2_users_list']) == (4, 4)
    assert all('public_ip' not in record and PIDFLO not in record for record in data['addresses'])


def test_unvalidated_stale_and_dangling_addresses_can_be_found(run_playbook, emulator, api, domains):
    unvalidated, _result = read(run_playbook, emulator, api, {'domains': 'all', 'filters': {'validated': False}})
    # One address per domain has no PIDF-LO; never a control user's.
    assert sorted(record['domain'] for record in unvalidated['addresses']) == sorted(domains)
    assert not any(record['user'] in CLEAN for record in unvalidated['addresses'])
    stale, _result = read(run_playbook, emulator, api, {'domains': domains[:2], 'filters': {'assigned_users': ''}})
    assert [(record['domain'], record['user'], record['validated']) for record in stale['addresses']] == [
        (domains[0], '*', 'yes'), (domains[1], '*', 'yes')]
    # The first domain's controls use validated addresses of their own; user 1023 names an address that does not exist.
    everything, _result = read(run_playbook, emulator, api, {'domains': [domains[0]]})
    by_id = dict((record['address_id'], record) for record in everything['addresses'])
    for user in CLEAN:
        assert by_id['EA9%s' % user]['assigned_users'] == [user] and by_id['EA9%s' % user]['validated'] == 'yes'
    dangling_user, dangling_id = DANGLING_ADDRESS
    assert {str(raw['user']): raw['address_id'] for raw in emulator.records(domains[0])}[dangling_user] == dangling_id
    assert dangling_id not in by_id


def test_include_sensitive_returns_public_ip_but_hides_the_result(run_playbook, emulator, api, domains):
    data, result = read(run_playbook, emulator, api, {'domains': [domains[0]], 'include_sensitive': True}, verbosity=4)
    assert data['addresses'] == expected_addresses(emulator, domains[0], include_sensitive=True)
    addresses = [record['public_ip'] for record in data['addresses'] if record['public_ip']]
    assert addresses
    for address in addresses:
        assert not re.search(r'(?<![0-9.])%s(?![0-9])' % re.escape(address), result.output), address
    assert 'public_ip' not in result.output and 'assigned_users' not in result.output


def test_public_ip_is_shown_nowhere_by_default_but_the_records_are(run_playbook, emulator, domains):
    data, result = read(run_playbook, emulator, 'v2', {'domains': [domains[0]]}, verbosity=4)
    assert 'assigned_users' in result.stdout and data['addresses'][0]['address_line_1'] in result.stdout
    for raw in emulator.objects('address', domains[0]):
        if raw['public_ip']:
            assert not re.search(r'(?<![0-9.])%s(?![0-9])' % re.escape(raw['public_ip']), result.output)


def test_unknown_filter_field_suggests_the_right_one_before_any_read(run_playbook, emulator, domains):
    result = run_playbook('address_info.yml', {'domains': [domains[0]], 'filters': {'validate': 'no'}})
    assert result.rc != 0
    assert "Option 'filters' names an unknown address field 'validate'. Did you mean 'validated'" in result.output
    assert 'Traceback' not in result.output
    assert emulator.stats()['requests_total'] == 0


def test_more_than_1000_addresses_are_read_completely_in_pages(run_playbook):
    with Emulator(domains=1, users_per_domain=5, big_domain_users=3500) as big:
        expected = expected_addresses(big, BIG_DOMAIN)
        assert len(expected) > 1000
        for api, page, count in (('v1', 'v1_address_read', 'v1_address_count'), ('v2', 'v2_address_list', 'v2_address_count')):
            big.reset()
            data, _result = read(run_playbook, big, api, {'domains': [BIG_DOMAIN]}, verbosity=0,
                                 env={'NETSAPIENS_API_URL': big.url})
            assert data['addresses'] == expected
            reads = big.stats()['reads']
            # Pages of 1,000 that overlap by one: two pages, proven complete against one count.
            assert (reads[count], reads[page]) == (1, 2)
