"""Devices (SIP registrations): v1 ``object=device`` (a whole domain, or one user's with ``user``), v2
``/domains/{d}/users/{u}/devices`` (44.x: per user only; the item path takes the device name, ``1001a``).

Every user that is not a system user (``srv_code`` ``system-...``) has a desk phone ``<user>a``; every fifth extension
(1005, 1010, ...) also a second desk phone ``<user>b`` and a mobile app ``<user>m``. In the first domain, the device case
users (``cases.DEVICES``) and the clean users (``cases.CLEAN``) have one device only: a registered TLS phone with a long
SIP password that overrides neither the emergency caller ID nor the E911 address, changed as the case table says.
"""
from __future__ import annotations

import datetime
import random
import string

from ..objects import Emulated, register
from . import cases

# model, MAC prefix (the vendor's OUI), user agent
DESK_PHONES = (
    ("Polycom VVX 450", "0004F2", "PolycomVVX-VVX_450-UA/6.4.3.5018"),
    ("Yealink T54W", "805EC0", "Yealink SIP-T54W 96.86.0.70"),
    ("Cisco 8851", "00EBD5", "Cisco-CP8851/14.2.1"),
    ("Grandstream GRP2614", "C074AD", "Grandstream GRP2614 1.0.5.67"),
    ("Poly Edge E450", "64167F", "PolyEdge-Edge_E450-UA/8.1.3.1301"),
)
MOBILE_AGENT = "SNAPmobile/3.4.1 (iOS 17.5)"
TRANSPORTS = ("udp", "udp", "tcp", "tls", "tls", "tls")
CORES = ("core1-sd.emulator.example", "core2-ny.emulator.example")
SIP_PORTS = {"udp": 5060, "tcp": 5060, "tls": 5061}
REGISTERED_SINCE = datetime.datetime(2024, 5, 1)
SECRET_ALPHABET = string.ascii_letters + string.digits
CONTROLLED_PASSWORD_LENGTH = 24
# The registration fields of a device that is not registered (cases.DEVICES["1013"] clears the same ones).
UNREGISTERED = {"mode": "unregistered", "registration_time": "", "registration_expires_time": "", "user_agent": "",
                "contact": "", "received_from": "", "hostname": ""}

# v1 field -> v2 field (reference netsapiens-objects.md section 1.2), in the order a v2 device lists them.
V1_TO_V2 = {
    "aor_user": "device",
    "subscriber_name": "user",
    "subscriber_domain": "domain",
    "aor": "device-sip-registration-uri",
    "mode": "device-sip-registration-state",
    "user_agent": "device-sip-registration-user-agent",
    "contact": "device-sip-registration-contact",
    "received_from": "device-sip-registration-ip-address",
    "registration_time": "device-sip-registration-datetime",
    "registration_expires_time": "device-sip-registration-expires-datetime",
    "expires": "device-sip-registration-expiry-seconds",
    "server": "device-provisioning-registration-core-server",
    "hostname": "device-sip-registration-core-server",
    "authentication_key": "device-sip-registration-password",
    "auth_user": "device-provisioning-username",
    "auth_pass": "device-provisioning-password",
    "mac": "device-provisioning-mac-address",
    "model": "device-models-model",
    "transport": "device-provisioning-sip-transport-protocol",
    "overrides": "device-provisioning-overrides",
    "line": "device-provisioning-line",
    "callid_emgr": "caller-id-number-emergency",
    "address_id": "emergency-address-id",
    "sub_fullname": "name-full-name",
    "sub_login": "login-username",
    "accept_agent": "device-sip-allowed-user-agent",
}
V2_INTEGERS = frozenset(("device-sip-registration-expiry-seconds", "device-provisioning-line"))
# v2 fields that are null, not "", when unset (SPEC45: date-time|null, string|null)
V2_NULLABLE = frozenset(("device-sip-registration-datetime", "device-sip-registration-expires-datetime",
                         "emergency-address-id", "device-provisioning-username", "device-provisioning-password",
                         "device-provisioning-line"))
# v2 fields with no v1 name, and what the emulator serves for them
V2_ONLY = {"device-push-enabled": "yes", "device-srtp-enabled": "no", "device-sip-nat-traversal-enabled": "automatic",
           "device-level-call-recording-enabled": "no", "recording-configuration": "no",
           "device-sip-latency-seconds-current": 0.021, "error-reading-from-endpoint-module": "no"}


def _secret(rng, length):
    return "".join(rng.choice(SECRET_ALPHABET) for _index in range(length))


def _either_type(rng, number):
    """A number as v1 servers disagree on it: a JSON number or its digits (PM types it a string, DeviceLegacy an integer)."""
    return number if rng.random() < 0.5 else str(number)


def _registration(rng, aor_user, transport, agent):
    """The fields of a current registration (v1 names)."""
    expires = rng.choice((60, 300, 3600, 3600))
    since = REGISTERED_SINCE + datetime.timedelta(days=rng.randint(0, 30), seconds=rng.randint(0, 86399))
    port = rng.randint(1024, 65535)
    return {
        "mode": "registered",
        "user_agent": agent,
        "contact": f"sip:{aor_user}@192.168.{rng.randint(0, 255)}.{rng.randint(2, 254)}:{SIP_PORTS[transport]};transport={transport}",
        "received_from": f"198.51.100.{rng.randint(2, 254)}:{port}",
        "registration_time": since.strftime("%Y-%m-%d %H:%M:%S"),
        "registration_expires_time": (since + datetime.timedelta(seconds=expires)).strftime("%Y-%m-%d %H:%M:%S"),
        "expires": _either_type(rng, expires),
        "hostname": rng.choice(CORES),
    }


def _phone(rng, mobile):
    """Provisioning fields of a desk phone, or of a mobile app (no MAC, model or line)."""
    if mobile:
        return {"mac": "", "model": "", "transport": "tls", "line": "", "overrides": ""}, MOBILE_AGENT
    model, oui, agent = rng.choice(DESK_PHONES)
    overrides = f'device.auth.localAdminPassword="{_secret(rng, 12)}"' if rng.random() < 0.15 else ""
    return {"mac": oui + "".join(rng.choice("0123456789ABCDEF") for _index in range(6)), "model": model,
            "transport": rng.choice(TRANSPORTS), "line": _either_type(rng, 1), "overrides": overrides}, agent


def _emergency(rng, owner):
    """callid_emgr and address_id: mostly '[*]' and '' (the device inherits the user's), sometimes its own."""
    roll = rng.random()
    callid = "[*]" if roll < 0.8 else ("" if roll < 0.85 else f"{owner['area_code']}555{rng.randint(0, 9999):04d}")
    address = f"EA{rng.randint(100000, 999999)}" if rng.random() < 0.15 else ""
    return {"callid_emgr": callid, "address_id": address, "address_pretty_print": "", "address_ip": "",
            "is_endpoint_callid": bool(address), "address_id_source": "device" if address else "user"}


def make_device(rng, owner, suffix, mobile=False):
    """One device of a subscriber, in v1 form with the value types a v1 server emits."""
    user, domain = str(owner["user"]), owner["domain"]
    aor_user = f"{user}{suffix}"
    provisioning, agent = _phone(rng, mobile)
    registration = _registration(rng, aor_user, provisioning["transport"], agent)
    if rng.random() < 0.15:
        registration.update(UNREGISTERED)
    record = {"aor": f"sip:{aor_user}@{domain}", "aor_user": aor_user, "subscriber_name": user, "subscriber_domain": domain}
    record.update(registration)
    record.update(server=rng.choice(CORES), authentication_key=_secret(rng, rng.choice((8, 12, 16, 20))),
                  auth_user="" if mobile else aor_user, auth_pass="" if mobile else _secret(rng, 10))
    record.update(provisioning)
    record["call_processing_rule"] = "Record" if rng.random() < 0.1 else ""
    record.update(_emergency(rng, owner))
    record.update(sub_fullname=f"{owner['first_name']} {owner['last_name']}", sub_login=owner["subscriber_login"],
                  sub_scope=owner["scope"], srv_code=owner["srv_code"], ndperror=None if rng.random() < 0.5 else "",
                  accept_agent="")
    return record


def controlled_device(rng, owner, overrides):
    """The one device of a first-domain case or clean user: registered over TLS (or the case's transport) with a long SIP
    password, no emergency overrides of its own, then the case's fields."""
    record = make_device(rng, owner, "a")
    transport = overrides.get("transport", "tls")
    agent = next(agent for model, _oui, agent in DESK_PHONES if model == record["model"])
    record.update(_registration(rng, record["aor_user"], transport, agent))
    record.update(transport=transport, authentication_key=_secret(rng, CONTROLLED_PASSWORD_LENGTH), callid_emgr="[*]",
                  address_id="", address_id_source="user", is_endpoint_callid=False)
    record.update(overrides)
    if record["mode"] == "unregistered":
        record.update(UNREGISTERED)
    return record


def devices_of(store, domain, owner):
    """The devices of one subscriber, in server order."""
    user = str(owner["user"])
    if str(owner.get("srv_code") or "").startswith("system-"):
        return []
    rng = random.Random(f"{store.seed}:{domain}:{user}:device")
    overrides = cases.device_overrides(user) if domain == store.first_domain else None
    if overrides is not None:
        return [controlled_device(rng, owner, overrides)]
    devices = [make_device(rng, owner, "a")]
    if user.isdigit() and int(user) % 5 == 0 and not store.one_object_per_user:
        devices += [make_device(rng, owner, "b"), make_device(rng, owner, "m", mobile=True)]
    return devices


def build(store, domain, users):
    return [device for owner in users for device in devices_of(store, domain, owner)]


def to_v2(record):
    """A stored v1 device as a v2 Device: v2 names, integers where SPEC45 has them, null for unset nullable fields."""
    result = {}
    for v1_name, v2_name in V1_TO_V2.items():
        value = record.get(v1_name)
        if v2_name in V2_NULLABLE and value in ("", None):
            value = None
        elif v2_name in V2_INTEGERS:
            value = int(value)
        elif value is not None:
            value = str(value)
        result[v2_name] = value
    result.update(V2_ONLY)
    return result


register(Emulated(name="device", element="device", v2_collection="devices", key="aor", build=build, to_v2=to_v2,
                  per_user=True, owner="subscriber_name", v2_key_of=lambda record: record["aor_user"]))
