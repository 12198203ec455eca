# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an audit reads and the records it evaluates: subscribers with the facts their rules name (forward classes,
dial-policy verdicts, PIN weakness), and devices with theirs (effective emergency caller ID and address, hygiene).
Only the objects the policy's rules need are read; secrets used for a fact (the PIN, the SIP password) are dropped
from every record before evaluation, so only reason codes and lengths reach results and reports."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._facts import (
    DEVICE_FACTS,
    OWNER_FIELDS,
    PIN,
    SIP_PASSWORD_LENGTH,
    SUBSCRIBER_FACTS,
    dial_policy_facts,
    emergency_address,
    emergency_callid,
    forward_facts,
    nanp_key,
    pin_weakness,
)
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects import OBJECTS
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.address import complete_address, users_by_address
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.device import DEVICE
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.subscriber import SUBSCRIBER
from ansible_collections.netsapiens.pbx.plugins.module_utils._read import read_records


def needed_objects(rules):
    """The objects besides subscribers that the rules' fields (and objects) need, as a set of names."""
    needed = set()
    for rule in rules:
        if rule.object == 'device':
            needed.add('device')
        needed.update(SUBSCRIBER_FACTS.get(rule.field, ()) + DEVICE_FACTS.get(rule.field, ()))
    return needed


class AuditData(object):
    """The records of one audit: subscribers and (when a rule needs them) devices, each with their facts, and the answer
    rules when a rule needed them."""

    def __init__(self, subscribers, devices, answerrules=None):
        self.subscribers = subscribers
        self.devices = devices
        self.answerrules = answerrules

    def snapshot_objects(self):
        """What an audit snapshot holds: every kind of record this audit read."""
        objects = {'subscribers': self.subscribers}
        if self.devices:
            objects['devices'] = self.devices
        if self.answerrules is not None:
            objects['answerrules'] = self.answerrules
        return objects


# What the reports show of a device besides its owner's user and domain (rules' fields are kept too).
KEPT_DEVICE_FIELDS = frozenset(('aor',))
# The domains whose objects (devices, answer rules, phone numbers, addresses) are held at once hold about this many
# subscribers: their facts are derived and their objects let go before the next domains are read, so that memory grows
# with the subscribers and their devices, not with every object of every domain.
CHUNK_SUBSCRIBERS = 1000


def read_audit_data(client, domains, rules, pin_min_length, whole_records=False):
    """Read what the rules need from every domain, derive the facts, drop the secrets.
    whole_records (a snapshot is taken): devices keep every field and the answer rules are kept."""
    fields = set(rule.field for rule in rules)
    needed = needed_objects(rules)
    subscribers = client.read_domains(SUBSCRIBER, domains, None, PIN in fields)
    # Dial policies are few and mostly shared by every domain: read once for all.
    policies = read_records(client, OBJECTS['dialpolicy'], domains) if 'dialpolicy' in needed else None
    device_fields = None if whole_records else fields
    users, devices = [], []
    answerrules = [] if whole_records and 'answerrule' in needed else None
    for part in domain_chunks(subscribers, CHUNK_SUBSCRIBERS):
        objects = _read_objects(client, domains[part], subscribers[part], needed - set(['dialpolicy']), fields)
        if policies is not None:
            objects['dialpolicy'] = policies[part]
        for index, batch in enumerate(subscribers[part]):
            present = dict((name, batches[index].records) for name, batches in objects.items())
            domain_users, domain_devices = annotate_domain(batch.records, present, fields, pin_min_length, device_fields)
            users.extend(domain_users)
            devices.extend(domain_devices)
        if answerrules is not None:
            answerrules.extend(rule for batch in objects['answerrule'] for rule in batch.records)
    return AuditData(users, devices, answerrules)


def domain_chunks(batches, most):
    """Slices of the domains (their batches of subscribers, in order), each of about `most` subscribers or one domain."""
    start, held = 0, 0
    for index, batch in enumerate(batches):
        held += len(batch.records)
        if held >= most:
            yield slice(start, index + 1)
            start, held = index + 1, 0
    if start < len(batches):
        yield slice(start, len(batches))


def _read_objects(client, domains, subscribers, names, fields):
    """name -> one Batch per domain of each object named, every object read at once (within max_concurrency)."""
    known = dict((domain, [record['user'] for record in batch.records]) for domain, batch in zip(domains, subscribers))

    def read(name):
        sensitive = name == 'device' and SIP_PASSWORD_LENGTH in fields
        if OBJECTS[name].per_user:
            return client.read_domains(OBJECTS[name], domains, None, sensitive, known_users=known)
        # Addresses are completed with their users by annotate_domain, from the subscribers already read.
        return client.read_domains(OBJECTS[name], domains)
    names = sorted(names)
    return dict(zip(names, client.map(read, names)))


def _numbers(phonenumbers):
    """(the NANP numbers of the domain's DIDs, user -> their DIDs' digits)."""
    keys, by_user = set(), {}
    for record in phonenumbers:
        digits = record.get('matchrule', '').replace('sip:', '').split('@', 1)[0].lstrip('+')
        key = nanp_key(digits) if digits.isdigit() else None
        if key:
            keys.add(key)
            by_user.setdefault(record.get('to_user', ''), []).append(digits)
    return keys, by_user


def _policies(dialpolicies):
    """policy name -> its permission rows; a domain's own policy wins over a shared one ('*') of the same name."""
    rows, own = {}, set()
    for record in dialpolicies:
        name, shared = record.get('dialpolicy', ''), record.get('domain') == '*'
        if shared and name in own:
            continue
        if not shared and name not in own:
            own.add(name)
            rows[name] = []
        rows.setdefault(name, [])
        if record.get('dial_match') or record.get('mode'):
            rows[name].append(record)
    return rows


def annotate_domain(subscribers, objects, fields, pin_min_length, device_fields=None):
    """The subscriber records and device records of one domain with the facts the fields name; secrets dropped.
    device_fields: the device fields the records keep besides their address, facts and owner's fields (None: all)."""
    numbers, dids = _numbers(objects.get('phonenumber', []))
    policies = _policies(objects.get('dialpolicy', []))
    extensions = frozenset(record.get('user', '') for record in subscribers)
    rules_of = {}
    for rule in objects.get('answerrule', []):
        rules_of.setdefault(rule.get('user', ''), []).append(rule)
    by_user = {}
    verdicts = {}  # dial policy name -> its facts, worked out once per domain
    for record in subscribers:
        user = record.get('user', '')
        if 'answerrule' in objects:
            record.update(forward_facts(rules_of.get(user, []), extensions, record.get('area_code', '')))
        if 'dialpolicy' in objects:
            name = record.get('dial_policy', '')
            if name not in verdicts:
                verdicts[name] = dial_policy_facts(name, policies)
            record.update(verdicts[name])
        pin = str(record.get('subscriber_pin', ''))
        _drop_secrets(SUBSCRIBER, record)
        if PIN in fields:
            numbers_of = [record.get('callid_nmbr', '')] + dids.get(user, [])
            # Only a mailbox in use has a PIN worth guessing (reference 9.5).
            voicemail = record.get('vmail_enabled') == 'yes'
            record[PIN] = pin_weakness(pin, user, numbers_of, pin_min_length) if voicemail else ''

        by_user[user] = record
    assigned = users_by_address(subscribers)
    addresses = dict((address.get('address_id'), complete_address(address, assigned)) for address in objects.get('address', []))
    keep = None if device_fields is None else frozenset(device_fields) | KEPT_DEVICE_FIELDS
    devices = [_device_record(device, by_user.get(device.get('subscriber_name', ''), {}), numbers, addresses, fields, keep)
               for device in objects.get('device', [])]
    return subscribers, devices


def _device_record(device, owner, numbers, addresses, fields, keep=None):
    """The device without its secrets, with its facts and its owner's fields (user, domain, scope, site, group, srv_code);
    with keep, only those of its own fields (a device record of every field is about twice the size)."""
    record = dict(device) if keep is None else dict((name, value) for name, value in device.items() if name in keep)
    _drop_secrets(DEVICE, record)
    record['effective_callid_emgr'], record['callid_emgr_source'], record['callid_emgr_status'] = emergency_callid(
        device, owner, numbers)
    record['effective_address_id'], record['address_source'], record['address_status'] = emergency_address(
        device, owner, addresses)
    if SIP_PASSWORD_LENGTH in fields:
        record[SIP_PASSWORD_LENGTH] = str(len(device.get('authentication_key', '')))
    record['registered'] = 'yes' if device.get('registration_time') else 'no'
    for name in OWNER_FIELDS:
        record[name] = owner.get(name, '')
    record['user'] = device.get('subscriber_name', '')
    record['domain'] = device.get('subscriber_domain') or owner.get('domain', '')
    return record


def _drop_secrets(kind, record):
    """Every sensitive field goes, before any fact is added (fact names such as vmail_pin_weakness are not secret).
    skipped(False) holds every name a record without include_sensitive leaves out (the sensitive ones among them),
    decided once per name."""
    skipped = kind.skipped(False)
    for name in [name for name in record if skipped[name]]:
        del record[name]
