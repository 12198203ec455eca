# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The directory role (playbooks/directory.yml) against the emulator: every file parses (XML with ElementTree, LDIF with
the `ldif` package's parser, CSV with the csv module) and holds exactly the users computed from the emulator's stored
records, awkward names intact (the emulator's directory_users switch adds them); a second run changes nothing; check
mode writes nothing and --diff shows what would change."""

from __future__ import annotations

import csv
import os
import re
import string
from xml.etree import ElementTree

import ldif
import pytest
from netsapiens_emulator import auth as emulator_auth

from harness import REPO_ROOT

DIRECTORY = os.path.join(REPO_ROOT, 'playbooks', 'directory.yml')
FILES = ('yealink.xml', 'poly-000000000000-directory.xml', 'grandstream.xml', 'directory.ldif', 'directory.csv')
UNGROUPED = 'Other'
FORMULA_START = ('=', '+', '-', '@', '\t', '\r')
RECAP = re.compile(r'^localhost\s*:\s*ok=(\d+)\s+changed=(\d+)', re.MULTILINE)


# -- what the files must hold, from the emulator's stored records -------------------------------------------------

def _text(value):
    return '' if value is None else str(value).strip()


def listed_people(records):
    """The users a directory shows, in directory order: no system user, none hidden (dir_list no), none without a name."""
    people = []
    for raw in records:
        first, last = _text(raw['first_name']), _text(raw['last_name'])
        if str(raw.get('srv_code') or '').startswith('system-') or _text(raw.get('dir_list')).lower() == 'no':
            continue
        if first or last:
            people.append({'user': str(raw['user']), 'first': first, 'last': last, 'name': ' '.join(p for p in (first, last) if p),
                           'group': _text(raw['group']) or UNGROUPED, 'site': _text(raw['site']),
                           'emails': [part.strip() for part in str(raw['email'] or '').split(';') if part.strip()]})
    return sorted(people, key=lambda person: (person['last'].casefold(), person['first'].casefold(), person['user']))


def by_group(people):
    """The people in the order of the grouped formats: groups by name, the ungrouped last."""
    names = sorted({person['group'] for person in people} - {UNGROUPED}, key=lambda name: (name.casefold(), name))
    return [person for name in names + [UNGROUPED] for person in people if person['group'] == name]


def default_base_dn(domain):
    return 'ou=phones,' + ','.join('dc=' + label for label in domain.split('.'))


def first_rdn(dn):
    """(value of the first RDN, unescaped as RFC 4514 says, the rest of the DN)."""
    value, index = [], dn.index('=') + 1
    while index < len(dn):
        char = dn[index]
        if char == ',':
            return ''.join(value), dn[index + 1:]
        if char == '\\':
            pair = dn[index + 1:index + 3]
            if len(pair) == 2 and all(digit in string.hexdigits for digit in pair):
                value.append(chr(int(pair, 16)))
                index += 3
                continue
            char = dn[index + 1]
            index += 1
        value.append(char)
        index += 1
    return ''.join(value), ''


def neutral(value):
    return "'" + value if value.startswith(FORMULA_START) and not re.match(r'[+-]?\d+(\.\d+)?\Z', value) else value


# -- reading the files with real parsers --------------------------------------------------------------------------

def yealink_units(path):
    root = ElementTree.parse(path).getroot()
    assert root.tag == 'YealinkIPPhoneBook'
    return [(menu.get('Name'), unit.get('Name'), unit.get('Phone1'), unit.get('Phone2'), unit.get('Phone3'))
            for menu in root.findall('Menu') for unit in menu.findall('Unit')]


def poly_items(path):
    root = ElementTree.parse(path).getroot()
    assert root.tag == 'directory'
    return [(item.findtext('ln'), item.findtext('fn'), item.findtext('ct')) for item in root.findall('item_list/item')]


def grandstream_contacts(path):
    root = ElementTree.parse(path).getroot()
    assert root.tag == 'AddressBook'
    groups = {group.findtext('id'): group.findtext('name') for group in root.findall('pbgroup')}
    return [(groups[contact.findtext('Group')], contact.findtext('LastName'), contact.findtext('FirstName'),
             [phone.findtext('phonenumber') for phone in contact.findall('Phone')]) for contact in root.findall('Contact')]


def ldif_entries(path):
    with open(path, 'rb') as handle:
        return list(ldif.LDIFParser(handle).parse())


def csv_rows(path):
    with open(path, encoding='utf-8', newline='') as handle:
        return list(csv.DictReader(handle))


def contents(directory):
    """relative path -> (bytes, mtime) of every file under directory."""
    found = {}
    for root, _dirs, names in os.walk(directory):
        for name in names:
            path = os.path.join(root, name)
            with open(path, 'rb') as handle:
                found[os.path.relpath(path, directory)] = (handle.read(), os.stat(path).st_mtime_ns)
    return found


def recap(result):
    match = RECAP.search(result.stdout)
    assert match, result
    return {'ok': int(match.group(1)), 'changed': int(match.group(2))}


# -- tests --------------------------------------------------------------------------------------------------------

def check_domain(folder, domain, people):
    grouped = by_group(people)
    assert yealink_units(folder / 'yealink.xml') == [(p['group'], p['name'], p['user'], '', '') for p in grouped]
    assert poly_items(folder / 'poly-000000000000-directory.xml') == [(p['last'], p['first'], p['user']) for p in people]
    assert grandstream_contacts(folder / 'grandstream.xml') == [(p['group'], p['last'], p['first'], [p['user']]) for p in grouped]
    entries = ldif_entries(folder / 'directory.ldif')
    assert [first_rdn(dn) for dn, _entry in entries] == [(p['user'], default_base_dn(domain)) for p in people]
    for (_dn, entry), person in zip(entries, people):
        assert entry['objectClass'] == ['top', 'person', 'organizationalPerson', 'inetOrgPerson']
        assert entry['uid'] == [person['user']] and entry['cn'] == [person['name']] and entry['telephoneNumber'] == [person['user']]
        assert entry['sn'] == [person['last'] or person['first']] and entry.get('mail', []) == person['emails']
    rows = csv_rows(folder / 'directory.csv')
    assert [(row['name'], row['extension'], row['last_name']) for row in rows] == [
        (neutral(p['name']), neutral(p['user']), neutral(p['last'])) for p in people]
    return {'yealink': yealink_units(folder / 'yealink.xml'), 'ldif': entries, 'csv': rows}


def test_every_file_parses_and_holds_exactly_the_listed_users(run_playbook, emu, api, domains, tmp_path):
    emu.configure(directory_users=domains[0])
    result = run_playbook(DIRECTORY, {'directory_output_dir': str(tmp_path / 'out')})
    assert result.rc == 0, result
    assert sorted(os.listdir(tmp_path / 'out')) == sorted(domains)
    for domain in domains:
        assert sorted(os.listdir(tmp_path / 'out' / domain)) == sorted(FILES)
        people = listed_people(emu.records(domain))
        seen = check_domain(tmp_path / 'out' / domain, domain, people)
        if domain != domains[0]:
            continue
        names = {person['name'] for person in people}
        assert {"O'Brien & S\u00f8n <Sales>", 'Sammy Davis, Jr.', 'Zo\u00eb M\u00fcller', '\u00c9lodie \u5f20\u4f1f',
                'Line\nBreak Tab\there', 'Dwayne "The Rock" =Johnson', 'Lead Trail', "Owen O'Neil"} <= names
        assert {unit[1] for unit in seen['yealink']} == {entry['cn'][0] for _dn, entry in seen['ldif']} == names
        users = {person['user'] for person in people}
        assert not users & {'8000', '8001', '8002', '9106', '9107', '9108'}
        assert '#9 1,0+"\\<>;= ' in users and {'p+lus', 'zo\u00eb', "o'neil"} <= users
        assert [row['last_name'] for row in seen['csv'] if row['extension'] == '9103'] == ["'=Johnson"]
    # One authentication for the whole run, every domain read in the one task.
    assert emu.stats()['token_requests']['total'] == 1


def test_second_run_changes_nothing_and_check_mode_writes_nothing(run_playbook, emu, domains, tmp_path):
    out = tmp_path / 'out'
    variables = {'directory_output_dir': str(out)}
    first = run_playbook(DIRECTORY, variables, verbosity=1)
    assert first.rc == 0 and recap(first)['changed'] == 2, first  # the directories task and the files task
    written = contents(out)
    assert len(written) == len(domains) * len(FILES)
    again = run_playbook(DIRECTORY, variables, verbosity=1)
    assert again.rc == 0 and recap(again)['changed'] == 0, again
    assert contents(out) == written
    emu.configure(directory_users=domains[1])
    check = run_playbook(DIRECTORY, variables, verbosity=1, check=True, args=('--diff',))
    assert check.rc == 0 and recap(check)['changed'] == 1, check
    assert contents(out) == written
    assert '+    <Unit Name="O&apos;Brien &amp; S\u00f8n &lt;Sales&gt;" Phone1="9101"' in check.stdout
    assert 'changed: [localhost] => (item=%s/directory.ldif)' % domains[1] in check.stdout
    assert 'changed: [localhost] => (item=%s/directory.ldif)' % domains[0] not in check.stdout
    fresh = run_playbook(DIRECTORY, {'directory_output_dir': str(tmp_path / 'fresh')}, verbosity=1, check=True)
    assert fresh.rc == 0 and not os.path.exists(tmp_path / 'fresh'), fresh


def test_formats_templates_domains_dids_groups_and_base_dn(run_playbook, emulator, domains, tmp_path):
    domain = domains[0]
    templates = tmp_path / 'templates'
    templates.mkdir()
    (templates / 'directory.csv.j2').write_text('{% for entry in directory_phonebook.entries %}'
                                                '{{ entry.extension }};{{ entry.dids | join("|") }}\n{% endfor %}', encoding='utf-8')
    dids = ['+18585550100', '+18585550101']
    result = run_playbook(DIRECTORY, {
        'directory_output_dir': str(tmp_path / 'out'), 'domains': [domain], 'directory_formats': ['csv', 'ldif', 'yealink'],
        'directory_templates_path': str(templates), 'directory_dids': {'1001@' + domain: dids},
        'directory_ldap_base_dn': {domain: 'ou=people,dc=example,dc=com'}, 'directory_group_by': 'none',
        'directory_ungrouped_label': 'Acme Corp'})
    assert result.rc == 0, result
    assert os.listdir(tmp_path / 'out') == [domain]
    folder = tmp_path / 'out' / domain
    assert sorted(os.listdir(folder)) == ['directory.csv', 'directory.ldif', 'yealink.xml']
    people = listed_people(emulator.records(domain))
    lines = (folder / 'directory.csv').read_text(encoding='utf-8').splitlines()
    assert lines == [person['user'] + (';' + '|'.join(dids) if person['user'] == '1001' else ';') for person in people]
    units = yealink_units(folder / 'yealink.xml')
    assert {unit[0] for unit in units} == {'Acme Corp'} and [unit[2] for unit in units] == [person['user'] for person in people]
    assert [unit[3:] for unit in units if unit[2] == '1001'] == [tuple(dids)]
    entries = dict((first_rdn(dn)[0], (first_rdn(dn)[1], entry)) for dn, entry in ldif_entries(folder / 'directory.ldif'))
    assert {base for base, _entry in entries.values()} == {'ou=people,dc=example,dc=com'}
    assert entries['1001'][1]['telephoneNumber'] == ['1001'] + dids


def test_connection_from_role_variables(run_playbook, emulator, domains, tmp_path):
    """The directory_* connection variables reach the module (the environment points elsewhere); no secret is shown."""
    connection = {'DIRECTORY_TEST_API_URL': emulator.url, 'DIRECTORY_TEST_CLIENT_ID': emulator_auth.CLIENT_ID,
                  'DIRECTORY_TEST_CLIENT_SECRET': emulator_auth.CLIENT_SECRET, 'DIRECTORY_TEST_USERNAME': emulator_auth.RESELLER_USER,
                  'DIRECTORY_TEST_PASSWORD': emulator_auth.RESELLER_PASSWORD, 'NETSAPIENS_API_URL': 'http://127.0.0.1:9'}
    result = run_playbook('directory_role_vars.yml', {
        'directory_output_dir': str(tmp_path / 'out'), 'directory_domains': [domains[1]], 'directory_formats': ['poly']},
        auth='none', env=connection)
    assert result.rc == 0, result
    people = listed_people(emulator.records(domains[1]))
    assert poly_items(tmp_path / 'out' / domains[1] / 'poly-000000000000-directory.xml') == [
        (p['last'], p['first'], p['user']) for p in people]
    stats = emulator.stats()
    assert stats['token_requests']['total'] == 1 and stats['token_requests']['v1'] == 1


@pytest.mark.parametrize('variables, words', [
    ({'directory_templates_path': '/nonexistent/templates'},
     ["directory_templates_path: '/nonexistent/templates' is not a directory on the controller."]),
    ({'directory_formats': ['yealink', 'vcard']}, ['directory_formats', 'vcard']),
    ({'directory_group_by': 'floor'}, ['directory_group_by', 'floor']),
])
def test_bad_role_variables_fail_before_any_request(run_playbook, emulator, tmp_path, variables, words):
    result = run_playbook(DIRECTORY, dict(variables, directory_output_dir=str(tmp_path / 'out')), verbosity=1)
    assert result.rc != 0, result
    for word in words:
        assert word in result.stdout, (word, result)
    assert 'Traceback' not in result.output
    assert emulator.stats()['requests_total'] == 0 and not os.path.exists(tmp_path / 'out')


def test_dids_from_the_phone_numbers_with_one_login(run_playbook, emu, api, domains, tmp_path):
    domain = domains[0]
    result = run_playbook(DIRECTORY, {'directory_output_dir': str(tmp_path / 'out'), 'directory_include_dids': True,
                                      'domains': [domain], 'directory_formats': ['ldif']})
    assert result.rc == 0, result
    routed = {}
    for number in emu.objects('phonenumber', domain):
        if str(number.get('enable', 'yes')) != 'no' and number.get('to_user') and number.get('dest_domain') == domain:
            routed.setdefault(str(number['to_user']), []).append(str(number['matchrule']).replace('sip:', '').split('@', maxsplit=1)[0])
    entries = dict((entry['uid'][0], entry) for _dn, entry in ldif_entries(tmp_path / 'out' / domain / 'directory.ldif'))
    listed = sorted(user for user in routed if user in entries)
    assert len(listed) > 5
    for user in listed:
        assert entries[user]['telephoneNumber'] == [user] + routed[user]
    assert sorted(user for user, entry in entries.items() if len(entry['telephoneNumber']) > 1) == listed
    # The login and both reads share one token.
    assert emu.stats()['token_requests']['total'] == 1
