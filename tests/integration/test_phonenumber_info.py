# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""netsapiens.pbx.phonenumber_info through ansible-playbook, compared with the emulator's stored numbers."""

from __future__ import annotations

import pytest
from netsapiens_emulator.data import BIG_DOMAIN, COMPANIES
from netsapiens_emulator.emulated.cases import CLEAN, DEVICES, SUBSCRIBERS, did_of

from harness import Emulator, check_server_untouched

# The record fields: those both API versions fill (v1 names).
FIELDS = ('matchrule', 'dest_domain', 'enable', 'responder', 'parameter', 'to_user', 'to_host', 'from_name', 'plan_description')
READS = {'v1': ('v1_phonenumber_count', 'v1_phonenumber_read'), 'v2': ('v2_phonenumber_count', 'v2_phonenumber_list')}
SECRET = 'dial-S3cr3t-0f-the-numbers'


def expected(raw):
    """The record of a stored v1 DID Table rule: the shared fields, as strings."""
    return {name: str(raw[name]) for name in FIELDS}


def truth(server, domains):
    return [expected(raw) for domain in domains for raw in server.objects('phonenumber', domain)]


def read(run_playbook, variables, version=None, **options):
    env = dict(options.pop('env', {}), **({'NETSAPIENS_API_VERSION': version} if version else {}))
    result = run_playbook('phonenumber_info.yml', variables, env=env, **options)
    assert result.rc == 0, result
    return result, result.artifact('result.json')


def test_v1_and_v2_return_identical_records_equal_to_the_stored_numbers(run_playbook, emulator, domains):
    stored = truth(emulator, domains[:2])
    _result, v1 = read(run_playbook, {'domains': domains[:2]}, 'v1')
    v1_requests = [request for request in emulator.stats()['requests'] if request['kind'].startswith('v1_phonenumber')]
    emulator.reset()
    _result, v2 = read(run_playbook, {'domains': domains[:2]}, 'v2')
    assert v1['phonenumbers'] == v2['phonenumbers'] == stored
    assert (v1['api_version'], v2['api_version']) == ('v1', 'v2')
    assert 'missing' not in v1 and v1['changed'] is False
    # v1 reads the DID Table's rules routed to the domain: a count and one page per domain, never `domain=`.
    assert sorted(request['kind'] for request in v1_requests) == ['v1_phonenumber_count'] * 2 + ['v1_phonenumber_read'] * 2
    assert all(request['decoded_params']['dialplan'] == 'DID Table' and 'domain' not in request['decoded_params']
               for request in v1_requests)
    assert sorted(request['decoded_params']['dest_domain'] for request in v1_requests) == sorted(domains[:2] * 2)
    reads = emulator.stats()['reads']
    assert (reads['v2_phonenumber_count'], reads['v2_phonenumber_list']) == (2, 2)


def test_the_first_domain_routes_each_case_users_did_to_the_user(run_playbook, emulator, api, domains):
    _result, data = read(run_playbook, {'domains': [domains[0]]})
    by_number = {record['matchrule']: record for record in data['phonenumbers']}
    area_code = COMPANIES[0][3]
    for user in set(SUBSCRIBERS) | set(CLEAN) | set(DEVICES):
        record = by_number['sip:%s@*' % did_of(area_code, user)]
        assert (record['to_user'], record['responder'], record['enable']) == (user, 'sip:start@to-user', 'yes'), record
    assert by_number['sip:1%s5550100@*' % area_code]['to_user'] == '8001'
    assert by_number['sip:%s@*' % did_of(area_code, '8000')]['responder'] == 'sip:start@call-queuing'
    assert {record['dest_domain'] for record in data['phonenumbers']} == {domains[0]}


def test_filters_keep_exact_matches(run_playbook, emulator, api, domains):
    _result, data = read(run_playbook, {'domains': domains[:2], 'filters': {'responder': ['AvailableDID', 'ToUserRecordingNotice'],
                                                                            'enable': True}})
    wanted = [record for record in truth(emulator, domains[:2])
              if record['responder'] in ('AvailableDID', 'ToUserRecordingNotice') and record['enable'] == 'yes']
    assert data['phonenumbers'] == wanted
    assert {record['responder'] for record in wanted} == {'AvailableDID', 'ToUserRecordingNotice'}


def test_unknown_filter_field_says_which_fields_exist(run_playbook, emulator, domains):
    result = run_playbook('phonenumber_info.yml', {'domains': [domains[0]], 'filters': {'touser': '1002'}})
    assert result.rc != 0
    assert "Option 'filters' names an unknown phonenumber field 'touser'. Did you mean 'to_user'?" in result.output
    assert 'Traceback' not in result.output
    assert emulator.stats()['requests_total'] == 0


def test_a_secret_looking_field_only_with_include_sensitive_and_never_in_output(run_playbook, emu, api, domains):
    emu.configure(extra_object_fields={'v1': {'dial_auth_token': SECRET}, 'v2': {'dial-auth-token': SECRET}})
    result, data = read(run_playbook, {'domains': [domains[0]]})
    assert data['phonenumbers'] and not any('dial_auth_token' in record for record in data['phonenumbers'])
    result, data = read(run_playbook, {'domains': [domains[0]], 'include_sensitive': True}, verbosity=4)
    assert data['phonenumbers'] and all(record['dial_auth_token'] == SECRET for record in data['phonenumbers'])
    assert SECRET not in result.stdout and SECRET not in result.output
    assert 'dial_auth_token' not in result.output


@pytest.fixture(name='big_server', scope='module')
def big_server_fixture():
    """An emulator with a domain of 1100 users, each with a DID: more numbers than one page holds."""
    with Emulator(domains=1, users_per_domain=5, big_domain_users=1100) as server:
        yield server
        check_server_untouched(server)


@pytest.mark.parametrize('version', ['v1', 'v2'])
def test_more_than_1000_numbers_arrive_complete_in_proven_pages(run_playbook, big_server, version):
    big_server.configure(max_page=400)
    big_server.reset()
    _result, data = read(run_playbook, {'domains': [BIG_DOMAIN]}, version, auth='api_key', env={'NETSAPIENS_API_URL': big_server.url})
    stored = truth(big_server, [BIG_DOMAIN])
    assert len(stored) > 1100 and data['phonenumbers'] == stored
    # The server serves 400 per page although 1000 were asked for: a count, then three pages that overlap by one.
    count, page = READS[version]
    reads = big_server.stats()['reads']
    assert (reads[count], reads[page]) == (1, 3)
