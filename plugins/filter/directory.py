# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the netsapiens.pbx.directory role: the phone directory of each domain from subscriber records
(phone_directories), and the escaping that Jinja lacks for XML (xml_escape), LDIF (ldif_line) and LDAP DNs
(ldap_dn_escape). Each filter is documented in the .yml file of its name."""

from __future__ import annotations

import base64
import re

from ansible.errors import AnsibleFilterError

from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import is_system_user
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import field_text

# The record field each directory_group_by choice groups by.
GROUP_FIELDS = {'group': 'group', 'site': 'site', 'none': None}
DEFAULT_BASE_DN = 'ou=phones'

# XML 1.0 cannot hold these at all, not even as character references: C0 controls other than tab, LF and CR,
# surrogates, U+FFFE and U+FFFF. They are dropped.
XML_FORBIDDEN = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
# Escaped everywhere, so one filter serves element text and attribute values (where a raw tab or line break
# would be read back as a space).
XML_ESCAPES = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;',
               '\r': '&#13;'}
XML_SPECIAL = re.compile('[&<>"\'\t\n\r]')

# RFC 2849: an attribute description (name or OID, then options).
LDIF_ATTRIBUTE = re.compile(r'(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)+)(?:;[A-Za-z0-9-]+)*\Z')
# Written as is: printable ASCII that does not start with a space, ':' or '<' and does not end with a space.
# Anything else (non-ASCII, control characters, line breaks) is base64, which every LDIF reader decodes exactly.
LDIF_PLAIN = re.compile(r'[\x21-\x39\x3b\x3d-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?\Z')
LDIF_WIDTH = 76

# RFC 4514: characters of an attribute value that are escaped with a backslash anywhere ('=' is optional but
# some servers want it), then a leading space or '#' and a trailing space.
DN_SPECIAL = frozenset('\\,+"<>;=')


def _fail(function, problem):
    raise AnsibleFilterError('netsapiens.pbx.%s: %s' % (function, problem))


def _text(value):
    return field_text(value).strip()


def _listed(record):
    """Shown in a directory: not a system user, not hidden (dir_list 'no'), and with a name."""
    if is_system_user(record) or _text(record.get('dir_list', '')).lower() == 'no':
        return False
    return bool(_text(record.get('first_name', '')) or _text(record.get('last_name', '')))


def _entry(record, dids, group_field, ungrouped):
    """The record with names trimmed, plus name, extension, department, emails, dids and directory_group."""
    entry = dict(record)
    first, last, user = _text(record.get('first_name', '')), _text(record.get('last_name', '')), field_text(record.get('user', ''))
    group = _text(record.get(group_field, '')) if group_field else ''
    entry.update(first_name=first, last_name=last, name=' '.join(part for part in (first, last) if part), extension=user,
                 department=_text(record.get('group', '')), directory_group=group or ungrouped,
                 emails=[part.strip() for part in field_text(record.get('email', '')).split(';') if part.strip()],
                 dids=list(dids.get('%s@%s' % (user, field_text(record.get('domain', ''))), [])))
    return entry


def _sort_key(entry):
    return (entry['last_name'].casefold(), entry['first_name'].casefold(), entry['extension'])


def _groups(entries, ungrouped):
    """[{'name', 'entries'}] in name order, the entries without a group last (entries keep their order)."""
    named = {}
    for entry in entries:
        named.setdefault(entry['directory_group'], []).append(entry)
    rest = named.pop(ungrouped, None)
    groups = [{'name': name, 'entries': named[name]} for name in sorted(named, key=lambda name: (name.casefold(), name))]
    if rest:
        groups.append({'name': ungrouped, 'entries': rest})
    return groups


def _check_domain(domain):
    # The name becomes a directory under directory_output_dir: a server must not be able to write elsewhere.
    if not domain or domain in ('.', '..') or any(char in domain for char in '/\\\x00'):
        _fail('phone_directories', "the domain name '%s' cannot be used as a directory name" % domain)
    return domain


def _records_by_domain(records, domains):
    """domain -> its records: the domains asked for first (empty ones included), then any other domain of the records."""
    by_domain = dict((_check_domain(domain), []) for domain in domains or ())
    for record in records:
        by_domain.setdefault(_check_domain(field_text(record.get('domain', ''))), []).append(record)
    return by_domain


def _did_map(dids):
    if dids is None:
        return {}
    if not isinstance(dids, dict):
        _fail('phone_directories', 'dids must be a dictionary of user@domain -> phone number or list of phone numbers.')
    return dict((str(key), [field_text(item) for item in (value if isinstance(value, (list, tuple)) else [value])
                            if field_text(item)]) for key, value in dids.items())


def dids_of_numbers(phonenumbers):
    """user@domain -> the DIDs (digits) routed to that user, from phonenumber_info records: enabled numbers whose
    destination is a user (to_user) of a domain (dest_domain)."""
    found = {}
    for record in phonenumbers or ():
        user, domain = field_text(record.get('to_user', '')), field_text(record.get('dest_domain', ''))
        number = field_text(record.get('matchrule', '')).replace('sip:', '').split('@', 1)[0]
        if record.get('enable', 'yes') != 'no' and user and domain and number.lstrip('+').isdigit():
            found.setdefault('%s@%s' % (user, domain), []).append(number)
    return found


def default_base_dn(domain):
    """ou=phones,dc=<label>,dc=<label>... for a domain name."""
    return ','.join([DEFAULT_BASE_DN] + ['dc=' + ldap_dn_escape(label) for label in domain.split('.') if label])


def _base_dn(ldap_base_dn, domain):
    if isinstance(ldap_base_dn, dict):
        ldap_base_dn = ldap_base_dn.get(domain)
    if ldap_base_dn is None or ldap_base_dn == '':
        return default_base_dn(domain)
    if not isinstance(ldap_base_dn, str):
        _fail('phone_directories', 'ldap_base_dn must be a DN, or a dictionary of domain -> DN.')
    return ldap_base_dn


def _check_arguments(records, group_by, ungrouped, domains):
    if not isinstance(records, (list, tuple)) or not all(isinstance(record, dict) for record in records):
        _fail('phone_directories', 'expects a list of subscriber records (dictionaries).')
    if group_by not in GROUP_FIELDS:
        _fail('phone_directories', "group_by must be one of %s, got '%s'." % (', '.join(GROUP_FIELDS), group_by))
    if not isinstance(ungrouped, str) or not ungrouped.strip():
        _fail('phone_directories', 'ungrouped must be a non-empty text.')
    if domains is not None and (not isinstance(domains, (list, tuple)) or not all(isinstance(name, str) for name in domains)):
        _fail('phone_directories', 'domains must be a list of domain names.')


def phone_directories(records, domains=None, dids=None, group_by='group', ungrouped='Other', ldap_base_dn=None, phonenumbers=None):
    """One directory per domain: {'domain', 'entries', 'groups', 'ldap_base_dn'}, entries sorted by last name, first name.
    A user's DIDs are those of dids, else those phonenumbers (phonenumber_info records) route to the user."""
    _check_arguments(records, group_by, ungrouped, domains)
    did_map, label = dict(dids_of_numbers(phonenumbers), **_did_map(dids)), ungrouped.strip()
    directories = []
    for domain, domain_records in _records_by_domain(records, domains).items():
        entries = sorted((_entry(record, did_map, GROUP_FIELDS[group_by], label) for record in domain_records if _listed(record)),
                         key=_sort_key)
        directories.append({'domain': domain, 'entries': entries, 'groups': _groups(entries, label),
                            'ldap_base_dn': _base_dn(ldap_base_dn, domain)})
    return directories


def xml_escape(value):
    """Text safe in XML element content and in attribute values (either quote), characters XML cannot hold dropped."""
    text = XML_FORBIDDEN.sub('', field_text(value))
    return XML_SPECIAL.sub(lambda match: XML_ESCAPES[match.group(0)], text)


def _fold(line):
    """RFC 2849 folding: lines of at most LDIF_WIDTH characters, continued on lines that start with one space."""
    if len(line) <= LDIF_WIDTH:
        return line
    width = LDIF_WIDTH - 1
    return '\n '.join([line[:LDIF_WIDTH]] + [line[start:start + width] for start in range(LDIF_WIDTH, len(line), width)])


def _ldif_attribute_line(attribute, text):
    if LDIF_PLAIN.match(text):
        return _fold('%s: %s' % (attribute, text))
    return _fold('%s:: %s' % (attribute, base64.b64encode(text.encode('utf-8')).decode('ascii')))


def ldif_line(value, attribute):
    """'attribute: value', or 'attribute:: base64' when the value needs it; a list gives one line per value; empty values none."""
    if not isinstance(attribute, str) or not LDIF_ATTRIBUTE.match(attribute):
        _fail('ldif_line', '%r is not an LDAP attribute name.' % (attribute,))
    values = value if isinstance(value, (list, tuple)) else [value]
    texts = [field_text(item) for item in values]
    return '\n'.join(_ldif_attribute_line(attribute, text) for text in texts if text != '')


def ldap_dn_escape(value):
    """One attribute value of a DN (RFC 4514): \\ , + " < > ; = escaped anywhere, a leading space or # and a trailing space."""
    text = field_text(value)
    chars = [('\\' + char) if char in DN_SPECIAL else ('\\00' if char == '\x00' else char) for char in text]
    if text[:1] in (' ', '#'):
        chars[0] = '\\' + chars[0]
    if text[-1:] == ' ':
        chars[-1] = '\\ '
    return ''.join(chars)


class FilterModule:

    def filters(self):
        return {
            'phone_directories': phone_directories,
            'xml_escape': xml_escape,
            'ldif_line': ldif_line,
            'ldap_dn_escape': ldap_dn_escape,
        }
