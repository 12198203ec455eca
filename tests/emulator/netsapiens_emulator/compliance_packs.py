"""Ground truth of the compliance packs (playbooks/policies/e911.yml, toll_fraud.yml, voicemail_pin.yml and
device_security.yml) over the emulator's raw data.

For every pack rule it decides which subscribers or devices break the rule and why, from the stored v1 records of
the users, devices, answer rules, phone numbers, E911 addresses, dial policies and their permission rows. It is a
second implementation, written from the packs' documentation and the reference (netsapiens-objects.md, sections 2.3
and 9), that shares no code with the collection, so that a test comparing an audit with it catches the bugs of either.
The reasons are the values an audit reports as `actual`: forward destinations, caller ID and address statuses, dial
policy verdicts, PIN reason codes (never the PIN), transports and SIP password lengths.
"""
from __future__ import annotations

import re

from .compliance import NON_MANAGERS, _text

PIN_MIN_LENGTH = 6   # voicemail_pin.yml parameters.pin_min_length
SIP_PASSWORD_MIN_LENGTH = 12
NOT_SET = ("", "[*]")   # an empty emergency caller ID or address id, or "[*]", means: inherit

# pack -> its rules, in the pack file's order
PACKS = {
    "e911": ("E911-DIAL", "E911-CALLBACK", "E911-LOCATION"),
    "toll_fraud": ("TF-FWD-INTL", "TF-FWD-PREMIUM", "TF-FWD-UNKNOWN", "TF-DIAL-INTL", "TF-DIAL-PREMIUM"),
    "voicemail_pin": ("VMPIN-WEAK",),
    "device_security": ("DEV-TLS", "DEV-SIP-PASSWORD", "DEV-REGISTERED"),
}

# -- forward destinations (reference 2.3, 9.3) --------------------------------------------------------------------

# The answer-rule features that send a call to destinations: simultaneous ring and the forwards.
SENDING_FEATURES = ("sim", "for", "fbu", "fna", "fnr", "foa", "fsp", "pna")
ON_NET_PREFIXES = ("vmail_", "user_", "queue_", "park_", "prompt_", "conference_", "aa_")
ON_NET_APPLICATION = re.compile(r"[0-9]+_(voicemail|callqueue|attendant|user|conference)_.", re.IGNORECASE)
OFF_NET_PREFIX = re.compile(r"(confirm_|[0-9]+_pstn_)", re.IGNORECASE)
DIGITS = re.compile(r"[0-9]+")
PREMIUM_AREA_CODES = ("900", "976")


def sent_destinations(answerrules):
    """Every destination of every enabled sending feature of the user's enabled answer rules (any time frame may be in
    force, so every enabled rule counts); disabled rules and features keep stale destinations that do not count."""
    for rule in answerrules:
        if _text(rule.get("enable")) != "yes":
            continue
        for feature in SENDING_FEATURES:
            if _text(rule.get(f"{feature}_control")) == "e":
                yield from _text(rule.get(f"{feature}_parameters")).split()


def _is_device_of(target, extensions):
    """1001a, 1234wp: an extension followed by letters names one of that user's devices."""
    return any(target[:cut] in extensions and target[cut:].isascii() and target[cut:].isalpha()
               for cut in range(1, len(target)))


def _on_net(target, extensions):
    return ((target.startswith("<") and target.endswith(">")) or target.lower().startswith(ON_NET_PREFIXES)
            or bool(ON_NET_APPLICATION.match(target)) or target in extensions or _is_device_of(target, extensions))


NANP = re.compile(r"[2-9][0-9]{2}[2-9][0-9]{6}")   # NPA-NXX-XXXX: area code and exchange never start with 0 or 1


def nanp_number(digits, area_code=""):
    """The 10-digit NANP number of 10 digits, 1 + 10 digits, or 7 digits with the area code; None otherwise."""
    if len(digits) == 7 and area_code:
        digits = area_code + digits
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if NANP.fullmatch(digits) else None


def destination_class(token, extensions, area_code=""):
    """internal, domestic, international, premium or unknown, for one destination as an answer rule lists it."""
    target = OFF_NET_PREFIX.sub("", token.split(";")[0], count=1)
    if _on_net(target, extensions):
        return "internal"
    if target.startswith("011") or (target.startswith("+") and not target.startswith("+1")):
        return "international" if DIGITS.fullmatch(target.lstrip("+")) else "unknown"
    if target.startswith("+1"):
        number = nanp_number(target[1:]) if DIGITS.fullmatch(target[1:]) and len(target) == 12 else None
    else:
        number = nanp_number(target, area_code) if DIGITS.fullmatch(target) else None
    if number is None:
        return "unknown"
    return "premium" if number[:3] in PREMIUM_AREA_CODES else "domestic"


def forwards_of(answerrules, extensions, area_code, kind):
    """The user's destinations of one class, sorted, each once, space-separated ('' when there is none)."""
    return " ".join(sorted({token for token in sent_destinations(answerrules)
                            if destination_class(token, extensions, area_code) == kind}))


# -- dial policies (reference 6.3, 9.4) ---------------------------------------------------------------------------

PROBES = {"international": ("011441632960123",), "premium": ("19005550123", "19765550123"), "911": ("911",)}
MATCH_SYNTAX = re.compile(r"(?:sip:)?([0-9?*#+]+)(?:@\*)?")


def row_matches(dial_match, number):
    """Whether a permission row's dial_match ('011*', '1??????????', '911', 'sip:1900*@*') matches a dialed number:
    '?' is one digit, '*' any rest. None when the match is in a syntax this evaluator cannot read."""
    found = MATCH_SYNTAX.fullmatch(_text(dial_match).strip())
    if not found:
        return None
    pattern = "".join("[0-9]" if char == "?" else ".*" if char == "*" else re.escape(char) for char in found.group(1))
    return re.fullmatch(pattern, number) is not None


def dialed_verdict(rows, number):
    """yes (permitted), no (denied), no_rule or undetermined: the first row matching the number decides."""
    for row in rows:
        matches = row_matches(row.get("dial_match"), number)
        if matches is None:
            return "undetermined"
        if matches:
            return {"permit": "yes", "deny": "no"}.get(_text(row.get("mode")).lower(), "undetermined")
    return "no_rule"


def policy_permits(rows, probe):
    """A probe's verdict: yes if the policy permits any of its numbers; else undetermined, no_rule, or no if it denies
    them all. unknown_policy when the user's policy is none of the domain's (rows None)."""
    if rows is None:
        return "unknown_policy"
    verdicts = [dialed_verdict(rows, number) for number in PROBES[probe]]
    return next(verdict for verdict in ("yes", "undetermined", "no_rule", "no") if verdict in verdicts)


# -- voicemail PIN (reference 9.5) --------------------------------------------------------------------------------

# Common PINs: the 20 most used 4-digit PINs (DataGenetics, "PIN number analysis", 2012), the keypad's middle column,
# and well-known 6-digit ones.
COMMON_PINS = frozenset((
    "1234", "1111", "0000", "1212", "7777", "1004", "2000", "4444", "2222", "6969", "9999", "3333", "5555", "6666",
    "1122", "1313", "8888", "4321", "2001", "1010", "2580", "0852",
    "123456", "654321", "111111", "000000", "121212", "112233", "123123", "159753", "147258", "696969",
))
PHONE_NUMBER_MIN_PIN = 4   # a PIN this long or longer is checked against the ends of the user's numbers


def _is_run(pin):
    steps = {int(after) - int(before) for before, after in zip(pin, pin[1:])}
    return len(pin) >= 3 and steps in ({1}, {-1})


def _is_repeated_block(pin):
    """A block of two or more digits, not all the same, written at least twice: 1212, 123123."""
    return any(len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size) and len(set(pin[:size])) > 1
               for size in range(2, len(pin) // 2 + 1))


def _shape_reasons(pin):
    if not DIGITS.fullmatch(pin):
        return {"not_digits"}
    if len(set(pin)) == 1:
        return {"one_digit"}
    if _is_run(pin):
        return {"sequence"}
    return {"repeated_pattern"} if _is_repeated_block(pin) else set()


def pin_reasons(pin, extension, numbers, min_length=PIN_MIN_LENGTH):
    """The reason codes of a weak PIN, sorted and comma-separated ('' for a strong one): empty, too_short, not_digits,
    one_digit, sequence, repeated_pattern, extension (it or its reverse), phone_number (the end of one of the user's
    numbers, or its reverse), common."""
    if pin == "":
        return "empty"
    reasons = _shape_reasons(pin)
    if len(pin) < min_length:
        reasons.add("too_short")
    if extension and pin in (extension, extension[::-1]):
        reasons.add("extension")
    ends = [number[-len(pin):] for number in numbers if len(pin) >= PHONE_NUMBER_MIN_PIN and len(number) >= len(pin)]
    if pin in ends or pin[::-1] in ends:
        reasons.add("phone_number")
    if pin in COMMON_PINS:
        reasons.add("common")
    return ",".join(sorted(reasons))


# -- one domain's data ----------------------------------------------------------------------------------------------

def did_digits(phonenumber):
    """sip:18585551018@* -> 18585551018 (None when the match rule holds no plain number)."""
    found = re.fullmatch(r"sip:\+?([0-9]+)@.*", _text(phonenumber.get("matchrule")))
    return found.group(1) if found else None


class DomainData:
    """The raw records of one domain, indexed for the rules: users, DIDs, addresses, answer rules, dial policies."""

    def __init__(self, domain, users, objects_of, pin_min_length=PIN_MIN_LENGTH):
        self.domain = domain
        self.pin_min_length = pin_min_length
        self.users = {_text(user.get("user")): user for user in users}
        self.devices = objects_of("device", domain)
        self.numbers, self.dids = set(), {}
        for phonenumber in objects_of("phonenumber", domain):
            digits = did_digits(phonenumber)
            if digits and nanp_number(digits):
                self.numbers.add(nanp_number(digits))
                self.dids.setdefault(_text(phonenumber.get("to_user")), []).append(digits)
        self.addresses = {_text(address.get("address_id")): address for address in objects_of("address", domain)}
        self.answerrules = {}
        for rule in objects_of("answerrule", domain):
            self.answerrules.setdefault(_text(rule.get("user")), []).append(rule)
        self.policies = self._policies(objects_of("dialpolicy", domain), objects_of("permission", domain))

    def _policies(self, policies, permissions):
        """policy name -> its rows in order: the domain's own policy of that name, else the shared one."""
        found = {}
        for owner in ("*", self.domain):
            for policy in policies:
                if _text(policy.get("domain")) == owner:
                    name = _text(policy.get("dialpolicy"))
                    found[name] = [row for row in permissions
                                   if _text(row.get("domain")) == owner and _text(row.get("dialpolicy")) == name]
        return found

    def forwards(self, user, kind):
        record = self.users[user]
        return forwards_of(self.answerrules.get(user, []), set(self.users), _text(record.get("area_code")), kind)

    def permits(self, user, probe):
        return policy_permits(self.policies.get(_text(self.users[user].get("dial_policy"))), probe)

    def pin(self, user):
        record = self.users[user]
        if _text(record.get("vmail_enabled")) != "yes":
            return ""  # only a mailbox in use has a PIN worth guessing (reference 9.5)
        numbers = [_text(record.get("callid_nmbr"))] + self.dids.get(user, [])
        return pin_reasons(_text(record.get("subscriber_pin")), user, numbers, self.pin_min_length)

    def owner(self, device):
        return self.users.get(_text(device.get("subscriber_name")), {})

    def callback(self, device):
        """missing, invalid, foreign or ok: the effective emergency caller ID (the device's, else its user's)."""
        value = _first_set(device.get("callid_emgr"), self.owner(device).get("callid_emgr"))
        if value is None:
            return "missing"
        digits = value[1:] if value.startswith("+") else value
        number = nanp_number(digits) if DIGITS.fullmatch(digits) else None
        if number is None:
            return "invalid"
        return "ok" if number in self.numbers else "foreign"

    def location(self, device):
        """missing, dangling, unvalidated, incomplete or ok: the effective E911 address (the device's, else its user's)."""
        address_id = _first_set(device.get("address_id"), self.owner(device).get("address_id"))
        if address_id is None:
            return "missing"
        address = self.addresses.get(address_id)
        if address is None:
            return "dangling"
        if not address.get("address-formatted-pidflo"):
            return "unvalidated"
        parts = ("address_line_1", "city", "state_code", "zip", "country_code")
        return "incomplete" if any(not _text(address.get(part)).strip() for part in parts) else "ok"


def _first_set(*values):
    """The first value that is set (not empty, not "[*]"), as text; None when none is."""
    return next((_text(value) for value in values if _text(value) not in NOT_SET), None)


# -- the rules ------------------------------------------------------------------------------------------------------

def _unless(value, good):
    return None if value == good else value


def _if_set(value):
    return value or None


# rule id -> (the users it applies to: None for every user but system users, else their scopes;
#             (domain data, user) -> the reason it is broken, None when it passes)
SUBSCRIBER_RULES = {
    "E911-DIAL": (None, lambda data, user: _unless(data.permits(user, "911"), "yes")),
    "TF-FWD-INTL": (None, lambda data, user: _if_set(data.forwards(user, "international"))),
    "TF-FWD-PREMIUM": (None, lambda data, user: _if_set(data.forwards(user, "premium"))),
    "TF-FWD-UNKNOWN": (None, lambda data, user: _if_set(data.forwards(user, "unknown"))),
    "TF-DIAL-INTL": (NON_MANAGERS, lambda data, user: "yes" if data.permits(user, "international") == "yes" else None),
    "TF-DIAL-PREMIUM": (None, lambda data, user: "yes" if data.permits(user, "premium") == "yes" else None),
    "VMPIN-WEAK": (None, lambda data, user: _if_set(data.pin(user))),
}
# rule id -> (domain data, device) -> the reason it is broken, None when it passes (every device of every user)
DEVICE_RULES = {
    "E911-CALLBACK": lambda data, device: _unless(data.callback(device), "ok"),
    "E911-LOCATION": lambda data, device: _unless(data.location(device), "ok"),
    "DEV-TLS": lambda data, device: _unless(_text(device.get("transport")), "tls"),
    "DEV-SIP-PASSWORD": lambda data, device: _sip_password_reason(device),
    "DEV-REGISTERED": lambda data, device: None if _text(device.get("registration_time")) else "no",
}


def _sip_password_reason(device):
    length = len(_text(device.get("authentication_key")))
    return None if length >= SIP_PASSWORD_MIN_LENGTH else str(length)


def _is_system(record):
    return _text(record.get("srv_code")).startswith("system-")


def _domain_findings(data, checks):
    """[rule, user, domain, device aor ('' for rules on users), reason] of one domain; adds to checks per rule."""
    found = []
    users = [user for user, record in data.users.items() if not _is_system(record)]
    for rule, (scopes, broken) in SUBSCRIBER_RULES.items():
        selected = [user for user in users if scopes is None or _text(data.users[user].get("scope")) in scopes]
        checks[rule] += len(selected)
        found.extend([rule, user, data.domain, "", reason] for user in selected for reason in [broken(data, user)] if reason)
    devices = [device for device in data.devices if not _is_system(data.owner(device))]
    for rule, broken in DEVICE_RULES.items():
        checks[rule] += len(devices)
        found.extend([rule, _text(device.get("subscriber_name")), data.domain, _text(device.get("aor")), reason]
                     for device in devices for reason in [broken(data, device)] if reason)
    return found


def pack_truth(records_by_domain, objects_of, pin_min_length=PIN_MIN_LENGTH):
    """The expected findings of every pack rule.

    records_by_domain: {domain: stored user records}; objects_of(name, domain): the stored records of an object (device,
    answerrule, phonenumber, address, dialpolicy, permission), e.g. Emulator.objects or the store's objects;
    pin_min_length: the packs' parameter of that name.
    Returns {'violations': sorted [rule, user, domain, device, reason], 'by_rule': {rule: n}, 'checks': {rule: n}}.
    """
    rules = [rule for pack in PACKS.values() for rule in pack]
    checks = dict.fromkeys(rules, 0)
    violations = []
    for domain, records in records_by_domain.items():
        violations.extend(_domain_findings(DomainData(domain, records, objects_of, pin_min_length), checks))
    by_rule = dict.fromkeys(rules, 0)
    for violation in violations:
        by_rule[violation[0]] += 1
    return {"violations": sorted(violations), "by_rule": by_rule, "checks": checks}
