"""The compliance cases of the first domain, in one table that every object builder (and the emulator's compliance
evaluator) reads, so that they agree. Users not named here get ordinary generated data; CLEAN users are controls that
no compliance pack may flag. The first domain's users 1001 and 1002 keep their generated subscriber fields (the golden
inventory holds them); subscriber overrides start at 1009.
"""
from __future__ import annotations

# user -> (v2 answer-rule feature, enabled, destinations) of the user's default ('*') answer rule
FORWARDS = {
    "1002": ("forward-always", "yes", ["011441632960123"]),          # international (011)
    "1003": ("forward-no-answer", "yes", ["19005550123"]),           # premium rate (1-900)
    "1004": ("forward-on-busy", "yes", ["8585550123"]),              # domestic (NANP 10 digits)
    "1005": ("forward-always", "yes", ["vmail_1005"]),               # internal (voicemail)
    "1006": ("forward-always", "no", ["011441632960124"]),           # international but disabled: must not count
    "1007": ("simultaneous-ring", "yes", ["1007", "+447700900123"]),  # international ('+' not followed by 1)
    "1008": ("forward-when-unregistered", "yes", ["+19765550123"]),   # premium rate (976 with +1)
}

# user -> overrides of the fields of the user's first device (v1 names)
DEVICES = {
    "1009": {"callid_emgr": "6195550199"},            # an emergency caller ID that is none of the domain's numbers
    "1010": {"callid_emgr": ""},                      # no emergency caller ID (the user has none either)
    "1011": {"callid_emgr": "[*]"},                   # inherits the user's emergency caller ID, a DID: must not count
    "1012": {"transport": "udp", "authentication_key": "k9x2"},   # SIP over UDP with a 4-character password
    "1013": {"mode": "unregistered", "registration_time": "", "registration_expires_time": "", "user_agent": "",
             "contact": "", "received_from": ""},      # never registered
    "1014": {"address_id": ""},                       # no E911 address (the user has none either)
}

# user -> overrides of the subscriber record (v1 names); DID marks the user's own DID (see did_of)
DID = object()
SUBSCRIBERS = {
    "1010": {"callid_emgr": ""},
    "1011": {"callid_emgr": DID},
    "1014": {"address_id": ""},
    "1015": {"dial_policy": "Permit All (International)"},   # a policy that permits 011
    "1016": {"dial_policy": "No Emergency"},                 # a policy that denies 911
    "1017": {"subscriber_pin": "1234", "vmail_enabled": "yes"},     # a common PIN
    "1018": {"subscriber_pin": "1018", "vmail_enabled": "yes"},     # the extension itself
    "1019": {"subscriber_pin": "121212", "vmail_enabled": "yes"},   # a repeated pattern
}

# Controls: a strong PIN, their own DID as emergency caller ID, an E911 address, a domestic dial policy, a registered
# TLS device with a long SIP password, and only an internal forward.
CLEAN = ("1020", "1021", "1022")
CLEAN_SUBSCRIBER = {"dial_policy": "US and Canada", "vmail_enabled": "yes", "callid_emgr": DID}
CLEAN_PINS = {"1020": "739418", "1021": "582047", "1022": "906153"}
CLEAN_DEVICE = {"transport": "tls", "callid_emgr": "[*]"}
CLEAN_FORWARD = ("forward-no-answer", "yes", ["vmail_{user}"])

# A user whose E911 address id names no address of the domain (dangling): the address builder leaves that id out.
# Generated ids are EA + six digits from 100000, so this one is never generated for anybody else.
DANGLING_ADDRESS = ("1023", "EA000000")


def did_of(area_code, user):
    """The DID routed to a user: 1 + area code + 555 + the last four digits of the extension."""
    return f"1{area_code}555{int(user) % 10000:04d}"


def has_did(user, first_domain):
    """Whether the user has a DID: every even extension, and in the first domain every case and clean user."""
    if not user.isdigit():
        return False
    return int(user) % 2 == 0 or (first_domain and (user in SUBSCRIBERS or user in CLEAN or user in DEVICES))


def subscriber_overrides(user, area_code):
    """The subscriber fields the first domain's case and clean users get instead of generated ones."""
    fields = dict(SUBSCRIBERS.get(user, {}))
    if user in CLEAN:
        fields.update(CLEAN_SUBSCRIBER, subscriber_pin=CLEAN_PINS[user], address_id=f"EA9{user}")
    if user == DANGLING_ADDRESS[0]:
        fields["address_id"] = DANGLING_ADDRESS[1]
    return {name: (did_of(area_code, user)[1:] if value is DID else value) for name, value in fields.items()}


def device_overrides(user):
    """The fields the first domain's device case and clean users get on their one device (None for other users)."""
    if user in CLEAN:
        return dict(CLEAN_DEVICE)
    if user in DEVICES:
        return dict(DEVICES[user])
    return None
