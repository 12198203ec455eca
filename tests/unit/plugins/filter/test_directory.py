# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filters of the directory role: phone_directories, xml_escape, ldif_line and ldap_dn_escape."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.netsapiens.pbx.plugins.filter.directory import (FilterModule, dids_of_numbers, ldap_dn_escape, ldif_line, phone_directories,
                                                                         xml_escape)

AWKWARD = ("O'Brien & S\u00f8n <Sales>", 'Dwayne "The Rock"', 'Davis, Jr.', 'Zo\u00eb', 'Line\nBreak\tTab', 'a > b\r',
           '\u5f20\u4f1f', ']]>', '&amp;')


def record(user, first, last, domain='acme.example', **fields):
    return dict({'user': user, 'domain': domain, 'first_name': first, 'last_name': last, 'srv_code': '', 'dir_list': 'yes',
                 'group': '', 'site': '', 'email': ''}, **fields)


def test_the_filters_are_registered():
    assert sorted(FilterModule().filters()) == ['ldap_dn_escape', 'ldif_line', 'phone_directories', 'xml_escape']


# -- xml_escape ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('text', AWKWARD)
def test_xml_escape_reads_back_exactly_in_text_and_attributes(text):
    document = '<a v="%s" w=\'%s\'>%s</a>' % (xml_escape(text), xml_escape(text), xml_escape(text))
    element = ET.fromstring(document.encode('utf-8'))
    assert element.text == text and element.get('v') == text and element.get('w') == text


def test_xml_escape_drops_what_xml_cannot_hold_and_keeps_non_ascii():
    assert xml_escape('a\x00b\x07c\x1fd\ufffe') == 'abcd'
    assert xml_escape('S\u00f8n') == 'S\u00f8n'
    assert xml_escape('<&>"\'') == '&lt;&amp;&gt;&quot;&apos;'
    assert xml_escape(None) == '' and xml_escape(25) == '25'


# -- ldap_dn_escape -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize('value, escaped', [
    ('1001', '1001'),
    ('a,b', 'a\\,b'),
    ('a+b', 'a\\+b'),
    ('say "hi"', 'say \\"hi\\"'),
    ('back\\slash', 'back\\\\slash'),
    ('<tag>', '\\<tag\\>'),
    ('a;b', 'a\\;b'),
    ('a=b', 'a\\=b'),
    ('#1', '\\#1'),
    ('a#1', 'a#1'),
    (' lead', '\\ lead'),
    ('trail ', 'trail\\ '),
    (' ', '\\ '),
    ('in side', 'in side'),
    ('nul\x00', 'nul\\00'),
    ('Zo\u00eb', 'Zo\u00eb'),
    ('', ''),
    ('#9 1,0+"\\<>;= ', '\\#9 1\\,0\\+\\"\\\\\\<\\>\\;\\=\\ '),
])
def test_ldap_dn_escape(value, escaped):
    assert ldap_dn_escape(value) == escaped


# -- ldif_line ----------------------------------------------------------------------------------------------------

def _decoded(line, attribute):
    unfolded = line.replace('\n ', '')
    if unfolded.startswith(attribute + ':: '):
        return base64.b64decode(unfolded[len(attribute) + 3:]).decode('utf-8')
    assert unfolded.startswith(attribute + ': '), line
    return unfolded[len(attribute) + 2:]


def test_ldif_line_plain_ascii_is_written_as_is():
    assert ldif_line('Dana Lopez', 'cn') == 'cn: Dana Lopez'
    assert ldif_line(1001, 'telephoneNumber') == 'telephoneNumber: 1001'
    assert ldif_line('uid=1\\,0,ou=phones,dc=acme', 'dn') == 'dn: uid=1\\,0,ou=phones,dc=acme'


@pytest.mark.parametrize('value', AWKWARD[3:7] + (' lead', 'trail ', ':colon', '<less', 'tab\t', 'bell\x07'))
def test_ldif_line_base64_for_anything_else(value):
    line = ldif_line(value, 'cn')
    assert line.startswith('cn:: ') and _decoded(line, 'cn') == value


def test_ldif_line_folds_long_lines_and_keeps_the_value():
    value = 'x' * 200
    line = ldif_line(value, 'description')
    assert all(len(part) <= 76 for part in line.split('\n')) and line.count('\n') == 2
    assert all(part.startswith(' ') for part in line.split('\n')[1:])
    assert _decoded(line, 'description') == value
    folded = ldif_line('\u00e9' * 100, 'cn')
    assert all(len(part) <= 76 for part in folded.split('\n')) and _decoded(folded, 'cn') == '\u00e9' * 100


def test_ldif_line_lists_and_empty_values():
    assert ldif_line(['a@x.example', '', None, 'b@x.example'], 'mail') == 'mail: a@x.example\nmail: b@x.example'
    assert ldif_line('', 'mail') == '' and ldif_line(None, 'mail') == '' and ldif_line([], 'mail') == ''


@pytest.mark.parametrize('attribute', ['', 'c n', 'cn:', '-cn', 'cn\n', None, 3])
def test_ldif_line_refuses_a_bad_attribute_name(attribute):
    with pytest.raises(AnsibleFilterError, match='netsapiens.pbx.ldif_line: .* is not an LDAP attribute name'):
        ldif_line('x', attribute)


# -- phone_directories --------------------------------------------------------------------------------------------

RECORDS = [
    record('1001', 'Dana', 'lopez', group='Sales', site='HQ', email='dana@acme.example; d@acme.example'),
    record('1002', 'Alex', 'Lopez', group='Support', site='HQ'),
    record('1003', 'Zo\u00eb', 'Adams', site='Branch'),
    record('1004', '  Hidden ', 'User', dir_list='no'),
    record('1005', 'Hidden', 'Too', dir_list='NO'),
    record('8000', 'Sales', 'Queue', srv_code='system-queue'),
    record('1006', '', ''),
    record('1007', ' ', '  '),
    record('1008', '', "O'Brien & S\u00f8n <Sales>", group='Sales'),
    record('1009', 'Only', '', dir_list=''),
    record('2001', 'Gil', 'Globex', domain='globex.example', group='Sales'),
]


def test_phone_directories_list_sort_and_skip():
    books = phone_directories(RECORDS)
    assert [book['domain'] for book in books] == ['acme.example', 'globex.example']
    acme = books[0]
    assert [entry['extension'] for entry in acme['entries']] == ['1009', '1003', '1002', '1001', '1008']
    assert [entry['name'] for entry in acme['entries']] == [
        'Only', 'Zo\u00eb Adams', 'Alex Lopez', 'Dana lopez', "O'Brien & S\u00f8n <Sales>"]
    dana = acme['entries'][3]
    assert dana['emails'] == ['dana@acme.example', 'd@acme.example'] and dana['dids'] == []
    assert dana['department'] == 'Sales' and dana['directory_group'] == 'Sales' and dana['site'] == 'HQ'
    assert acme['ldap_base_dn'] == 'ou=phones,dc=acme,dc=example'


def test_phone_directories_groups():
    acme = phone_directories(RECORDS)[0]
    assert [(group['name'], [entry['extension'] for entry in group['entries']]) for group in acme['groups']] == [
        ('Sales', ['1001', '1008']), ('Support', ['1002']), ('Other', ['1009', '1003'])]
    by_site = phone_directories(RECORDS, group_by='site', ungrouped='Elsewhere')[0]['groups']
    assert [group['name'] for group in by_site] == ['Branch', 'HQ', 'Elsewhere']
    single = phone_directories(RECORDS, group_by='none', ungrouped='Everyone')[0]['groups']
    assert [group['name'] for group in single] == ['Everyone'] and len(single[0]['entries']) == 5


def test_phone_directories_domains_asked_for_come_first_even_when_empty():
    books = phone_directories(RECORDS, domains=['globex.example', 'empty.example'])
    assert [(book['domain'], len(book['entries'])) for book in books] == [
        ('globex.example', 1), ('empty.example', 0), ('acme.example', 5)]
    assert books[1]['groups'] == []


def test_phone_directories_dids_and_base_dns():
    books = phone_directories(RECORDS, dids={'1001@acme.example': '+18585550101', '2001@globex.example': ['+1', '', '+2']},
                              ldap_base_dn={'globex.example': 'ou=people,o=Globex'})
    assert books[0]['entries'][3]['dids'] == ['+18585550101'] and books[1]['entries'][0]['dids'] == ['+1', '+2']
    assert books[0]['ldap_base_dn'] == 'ou=phones,dc=acme,dc=example' and books[1]['ldap_base_dn'] == 'ou=people,o=Globex'
    same = phone_directories(RECORDS, ldap_base_dn='dc=example,dc=com')
    assert {book['ldap_base_dn'] for book in same} == {'dc=example,dc=com'}
    odd = phone_directories([record('1', 'A', 'B', domain='a+b.x,y')])
    assert odd[0]['ldap_base_dn'] == 'ou=phones,dc=a\\+b,dc=x\\,y'


@pytest.mark.parametrize('domain', ['..', '.', '', 'a/b', '../etc', 'a\\b', 'nul\x00'])
def test_phone_directories_refuses_a_domain_that_is_no_directory_name(domain):
    with pytest.raises(AnsibleFilterError, match='cannot be used as a directory name'):
        phone_directories([record('1', 'A', 'B', domain=domain)])


@pytest.mark.parametrize('args, message', [
    (('not a list',), 'expects a list of subscriber records'),
    (([1],), 'expects a list of subscriber records'),
    (([], None, None, 'department'), "group_by must be one of group, site, none, got 'department'"),
    (([], None, None, 'group', ' '), 'ungrouped must be a non-empty text'),
    (([], 'acme.example'), 'domains must be a list of domain names'),
    (([], None, ['+1']), 'dids must be a dictionary'),
    (([record('1', 'A', 'B')], None, None, 'group', 'Other', ['dc=x']), 'ldap_base_dn must be a DN'),
])
def test_phone_directories_argument_errors(args, message):
    with pytest.raises(AnsibleFilterError, match='netsapiens.pbx.phone_directories: ' + message):
        phone_directories(*args)


def test_dids_come_from_enabled_numbers_routed_to_users():
    numbers = [{'matchrule': 'sip:18585551020@*', 'to_user': '1020', 'dest_domain': 'acme', 'enable': 'yes'},
               {'matchrule': 'sip:18585551021@*', 'to_user': '1020', 'dest_domain': 'acme', 'enable': 'yes'},
               {'matchrule': 'sip:18585550100@*', 'to_user': '8001', 'dest_domain': 'acme', 'enable': 'no'},
               {'matchrule': 'sip:18585550101@*', 'to_user': '', 'dest_domain': 'acme', 'enable': 'yes'},
               {'matchrule': 'sip:fax@*', 'to_user': '1030', 'dest_domain': 'acme', 'enable': 'yes'}]
    assert dids_of_numbers(numbers) == {'1020@acme': ['18585551020', '18585551021']}
    records = [{'user': '1020', 'domain': 'acme', 'first_name': 'Ann', 'last_name': 'Lee'}]
    entry = phone_directories(records, phonenumbers=numbers)[0]['entries'][0]
    assert entry['dids'] == ['18585551020', '18585551021']
    entry = phone_directories(records, phonenumbers=numbers, dids={'1020@acme': '5550100'})[0]['entries'][0]
    assert entry['dids'] == ['5550100']
