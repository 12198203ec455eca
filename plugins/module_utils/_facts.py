# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Facts a compliance audit derives from several objects: where a user's calls are forwarded (by class), the effective
emergency caller ID and E911 address of each device, what a dial policy permits, how weak a voicemail PIN is, and device
hygiene. Pure functions over records, no I/O (docs/compliance.md says what each fact means and where it comes from)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

# Answer-rule features that send a call somewhere (allow/reject lists, DND and screening do not).
FORWARDING_FEATURES = ('sim', 'for', 'fbu', 'fna', 'fnr', 'foa', 'fsp', 'pna')
DESTINATION_CLASSES = ('internal', 'domestic', 'international', 'premium', 'unknown')
PREMIUM_AREA_CODES = ('900', '976')
# Destinations that stay on the PBX: voicemail, users, queues, attendants, greetings, park orbits, the user's devices.
_INTERNAL = re.compile(r'^(<[a-z]+>|(vmail|user|queue|park|prompt|conference|aa)_.+|\d+_(voicemail|callqueue|attendant|'
                       r'user|conference)_.+)$', re.IGNORECASE)
_PSTN = re.compile(r'^(confirm_|\d+_pstn_)', re.IGNORECASE)
_DEVICE_OF = re.compile(r'^(\d+)[a-z]+$', re.IGNORECASE)
NOT_SET = ('', '[*]')


_ASCII_DIGITS = re.compile(r'^[0-9]+$')
_NANP = re.compile(r'^[2-9][0-9]{2}[2-9][0-9]{6}$')


def is_digits(text):
    """Only the digits 0 to 9 (str.isdigit also takes other scripts' digits)."""
    return bool(_ASCII_DIGITS.match(text))


def nanp_key(digits):
    """The 10-digit NANP number of '8585550123', '18585550123' (or '+1...' after stripping '+'): an area code and an
    exchange that start with 2 to 9; None for anything else."""
    key = digits[1:] if len(digits) == 11 and digits[0] == '1' else digits
    return key if _NANP.match(key) else None


def classify_destination(token, extensions, area_code=''):
    """internal, domestic, international, premium or unknown, for one forward destination (reference 2.3 and 9.3)."""
    text = token.split(';', 1)[0].strip()
    if not text:
        return 'unknown'
    text = _PSTN.sub('', text)
    if _INTERNAL.match(text) or text in extensions:
        return 'internal'
    device = _DEVICE_OF.match(text)
    if device and device.group(1) in extensions:
        return 'internal'
    if text.startswith('011') or (text.startswith('+') and text[1:2] != '1'):
        return 'international' if is_digits(text.lstrip('+')) else 'unknown'
    digits = text.lstrip('+')
    if not is_digits(digits) or (text.startswith('+') and len(digits) != 11):
        return 'unknown'
    if len(digits) == 7 and area_code:
        digits = str(area_code) + digits
    key = nanp_key(digits)
    if key is None:
        return 'unknown'
    return 'premium' if key[:3] in PREMIUM_AREA_CODES else 'domestic'


def forward_destinations(answerrules):
    """Every destination of every enabled forwarding feature of the user's enabled answer rules, in rule order."""
    found = []
    for rule in answerrules:
        if rule.get('enable') != 'yes':
            continue
        for feature in FORWARDING_FEATURES:
            if rule.get('%s_control' % feature) == 'e':
                found.extend(rule.get('%s_parameters' % feature, '').split())
    return found


def forward_facts(answerrules, extensions, area_code=''):
    """forward_<class> -> the user's enabled destinations of that class, space-separated, sorted, each once."""
    classes = dict((name, set()) for name in DESTINATION_CLASSES)
    for destination in forward_destinations(answerrules):
        classes[classify_destination(destination, extensions, area_code)].add(destination)
    return dict(('forward_%s' % name, ' '.join(sorted(values))) for name, values in classes.items())


def emergency_callid(device, subscriber, domain_numbers):
    """(effective emergency caller ID, where it came from, status) of a device: its own value unless empty or '[*]'
    (inherit), then the user's. Status: missing, invalid (not a NANP number), foreign (none of the domain's numbers), ok."""
    for source, record in (('device', device), ('user', subscriber)):
        value = (record or {}).get('callid_emgr', '')
        if value not in NOT_SET:
            key = nanp_key(value.lstrip('+'))
            if key is None or not is_digits(value.lstrip('+')):
                return value, source, 'invalid'
            return value, source, 'ok' if key in domain_numbers else 'foreign'
    return '', 'none', 'missing'


ADDRESS_PARTS = ('address_line_1', 'city', 'state_code', 'zip', 'country_code')


def emergency_address(device, subscriber, addresses):
    """(effective E911 address id, where it came from, status) of a device: its own address, then the user's. Status:
    missing, dangling (no such address), unvalidated, incomplete (a required part is empty), ok."""
    for source, record in (('device', device), ('user', subscriber)):
        address_id = (record or {}).get('address_id', '')
        if address_id not in NOT_SET:
            address = addresses.get(address_id)
            if address is None:
                return address_id, source, 'dangling'
            if address.get('validated') != 'yes':
                return address_id, source, 'unvalidated'
            missing = [part for part in ADDRESS_PARTS if not str(address.get(part, '')).strip()]
            return address_id, source, 'incomplete' if missing else 'ok'
    return '', 'none', 'missing'


# The 20 most used 4-digit PINs (DataGenetics, "PIN number analysis", 2012), the keypad's middle column, and well-known
# 6-digit ones (docs/compliance.md lists them).
COMMON_PINS = frozenset((
    '1234', '1111', '0000', '1212', '7777', '1004', '2000', '4444', '2222', '6969', '9999', '3333', '5555', '6666',
    '1122', '1313', '8888', '4321', '2001', '1010', '2580', '0852',
    '123456', '654321', '111111', '000000', '121212', '112233', '123123', '159753', '147258', '696969',
))


def _sequence(pin):
    steps = set(int(b) - int(a) for a, b in zip(pin, pin[1:]))
    return len(pin) > 2 and steps in ({1}, {-1})


def _repeated_pattern(pin):
    return any(len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size) for size in range(2, len(pin) // 2 + 1))


def pin_weakness(pin, extension, numbers, min_length=6):
    """Reason codes (sorted, comma-separated; '' for a strong PIN): empty, too_short, not_digits, one_digit, sequence,
    repeated_pattern, extension (the extension or its reverse), phone_number (the last digits of one of the user's
    numbers), common (a well-known PIN). Only these codes ever leave this function, never the PIN."""
    if not pin:
        return 'empty'
    reasons = set()
    if len(pin) < min_length:
        reasons.add('too_short')
    if not is_digits(pin):
        reasons.add('not_digits')
    elif len(set(pin)) == 1:
        reasons.add('one_digit')
    elif _sequence(pin):
        reasons.add('sequence')
    elif _repeated_pattern(pin):
        reasons.add('repeated_pattern')
    if extension and pin in (extension, extension[::-1]):
        reasons.add('extension')
    if any(number.endswith(pin) for number in numbers if number and len(pin) >= 4):
        reasons.add('phone_number')
    if pin in COMMON_PINS:
        reasons.add('common')
    return ','.join(sorted(reasons))


# Numbers a dial policy is probed with (reference 9.4): an international call, premium-rate calls (1-900 and 1-976), 911
# and 933. A probe with several numbers is permitted when any of them is.
DIAL_PROBES = (('international', ('011441632960123',)), ('premium', ('19005550123', '19765550123')), ('911', ('911',)),
               ('933', ('933',)))
_MATCH = re.compile(r'^(?:sip:)?([0-9?*#+]+)(?:@\*)?$')


def _match_pattern(text):
    """A dial_match as a regex: '?' one digit, '*' anything (a trailing or a lone wildcard); None when unreadable."""
    found = _MATCH.match(text.strip())
    if not found:
        return None
    pattern = ''.join({'?': '[0-9]', '*': '.*', '+': r'\+'}.get(char, char) for char in found.group(1))
    return re.compile('^%s$' % pattern)


def policy_verdict(rows, number):
    """What an ordered list of permission rows (dial_match, mode) says about a number: the first row that matches
    decides, 'yes' (permit) or 'no' (deny); 'no_rule' when none matches; 'undetermined' when a row before the deciding
    one cannot be read (the PBX's syntax is not documented, reference 6.3)."""
    for row in rows:
        pattern = _match_pattern(row.get('dial_match', ''))
        if pattern is None:
            return 'undetermined'
        if pattern.match(number):
            mode = row.get('mode', '').lower()
            return {'permit': 'yes', 'deny': 'no'}.get(mode, 'undetermined')
    return 'no_rule'


def probe_verdict(rows, numbers):
    """yes when the rows permit any of the numbers; else undetermined, no_rule, or no when they deny them all."""
    verdicts = [policy_verdict(rows, number) for number in numbers]
    return next(verdict for verdict in ('yes', 'undetermined', 'no_rule', 'no') if verdict in verdicts)


def dial_policy_facts(policy_name, policies):
    """dial_policy_permits_<probe> -> yes, no, no_rule, undetermined, or unknown_policy (no policy of that name)."""
    rows = policies.get(policy_name)
    return dict(('dial_policy_permits_%s' % probe, 'unknown_policy' if rows is None else probe_verdict(rows, numbers))
                for probe, numbers in DIAL_PROBES)


# The facts rules may name, and the objects each is derived from (besides the subscribers, always read).
PIN = 'vmail_pin_weakness'
SIP_PASSWORD_LENGTH = 'sip_password_length'
SUBSCRIBER_FACTS = dict([('forward_%s' % name, ('answerrule',)) for name in DESTINATION_CLASSES]
                        + [('dial_policy_permits_%s' % probe, ('dialpolicy',)) for probe, _number in DIAL_PROBES]
                        + [(PIN, ('phonenumber',))])
DEVICE_FACTS = {
    'effective_callid_emgr': ('device', 'phonenumber'), 'callid_emgr_source': ('device', 'phonenumber'),
    'callid_emgr_status': ('device', 'phonenumber'), 'effective_address_id': ('device', 'address'),
    'address_source': ('device', 'address'), 'address_status': ('device', 'address'),
    SIP_PASSWORD_LENGTH: ('device',), 'registered': ('device',),
}
# The owner's fields a device record carries, so that selectors and the system-user test read the same as for users.
OWNER_FIELDS = ('user', 'domain', 'scope', 'site', 'group', 'srv_code')
