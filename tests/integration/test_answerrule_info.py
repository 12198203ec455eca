# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""netsapiens.pbx.answerrule_info through ansible-playbook, compared with the emulator's stored answer rules."""

from __future__ import annotations

import pytest

from harness import Emulator, check_server_untouched, expected_record

NOT_RETURNED = ('pwd', 'pwd_hash')


def expected_rules(server, domain, users=None):
    """The records the module must return for a domain, built from the emulator's stored v1 rules: values as strings,
    pwd and pwd_hash left out, ordered by user (the server's user order), priority as a number, then time frame."""
    order = {str(raw['user']): index for index, raw in enumerate(server.records(domain))}
    records = []
    for raw in server.objects('answerrule', domain):
        record = expected_record(raw)
        for name in NOT_RETURNED:
            record.pop(name, None)
        if users is None or record['user'] in users:
            records.append(record)
    return sorted(records, key=lambda record: (order[record['user']], int(record['priority']), record['time_frame']))


def rule_reads(server):
    reads = server.stats()['reads']
    return reads.get('v1_answerrule_read', 0) + reads.get('v2_answerrule_list', 0)


def test_v1_and_v2_return_the_same_rules_as_stored_one_request_per_user(run_playbook, emulator, domains):
    results = {}
    for version in ('v1', 'v2'):
        emulator.configure(v1_only=version == 'v1')
        emulator.reset()
        result = run_playbook('answerrule_info.yml', {'domains': domains[:2]})
        assert result.rc == 0, result
        results[version] = result.artifact('result.json')
        assert results[version]['api_version'] == version
        assert rule_reads(emulator) == sum(len(emulator.records(domain)) for domain in domains[:2])
    assert results['v1']['answerrules'] == results['v2']['answerrules']
    assert results['v2']['answerrules'] == expected_rules(emulator, domains[0]) + expected_rules(emulator, domains[1])
    records = results['v2']['answerrules']
    assert {record['time_frame'] for record in records} == {'*', 'After Hours'}
    assert all(isinstance(value, str) for record in records for value in record.values())
    # The first domain's forward cases, as cases.FORWARDS says, whatever the version.
    defaults = {record['user']: record for record in records if record['domain'] == domains[0] and record['time_frame'] == '*'}
    assert (defaults['1002']['for_control'], defaults['1002']['for_parameters']) == ('e', '011441632960123')
    assert (defaults['1006']['for_control'], defaults['1006']['for_parameters']) == ('d', '011441632960124')
    assert defaults['1007']['sim_parameters'] == '1007 +447700900123'
    assert not {'8000', '8001', '8002'} & {record['user'] for record in records}


def test_named_users_in_the_order_of_their_rules_and_missing_ones_listed(run_playbook, emulator, api, domains):
    users = ['1007', 'nobody-here', '8000', '1001', 'sl/ash']
    result = run_playbook('answerrule_info.yml', {'domains': [domains[0]], 'users': users})
    assert result.rc == 0, result
    data = result.artifact('result.json')
    assert data['answerrules'] == expected_rules(emulator, domains[0], users={'1007', '1001', 'sl/ash'})
    assert [record['user'] for record in data['answerrules']][0] == '1001'
    assert data['missing'] == ['nobody-here@%s' % domains[0]]
    # One read of the rules of each user that exists, the system user 8000 included (it has none).
    assert rule_reads(emulator) == 4


@pytest.mark.parametrize('style', ['404', 'code404', 'empty_body'])
def test_a_v1_user_without_rules_adds_nothing_however_the_server_says_so(run_playbook, emulator, domains, style):
    emulator.configure(v1_only=True, not_found_style=style)
    result = run_playbook('answerrule_info.yml', {'domains': [domains[0]], 'users': ['8001', '1004']}, verbosity=1)
    assert result.rc == 0, result
    data = result.artifact('result.json')
    assert data['answerrules'] == expected_rules(emulator, domains[0], users={'1004'}) and data['missing'] == []


def test_filters_keep_exact_matches_and_an_unknown_field_is_refused(run_playbook, emulator, domains):
    result = run_playbook('answerrule_info.yml', {'domains': domains[:2], 'filters': {'enable': True, 'for_control': 'e'}})
    assert result.rc == 0, result
    got = result.artifact('result.json')['answerrules']
    wanted = [record for domain in domains[:2] for record in expected_rules(emulator, domain)
              if record['enable'] == 'yes' and record['for_control'] == 'e']
    assert got == wanted and {'1002', '1005'} <= {record['user'] for record in got if record['domain'] == domains[0]}
    emulator.reset()
    refused = run_playbook('answerrule_info.yml', {'domains': [domains[0]], 'filters': {'fwd_control': 'e'}})
    assert refused.rc != 0
    assert "unknown answerrule field 'fwd_control'" in refused.output and "Did you mean" in refused.output
    assert "'for_control'" in refused.output and 'Traceback' not in refused.output
    assert emulator.stats()['requests_total'] == 0


def test_pwd_and_pwd_hash_sent_by_v1_never_reach_records_or_output(run_playbook, emulator, domains):
    emulator.configure(v1_only=True)
    stored = emulator.objects('answerrule', domains[0])
    carriers = sorted({str(raw['user']) for raw in stored if raw.get('pwd')})
    assert carriers, 'the emulator should send pwd and pwd_hash with some rules'
    result = run_playbook('answerrule_info.yml', {'domains': [domains[0]], 'users': carriers, 'include_sensitive': True}, verbosity=4)
    assert result.rc == 0, result
    records = result.artifact('result.json')['answerrules']
    assert records == expected_rules(emulator, domains[0], users=set(carriers))
    assert not any(name in record for record in records for name in NOT_RETURNED)
    for raw in stored:
        if raw.get('pwd'):
            assert raw['pwd'] not in result.output and raw['pwd_hash'] not in result.output
    # Answer rules hold no secret field, so the result is shown as usual.
    assert '"for_control": ' in result.stdout and 'the output has been hidden' not in result.stdout


def test_the_documented_examples_flag_exactly_the_international_forwards(run_playbook, emulator, domains):
    users = ['1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008', '1020', '1021', '1022']
    result = run_playbook('answerrule_examples.yml', {'domains': [domains[0]], 'users': users}, verbosity=0)
    assert result.rc == 0, result
    flagged = result.artifact('result.json')
    # 1006's international forward is switched off; 1003 (1-900) and 1008 (+1 976) are premium rate, not international.
    assert flagged['forward_always']['failed'] is True
    assert flagged['forward_always']['msg'] == 'Forwarded abroad: 1002'
    assert flagged['every_feature'] == ['1002@%s (*, for): 011441632960123' % domains[0],
                                        '1007@%s (*, sim): 1007 +447700900123' % domains[0]]


@pytest.fixture(name='crowded', scope='module')
def crowded_fixture():
    """One domain of 2,000 users (2,013 with the system and awkward users). Each answer takes 2 ms, as over a network:
    without it the emulator answers before a second request can arrive, and nothing is ever in flight at once."""
    with Emulator(domains=1, users_per_domain=2000, latency_ms=2) as server:
        yield server
        check_server_untouched(server)


def test_two_thousand_users_read_the_same_one_at_a_time_and_eight_at_once(run_playbook, crowded):
    domain = list(crowded.domains())[0]
    users = len(crowded.records(domain))
    results = {}
    for concurrency in (1, 8):
        crowded.reset()
        result = run_playbook('answerrule_info.yml', {'domains': [domain]}, auth='api_key', verbosity=0,
                              env={'NETSAPIENS_API_URL': crowded.url, 'NETSAPIENS_MAX_CONCURRENCY': str(concurrency)})
        assert result.rc == 0, result
        results[concurrency] = result.artifact('result.json')['answerrules']
        stats = crowded.stats()
        assert stats['reads']['v2_answerrule_list'] == users
        assert stats['max_in_flight'] <= concurrency and stats['refused_in_flight'] == 0
        assert (stats['max_in_flight'] > 1) is (concurrency > 1)
    assert results[1] == results[8] == expected_rules(crowded, domain)
    assert len(results[1]) > users
