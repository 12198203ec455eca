# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The netsapiens.pbx.subscribers inventory plugin, through ansible-inventory and ansible-playbook.

Golden file: test_golden_inventory compares `ansible-inventory --list` for
inventory_files/golden.netsapiens.yml with inventory_files/golden.json, on a v1-only and on a v2 server
(both must give the same inventory). After an intended change, regenerate it with

    NETSAPIENS_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/integration/test_inventory.py -k golden

and review the diff of golden.json before committing it.
"""

from __future__ import annotations

import json
import os
import re
import time

import pytest
import yaml

from harness import READS, REPO_ROOT, SECRETS, Emulator, check_server_untouched, emulator_auth, expected_record, pages_for, plain

INVENTORY_FILES = os.path.join(os.path.dirname(__file__), 'inventory_files')
GOLDEN_CONFIG = os.path.join(INVENTORY_FILES, 'golden.netsapiens.yml')
GOLDEN_JSON = os.path.join(INVENTORY_FILES, 'golden.json')
REPORT_PLAYBOOK = os.path.join(REPO_ROOT, 'playbooks', 'inventory_report.yml')
BIG_DOMAIN = 'big.99999.service'
BIG_USERS = 10000
PLUGIN = 'netsapiens.pbx.subscribers'


def safe_group(name):
    """What Ansible's default group name sanitising makes of a name."""
    return re.sub(r'^[\d\W]|[^\w]', '_', name)


def write_config(tmp_path, options, name='test.netsapiens.yml'):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(dict({'plugin': PLUGIN}, **options), allow_unicode=True, sort_keys=False), encoding='utf-8')
    return path


def inventory_of(result):
    """The JSON of `ansible-inventory --list`; with -v and more, messages come first on stdout."""
    assert result.rc == 0, result
    lines = result.stdout.splitlines()
    return json.loads('\n'.join(lines[lines.index('{'):]))


def hosts_of(inventory, group):
    return inventory.get(group, {}).get('hosts', [])


def no_secret_in(text):
    return [secret for secret in SECRETS if secret in text]


def subscribers_of(emulator, domain):
    return [raw for raw in emulator.records(domain) if not str(raw.get('srv_code') or '').startswith('system-')]


# ---------------------------------------------------------------------------------------------------------------------
# Golden file and the shape of hosts, variables and groups


def test_golden_inventory(run_inventory, emulator, api, domains):
    result = run_inventory(GOLDEN_CONFIG)
    got = inventory_of(result)
    if os.environ.get('NETSAPIENS_UPDATE_GOLDEN') == '1':
        with open(GOLDEN_JSON, 'w', encoding='utf-8') as handle:
            json.dump(got, handle, indent=1, sort_keys=True, ensure_ascii=False)
            handle.write('\n')
    if not os.path.exists(GOLDEN_JSON):
        pytest.fail('%s is missing; NETSAPIENS_UPDATE_GOLDEN=1 writes it' % GOLDEN_JSON)
    with open(GOLDEN_JSON, encoding='utf-8') as handle:
        expected = json.load(handle)
    assert got == expected, 'the inventory differs from %s (NETSAPIENS_UPDATE_GOLDEN=1 regenerates it)' % GOLDEN_JSON

    # The stored file is itself right: built from the emulator's ground truth, independently of the plugin.
    wanted_users = set(yaml.safe_load(open(GOLDEN_CONFIG, encoding='utf-8'))['filters']['user'])
    hostvars = plain(got['_meta']['hostvars'])
    expected_hosts = {}
    for domain in domains:
        for raw in subscribers_of(emulator, domain):
            if str(raw['user']) in wanted_users:
                expected_hosts['%s@%s' % (raw['user'], domain)] = expected_record(raw)
        group = safe_group('netsapiens_' + domain)
        assert hosts_of(got, group) == [name for name in expected_hosts if name.endswith('@' + domain)]
    assert set(hostvars) == set(expected_hosts)
    assert '8000@%s' % domains[0] not in hostvars, 'system users are left out by default'
    for name, record in expected_hosts.items():
        variables = hostvars[name]
        assert variables['netsapiens_subscriber'] == record
        assert variables['netsapiens_user'] == record['user'] and variables['netsapiens_domain'] == record['domain']
        assert (variables['netsapiens_scope'], variables['netsapiens_site'], variables['netsapiens_group']) == (
            record['scope'], record['site'], record['group'])
        assert variables['ansible_connection'] == 'local'
        # Our own template is trusted (not wrapped as unsafe); values from the server never are.
        assert got['_meta']['hostvars'][name]['ansible_python_interpreter'] == '{{ ansible_playbook_python }}'
        assert got['_meta']['hostvars'][name]['netsapiens_user'] == {'__ansible_unsafe': record['user']}

    stats = emulator.stats()
    assert stats['token_requests']['total'] == 1


def test_keyed_groups_compose_groups_and_hostname(run_inventory, emulator, tmp_path, domains):
    config = write_config(tmp_path, {
        'domains': domains[:2],
        'hostname': "user ~ '.' ~ domain.split('.')[0]",
        'local_connection': False,
        'domain_group_prefix': 'pbx_',
        'keyed_groups': [{'key': 'scope', 'prefix': 'scope'},
                         {'key': 'netsapiens_site', 'prefix': 'site', 'default_value': 'none'}],
        'compose': {'full_name': "first_name ~ ' ' ~ last_name", 'vm_timeout': 'no_answer_timeout | int'},
        'groups': {'voicemail_off': "vmail_enabled == 'no'"},
        'strict': True,
    })
    inventory = inventory_of(run_inventory(config))
    hostvars = plain(inventory['_meta']['hostvars'])
    truth = [expected_record(raw) for domain in domains[:2] for raw in subscribers_of(emulator, domain)]
    name = {(record['user'], record['domain']): '%s.%s' % (record['user'], record['domain'].split('.')[0]) for record in truth}
    assert set(hostvars) == set(name.values())
    for record in truth:
        host = name[(record['user'], record['domain'])]
        variables = hostvars[host]
        assert variables['full_name'] == '%s %s' % (record['first_name'], record['last_name'])
        assert variables['vm_timeout'] == int(record['no_answer_timeout'])
        assert 'ansible_connection' not in variables and 'ansible_python_interpreter' not in variables
        assert host in hosts_of(inventory, safe_group('scope_' + record['scope']))
        assert host in hosts_of(inventory, safe_group('site_' + (record['site'] or 'none')))
    assert sorted(hosts_of(inventory, 'voicemail_off')) == sorted(
        name[(record['user'], record['domain'])] for record in truth if record['vmail_enabled'] == 'no')
    assert hosts_of(inventory, 'voicemail_off')
    assert hosts_of(inventory, safe_group('pbx_' + domains[1])) == [
        name[(record['user'], record['domain'])] for record in truth if record['domain'] == domains[1]]


def test_filters_system_users_and_sensitive(run_inventory, emulator, tmp_path, domains):
    config = write_config(tmp_path, {'domains': [domains[1]], 'include_system_users': True, 'include_sensitive': True,
                                     'filters': {'scope': ['No Portal', 'Office Manager']}})
    hostvars = plain(inventory_of(run_inventory(config))['_meta']['hostvars'])
    expected = {'%s@%s' % (raw['user'], domains[1]): expected_record(raw, include_sensitive=True)
                for raw in emulator.records(domains[1]) if raw['scope'] in ('No Portal', 'Office Manager')}
    assert {'8000@%s' % domains[1], '8001@%s' % domains[1], '8002@%s' % domains[1]} <= set(expected)
    assert {name: variables['netsapiens_subscriber'] for name, variables in hostvars.items()} == expected
    assert all('subscriber_pin' in variables['netsapiens_subscriber'] for variables in hostvars.values())


def test_templated_connection_options_and_api_key(run_inventory, emulator, tmp_path, domains):
    """An API key from a lookup in the config file (v2 server: API keys need v2); no token request at all."""
    config = write_config(tmp_path, {'domains': ["{{ lookup('ansible.builtin.env', 'INVENTORY_TEST_DOMAINS') }}"],
                                     'api_url': "{{ lookup('ansible.builtin.env', 'INVENTORY_TEST_URL') }}/ns-api/v2",
                                     'api_key': "{{ lookup('ansible.builtin.env', 'INVENTORY_TEST_KEY') }}"})
    result = run_inventory(config, auth='none', unset=('NETSAPIENS_API_URL',), verbosity=4,
                           env={'INVENTORY_TEST_KEY': emulator_auth.RESELLER_API_KEY, 'INVENTORY_TEST_URL': emulator.url,
                                'INVENTORY_TEST_DOMAINS': ','.join(domains[:2])})
    inventory = inventory_of(result)
    assert len(inventory['_meta']['hostvars']) == len(subscribers_of(emulator, domains[0])) + len(subscribers_of(emulator, domains[1]))
    assert no_secret_in(result.output) == []
    stats = emulator.stats()
    assert stats['token_requests']['total'] == 0
    assert {request['auth'] for request in stats['requests'] if request['kind'] != 'v2_version'} == {'api_key'}


def test_one_auth_and_minimum_reads(run_inventory, emulator, api, domains):
    result = run_inventory(GOLDEN_CONFIG, verbosity=2)
    assert result.rc == 0, result
    stats = emulator.stats()
    reads = READS[api]
    assert stats['token_requests']['total'] == 1
    # domains: all lists the domains once, then a count and one page per domain (40-odd users each).
    assert stats['reads'][reads['count']] == len(domains)
    assert stats['reads'][reads['page']] == len(domains)
    listing = 'v1_domain_read' if api == 'v1' else 'v2_domains'
    assert stats['reads'][listing] == 1
    # version probe, token, the domain list (count + page), count + page each
    assert stats['requests_total'] == 1 + 1 + 2 + 2 * len(domains)
    assert 'records read from the server' in result.output


def test_inventory_cache(run_inventory, emulator, tmp_path, domains):
    cache_dir = tmp_path / 'cache'
    config = write_config(tmp_path, {'domains': domains[:2], 'cache': True, 'cache_plugin': 'ansible.builtin.jsonfile',
                                     'cache_connection': str(cache_dir), 'cache_timeout': 3600,
                                     'keyed_groups': [{'key': 'scope', 'prefix': 'scope'}]})
    first = run_inventory(config, verbosity=2)
    first_inventory = inventory_of(first)
    assert emulator.stats()['requests_total'] > 0
    assert 'records read from the server' in first.output
    cached_files = list(cache_dir.iterdir())
    assert len(cached_files) == 1
    assert no_secret_in(cached_files[0].read_text(encoding='utf-8')) == []

    emulator.reset()
    second = run_inventory(config, verbosity=2)
    assert inventory_of(second) == first_inventory
    assert emulator.stats()['requests_total'] == 0
    assert 'records read from the inventory cache' in second.output

    # --flush-cache reads the server again.
    emulator.reset()
    third = run_inventory(config, args=('--list', '--flush-cache'))
    assert inventory_of(third) == first_inventory
    assert emulator.stats()['token_requests']['total'] == 1

    # Other domains are another cache entry, not a stale answer.
    emulator.reset()
    other = write_config(tmp_path, {'domains': [domains[2]], 'cache': True, 'cache_plugin': 'ansible.builtin.jsonfile',
                                    'cache_connection': str(cache_dir)})
    other_inventory = inventory_of(run_inventory(other))
    assert len(other_inventory['_meta']['hostvars']) == len(subscribers_of(emulator, domains[2]))
    assert emulator.stats()['requests_total'] > 0


# ---------------------------------------------------------------------------------------------------------------------
# Errors: clear messages, no traceback, no secret at -vvvv


def _fails_clearly(result, *phrases):
    assert result.rc != 0, result
    for phrase in phrases:
        assert phrase in result.output, result
    assert 'Traceback' not in result.output
    assert no_secret_in(result.output) == []


def test_unknown_option(run_inventory, tmp_path, domains):
    config = write_config(tmp_path, {'domains': domains[:1], 'domian_group_prefix': 'x_'})
    _fails_clearly(run_inventory(config, verbosity=4), "unknown option 'domian_group_prefix' (did you mean 'domain_group_prefix'?)")


def test_missing_api_url(run_inventory, emulator, tmp_path, domains):
    config = write_config(tmp_path, {'domains': domains[:1]})
    result = run_inventory(config, unset=('NETSAPIENS_API_URL',), verbosity=4)
    _fails_clearly(result, "Option 'api_url' is required", 'NETSAPIENS_API_URL')
    assert emulator.stats()['requests_total'] == 0


def test_unreadable_domain(run_inventory, emulator, api, tmp_path, domains):
    """The Office Manager of the first domain may read only that one."""
    config = write_config(tmp_path, {'domains': domains[:2]})
    office_manager = {'NETSAPIENS_USERNAME': '%s@%s' % (emulator_auth.OFFICE_MANAGER_EXTENSION, domains[0]),
                      'NETSAPIENS_PASSWORD': emulator_auth.OFFICE_MANAGER_PASSWORD}
    result = run_inventory(config, env=office_manager, verbosity=4)
    _fails_clearly(result, "domain '%s'" % domains[1], '403', "scope 'Office Manager'")


@pytest.mark.parametrize('options, phrase', [
    ({'filters': {'vmail': 'yes'}}, "unknown subscriber field 'vmail'"),
    ({'hostname': 'domain'}, "both get the host name"),
    ({'hostname': 'no_such_field ~ user'}, 'the hostname expression failed'),
    ({'domains': []}, "option 'domain' is empty"),
])
def test_bad_options(run_inventory, tmp_path, domains, options, phrase):
    config = write_config(tmp_path, dict({'domains': domains[:1]}, **options))
    _fails_clearly(run_inventory(config, verbosity=4), phrase)


def test_wrong_password_shows_no_secret(run_inventory, tmp_path, domains):
    wrong = 'Wr0ng-Inventory-Passw0rd'
    config = write_config(tmp_path, {'domains': domains[:1], 'password': "{{ lookup('ansible.builtin.env', 'INVENTORY_TEST_PASSWORD') }}"})
    result = run_inventory(config, env={'INVENTORY_TEST_PASSWORD': wrong}, verbosity=4)
    _fails_clearly(result, 'Authentication failed')
    assert wrong not in result.output


def test_secrets_never_displayed_at_vvvv(run_inventory, tmp_path, domains):
    config = write_config(tmp_path, {'domains': domains[:1],
                                     'client_secret': "{{ lookup('ansible.builtin.env', 'INVENTORY_TEST_SECRET') }}"})
    result = run_inventory(config, env={'INVENTORY_TEST_SECRET': emulator_auth.CLIENT_SECRET}, verbosity=4)
    assert result.rc == 0, result
    assert no_secret_in(result.output) == []


def test_only_netsapiens_file_names(run_inventory, tmp_path, domains):
    config = write_config(tmp_path, {'domains': domains[:1]}, name='subscribers.yml')
    result = run_inventory(config)
    assert result.rc != 0
    assert "could not be verified by inventory plugin '%s'" % PLUGIN in result.output
    assert 'Traceback' not in result.output


# ---------------------------------------------------------------------------------------------------------------------
# The report playbook


def test_report_playbook(run_playbook, emulator, tmp_path, domains):
    config = write_config(tmp_path, {'domains': domains[:2]})
    report_dir = tmp_path / 'directory'
    result = run_playbook(REPORT_PLAYBOOK, {'report_dir': str(report_dir)}, args=('-i', str(config)))
    assert result.rc == 0, result
    for domain in domains[:2]:
        by_site = {}
        for raw in subscribers_of(emulator, domain):
            by_site.setdefault(raw['site'], []).append(str(raw['user']))
        files = sorted(path.name for path in (report_dir / domain).iterdir())
        assert files == sorted(re.sub(r'[^A-Za-z0-9_.-]+', '_', site or 'no-site') + '.txt' for site in by_site)
        for site, users in by_site.items():
            text = (report_dir / domain / (re.sub(r'[^A-Za-z0-9_.-]+', '_', site or 'no-site') + '.txt')).read_text(encoding='utf-8')
            assert '# %d subscribers' % len(users) in text
            listed = [line.split()[0] for line in text.splitlines() if line and not line.startswith('#')]
            assert len(listed) == len(users)
    assert emulator.stats()['token_requests']['total'] == 1


# ---------------------------------------------------------------------------------------------------------------------
# 10,000 subscribers


@pytest.fixture(scope='module')
def big_emulator():
    server = Emulator(domains=1, users_per_domain=5, big_domain_users=BIG_USERS)
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize('version', ['v1', 'v2'])
def test_ten_thousand_subscribers(run_inventory, big_emulator, tmp_path, capsys, version):
    big_emulator.configure(v1_only=version == 'v1')
    big_emulator.reset()
    config = write_config(tmp_path, {'domains': [BIG_DOMAIN], 'api_version': version})
    started = time.monotonic()
    result = run_inventory(config, env={'NETSAPIENS_API_URL': big_emulator.url}, verbosity=2, args=('--graph',))
    elapsed = time.monotonic() - started
    assert result.rc == 0, result
    assert len(re.findall(r'@%s$' % re.escape(BIG_DOMAIN), result.stdout, re.MULTILINE)) == BIG_USERS
    stats = big_emulator.stats()
    reads = READS[version]
    assert stats['token_requests']['total'] == 1
    assert stats['reads'][reads['count']] == 1
    assert stats['reads'][reads['page']] == pages_for(BIG_USERS)
    assert stats['requests_total'] == 1 + 1 + pages_for(BIG_USERS)  # token, count, pages
    check_server_untouched(big_emulator)
    timing = re.search(r'records read from the server in ([0-9.]+) s, hosts added in ([0-9.]+) s', result.output)
    assert timing, result
    with capsys.disabled():
        print('\n10,000-subscriber inventory (API %s): ansible-inventory --graph %.1f s; plugin read %s s, hosts added %s s'
              % (version, elapsed, timing.group(1), timing.group(2)))
