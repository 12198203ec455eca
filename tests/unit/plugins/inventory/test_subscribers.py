# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure parts of the netsapiens.pbx.subscribers inventory plugin: file names, host names, variables, groups."""

from __future__ import annotations

import os
import stat

import pytest

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader
from ansible.template import Templar, is_trusted_as_template, trust_as_template

from ansible_collections.netsapiens.pbx.plugins.inventory import subscribers
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.subscriber import SUBSCRIBER
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import compile_filters

RECORD = {'user': '1001', 'domain': 'acme.example.com', 'first_name': 'Dana', 'last_name': 'Lopez', 'scope': 'Office Manager',
          'site': 'San Diego', 'group': 'Sales', 'srv_code': '', 'email': 'dana@acme.example'}
SYSTEM = dict(RECORD, user='8000', srv_code='system-queue', scope='No Portal')


@pytest.fixture
def plugin():
    instance = inventory_loader.get('netsapiens.pbx.subscribers')
    assert instance is not None
    instance.loader = DataLoader()
    instance.inventory = InventoryData()
    instance._vars = {}
    return instance


def configure(instance, **options):
    direct = {'plugin': 'netsapiens.pbx.subscribers', 'domains': ['acme.example.com'], 'api_url': 'https://pbx.example.com'}
    direct.update(options)
    instance.set_options(direct=direct)


@pytest.mark.parametrize('path, wanted', [
    ('acme.netsapiens.yml', True),
    ('/etc/ansible/reseller.netsapiens.yaml', True),
    ('netsapiens.yml', False),
    ('acme.yml', False),
    ('acme.netsapiens.yml.bak', False),
    ('acme.netsapiens.json', False),
    ('acme_netsapiens.yml', False),
    ('hosts', False),
])
def test_config_file_names(path, wanted):
    assert subscribers.is_config_file_name(path) is wanted


def test_verify_file_needs_the_name_and_a_readable_file(plugin, tmp_path):
    good = tmp_path / 'acme.netsapiens.yml'
    good.write_text('plugin: netsapiens.pbx.subscribers\n', encoding='utf-8')
    other = tmp_path / 'acme.yml'
    other.write_text('plugin: netsapiens.pbx.subscribers\n', encoding='utf-8')
    assert plugin.verify_file(str(good)) is True
    assert plugin.verify_file(str(tmp_path / 'absent.netsapiens.yaml')) is False
    assert plugin.verify_file(str(other)) is False


def test_default_hostname():
    assert subscribers.default_hostname(RECORD) == '1001@acme.example.com'
    assert subscribers.default_hostname(dict(RECORD, user='sp ace')) == 'sp ace@acme.example.com'


def test_system_users():
    assert subscribers.is_system_user(SYSTEM)
    assert not subscribers.is_system_user(RECORD)
    assert not subscribers.is_system_user(dict(RECORD, srv_code='systemic'))
    assert not subscribers.is_system_user({'user': '1'})


def test_select_records():
    records = [RECORD, SYSTEM, dict(RECORD, user='1002', scope='Basic User')]
    assert subscribers.select_records(records, {}, False) == [records[0], records[2]]
    assert subscribers.select_records(records, {}, True) == records
    assert subscribers.select_records(records, compile_filters({'scope': ['No Portal', 'Basic User']}, SUBSCRIBER), True) == records[1:]


def test_host_variables():
    variables = subscribers.host_variables(RECORD)
    assert variables['netsapiens_subscriber'] is RECORD
    assert (variables['netsapiens_user'], variables['netsapiens_domain'], variables['netsapiens_scope'], variables['netsapiens_site'],
            variables['netsapiens_group']) == ('1001', 'acme.example.com', 'Office Manager', 'San Diego', 'Sales')
    assert variables['ansible_connection'] == 'local'
    assert variables['ansible_python_interpreter'] == '{{ ansible_playbook_python }}'
    assert is_trusted_as_template(variables['ansible_python_interpreter'])
    assert not is_trusted_as_template(variables['netsapiens_user'])
    local_off = subscribers.host_variables({'user': '1'}, local_connection=False)
    assert 'ansible_connection' not in local_off and 'ansible_python_interpreter' not in local_off
    assert local_off['netsapiens_site'] == ''


@pytest.mark.parametrize('domain, prefix, group', [
    ('acme.example.com', 'netsapiens_', 'netsapiens_acme_example_com'),
    ('acme.12345.service', '', 'acme_12345_service'),
    ('big-co.example.com', 'pbx-', 'pbx_big_co_example_com'),
    ('12345.service', None, '_2345_service'),
])
def test_domain_group_names(plugin, domain, prefix, group):
    assert subscribers.domain_group_name(domain, prefix, plugin._sanitize_group_name) == group


@pytest.mark.parametrize('value, domains', [
    (['a.example.com', 'b.example.com'], ['a.example.com', 'b.example.com']),
    ('all', ['all']),
    (['all'], ['all']),
    ('a.example.com, b.example.com', ['a.example.com', 'b.example.com']),
    (['a.example.com,b.example.com', '', None], ['a.example.com', 'b.example.com']),
])
def test_domains_option(value, domains):
    assert subscribers.domains_option(value) == domains


@pytest.mark.parametrize('value, message', [([], 'is empty'), ('', 'is empty'), ({'a': 1}, 'must be a list')])
def test_bad_domains_option(value, message):
    with pytest.raises(AnsibleParserError, match=message):
        subscribers.domains_option(value)


def test_unknown_options_message():
    message = subscribers.unknown_options_message(['domain', 'zzz'], ['domains', 'filters', 'hostname'], '/x/a.netsapiens.yml')
    assert "/x/a.netsapiens.yml has unknown options 'domain' (did you mean 'domains'?), 'zzz'." in message


def test_cache_key_digest():
    values = {'api_url': 'https://pbx', 'username': 'admin', 'password': 'Secret-1', 'domains': ['a', 'b'], 'include_sensitive': False}
    one = subscribers.cache_key_digest(values, 'salt')
    assert one == subscribers.cache_key_digest(dict(reversed(list(values.items()))), 'salt')
    assert len(one) == 32 and all(character in '0123456789abcdef' for character in one)
    for change in ({'password': 'Secret-2'}, {'api_url': 'https://other'}, {'include_sensitive': True}, {'domains': ['a']},
                   {'api_key': 'nsr_x'}):
        assert subscribers.cache_key_digest(dict(values, **change), 'salt') != one, change
    assert subscribers.cache_key_digest(values, 'other salt') != one
    assert 'admin' not in one and 'Secret' not in one


def test_cache_files_are_found_by_key_and_made_private(tmp_path):
    key = 'netsapiens.pbx.subscribers_k123456_' + 'ab' * 16
    written = tmp_path / ('ansible_inventory_s1_' + key)
    other = tmp_path / 'ansible_inventory_s1_netsapiens.pbx.subscribers_k123456_other'
    for path in (written, other):
        path.write_text('{}', encoding='utf-8')
        path.chmod(0o644)
    found = subscribers.cache_files(str(tmp_path), key)
    assert found == [str(written)]
    subscribers.make_private(found)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600 and stat.S_IMODE(other.stat().st_mode) == 0o644
    assert subscribers.cache_files(str(tmp_path / 'absent'), key) == [] and subscribers.cache_files(None, key) == []


def test_owner_only_umask(tmp_path):
    before = os.umask(0o022)
    try:
        with subscribers.owner_only_umask():
            os.makedirs(tmp_path / 'cache')
        after = os.umask(0o022)
    finally:
        os.umask(before)
    assert stat.S_IMODE((tmp_path / 'cache').stat().st_mode) == 0o700
    assert after == 0o022, 'the umask is restored'


def test_only_options_of_the_file_are_templated(plugin, monkeypatch, tmp_path):
    """NETSAPIENS_* values are used literally: a '{{' in a password, a lookup payload in a user name."""
    marker = tmp_path / 'payload-ran'
    monkeypatch.setenv('NETSAPIENS_PASSWORD', 'x{{y')
    monkeypatch.setenv('NETSAPIENS_USERNAME', "{{ lookup('pipe', 'touch %s') }}" % marker)
    configure(plugin, api_key=trust_as_template("{{ 'nsr_' ~ 'key' }}"))
    plugin.templar = Templar(loader=plugin.loader)
    plugin._template_options()
    assert plugin.get_option('api_key') == 'nsr_key'
    assert plugin.get_option('password') == 'x{{y'
    assert plugin.get_option('username') == "{{ lookup('pipe', 'touch %s') }}" % marker
    assert not marker.exists()


@pytest.mark.parametrize('name, shown', [('password', False), ('client_secret', False), ('api_key', False), ('username', True)])
def test_template_errors_of_secret_options_do_not_quote_them(plugin, name, shown):
    configure(plugin, **{name: trust_as_template('Secr{{ et_part }}-Pa55')})
    plugin.templar = Templar(loader=plugin.loader)
    with pytest.raises(AnsibleParserError, match="could not template option '%s'" % name) as caught:
        plugin._template_options()
    assert ('et_part' in str(caught.value)) is shown
    assert 'Pa55' not in str(caught.value)


def test_valid_cache_entry():
    assert subscribers.valid_cache_entry({'format': subscribers.CACHE_FORMAT, 'domains': [], 'records': [], 'attached': {}})
    assert not subscribers.valid_cache_entry({'format': subscribers.CACHE_FORMAT, 'domains': [], 'records': []})
    assert not subscribers.valid_cache_entry({'domains': [], 'records': [], 'attached': {}})
    assert not subscribers.valid_cache_entry(None)


def test_hostname_expression(plugin):
    configure(plugin)
    assert plugin._hostname(RECORD) == '1001@acme.example.com'
    configure(plugin, hostname=trust_as_template("first_name | lower ~ '.' ~ user"))
    assert plugin._hostname(RECORD) == 'dana.1001'


@pytest.mark.parametrize('expression, message', [
    ('missing_field', 'the hostname expression failed for subscriber 1001@acme.example.com'),
    ("''", 'gave no usable name'),
    ('[user]', 'gave no usable name'),
])
def test_bad_hostname_expression(plugin, expression, message):
    configure(plugin, hostname=trust_as_template(expression))
    with pytest.raises(AnsibleParserError, match=message):
        plugin._hostname(RECORD)


def test_populate_groups_and_variables(plugin):
    configure(plugin, keyed_groups=[{'key': trust_as_template('scope'), 'prefix': 'scope'}])
    second = dict(RECORD, user='1002', scope='Basic User', site='')
    plugin._populate(['acme.example.com', 'empty.example.com'], [RECORD, second], {})
    groups = plugin.inventory.groups
    domain_hosts = sorted(host.name for host in groups['netsapiens_acme_example_com'].get_hosts())
    assert domain_hosts == ['1001@acme.example.com', '1002@acme.example.com']
    assert 'netsapiens_empty_example_com' in groups
    assert [host.name for host in groups['scope_Office_Manager'].get_hosts()] == ['1001@acme.example.com']
    assert [host.name for host in groups['scope_Basic_User'].get_hosts()] == ['1002@acme.example.com']
    host_vars = plugin.inventory.get_host('1002@acme.example.com').vars
    assert host_vars['netsapiens_subscriber'] == second and host_vars['netsapiens_site'] == ''


def test_populate_without_domain_groups(plugin):
    configure(plugin, domain_groups=False)
    plugin._populate(['acme.example.com'], [RECORD], {})
    assert 'netsapiens_acme_example_com' not in plugin.inventory.groups
    assert '1001@acme.example.com' in plugin.inventory.hosts


def test_duplicate_host_names(plugin):
    configure(plugin, hostname=trust_as_template('domain'))
    with pytest.raises(AnsibleParserError, match="1001@acme.example.com and 1002@acme.example.com both get the host name 'acme.example.com'"):
        plugin._populate(['acme.example.com'], [RECORD, dict(RECORD, user='1002')], {})


def test_attached_records_become_host_variables(plugin):
    configure(plugin)
    device = {'aor': 'sip:1001a@acme.example.com', 'subscriber_name': '1001', 'model': 'Yealink T54W'}
    attached = {'devices': {'1001@acme.example.com': [device]}, 'answerrules': {}}
    plugin._populate(['acme.example.com'], [RECORD, dict(RECORD, user='1002')], attached)
    first = plugin.inventory.get_host('1001@acme.example.com').vars
    second = plugin.inventory.get_host('1002@acme.example.com').vars
    assert first['netsapiens_devices'] == [device] and first['netsapiens_answerrules'] == []
    assert second['netsapiens_devices'] == [] and second['netsapiens_answerrules'] == []


def test_record_fields_keep_only_the_named_fields_and_groups_still_see_every_field(plugin):
    configure(plugin, record_fields=['user', 'email', 'scope', 'vmail_enabled'],
              keyed_groups=[{'key': trust_as_template('site'), 'prefix': 'site'}],
              compose={'label': trust_as_template("netsapiens_subscriber.first_name ~ ' ' ~ last_name")})
    plugin._populate(['acme.example.com'], [RECORD], {})
    host_vars = plugin.inventory.get_host('1001@acme.example.com').vars
    # vmail_enabled is not in the record: fields the server does not send are left out.
    assert host_vars['netsapiens_subscriber'] == {'user': '1001', 'email': 'dana@acme.example', 'scope': 'Office Manager'}
    assert list(host_vars['netsapiens_subscriber']) == ['user', 'email', 'scope']
    assert (host_vars['netsapiens_domain'], host_vars['netsapiens_site'], host_vars['netsapiens_group']) == (
        'acme.example.com', 'San Diego', 'Sales')
    assert [host.name for host in plugin.inventory.groups['site_San_Diego'].get_hosts()] == ['1001@acme.example.com']
    assert host_vars['label'] == 'Dana Lopez'


def test_without_record_fields_every_field_is_kept(plugin):
    configure(plugin)
    plugin._populate(['acme.example.com'], [RECORD], {})
    assert plugin.inventory.get_host('1001@acme.example.com').vars['netsapiens_subscriber'] == RECORD
    configure(plugin, record_fields=[])
    plugin._populate(['acme.example.com'], [dict(RECORD, user='1002')], {})
    assert plugin.inventory.get_host('1002@acme.example.com').vars['netsapiens_subscriber'] == {}


def test_an_unknown_record_field_is_an_error_with_a_hint(plugin):
    configure(plugin, record_fields=['user', 'emial'])
    with pytest.raises(AnsibleParserError, match="option 'record_fields' names an unknown subscriber field 'emial'. Did you mean 'email'"):
        plugin._populate(['acme.example.com'], [RECORD], {})
