"""Phone numbers (DIDs): the rules of the system dial plan ``DID Table`` routed to each domain.

v1 ``object=phonenumber`` with ``dialplan=DID Table`` and ``dest_domain=<d>`` (a read without them is a 400), v2
``/domains/{d}/phonenumbers`` (items by number). Every user with ``cases.has_did`` (every user of the big domain) has
the DID ``cases.did_of`` routed to it; each domain also has a main number to the auto attendant 8001, two available
numbers and a fax line to a connection. Stored sorted by number.
"""
from __future__ import annotations

import random

from ..data import BIG_DOMAIN
from ..objects import Emulated, register
from .cases import CLEAN, DEVICES, FORWARDS, SUBSCRIBERS, did_of, has_did

DID_TABLE = "DID Table"
TO_USER = "sip:start@to-user"
AVAILABLE = "AvailableDID"

# v1 responder -> v2 dial-rule-application (docs.ns-api.com, application mapping), for the responders used here.
APPLICATIONS = {
    TO_USER: "to-user",
    "sip:start@to-user-resi": "to-user-residential",
    "sip:start@to-vmail": "to-voicemail",
    "sip:start@call-queuing": "to-callqueue",
    "sip:start@to-connection": "to-connection",
    "ToUserRecordingNotice": "to-user-notify-of-recording",
    "ToUserRingback": "to-user-answer-and-fake-ringback",
    AVAILABLE: "available-number",
}

# The responder of a system user's DID, by its srv_code: the queue 8000 gets calls through call queuing.
SYSTEM_RESPONDERS = {"system-queue": "sip:start@call-queuing", "system-aa": TO_USER, "system-voicemail": "sip:start@to-vmail"}
# Generated users: mostly plain, some with a recording notice or fake ringback, a few residential, some switched off.
USER_RESPONDERS = (TO_USER,) * 6 + ("ToUserRecordingNotice", "ToUserRingback", "sip:start@to-user-resi")


def main_number(area_code):
    """The domain's main number (its caller ID number, domain record caller_id_number), answered by the auto attendant."""
    return f"1{area_code}5550100"


def rule(domain, number, responder, to_user, description, enable="yes", to_host=None):
    """One DID Table rule in v1 form: the v1-only dial-rule fields are wildcards, the source rewrites "[*]"."""
    return {
        "matchrule": f"sip:{number}@*", "enable": enable, "match_from": "*", "dow": "*", "tod_from": "*", "tod_to": "*",
        "valid_from": "*", "valid_to": "*", "responder": responder, "parameter": "", "to_scheme": "[*]",
        "to_user": to_user, "to_host": to_host or (domain if to_user != "[*]" else "[*]"), "from_name": "[*]",
        "from_scheme": "[*]", "from_user": "[*]", "from_host": "[*]", "dialplan": DID_TABLE, "domain": "*",
        "dest_domain": domain, "plan_description": description,
    }


def _is_case(user, first):
    return first and (user in SUBSCRIBERS or user in CLEAN or user in DEVICES or user in FORWARDS)


def _user_rule(seed, domain, area_code, record, first, every_user=False):
    """The DID of one user, or None when the user has none. Case and clean users get a plain enabled route."""
    user = str(record["user"])
    if not (domain == BIG_DOMAIN or has_did(user, first) or (every_user and user.isdigit())):
        return None
    rng = random.Random(f"{seed}:{domain}:{user}:phonenumber")
    responder = SYSTEM_RESPONDERS.get(record.get("srv_code")) or rng.choice(USER_RESPONDERS)
    enable = "no" if rng.random() < 0.05 else "yes"
    if _is_case(user, first):
        responder, enable = TO_USER, "yes"
    name = f"{record['first_name']} {record['last_name']}"
    return rule(domain, did_of(area_code, user), responder, user, f"Direct line of {name}", enable)


def build(store, domain, users):
    first = domain == store.first_domain
    area_code = store.domains[domain]["area_code"]
    every_user = store.one_object_per_user
    rules = [found for found in (_user_rule(store.seed, domain, area_code, record, first, every_user) for record in users) if found]
    if store.user(domain, "8001") is not None:
        rules.append(rule(domain, main_number(area_code), TO_USER, "8001", "Main number"))
    rules.append(rule(domain, f"1{area_code}5559901", AVAILABLE, "[*]", "Available"))
    rules.append(rule(domain, f"1{area_code}5559902", AVAILABLE, "[*]", "Available"))
    rules.append(rule(domain, f"1{area_code}5559950", "sip:start@to-connection", "[*]", "Fax line", to_host="fax-gateway"))
    return sorted(rules, key=lambda found: found["matchrule"])


def number_of(record):
    """The v2 phonenumber: the digits of the v1 match rule sip:<digits>@*."""
    return record["matchrule"][len("sip:"):-len("@*")]


def to_v2(record):
    return {
        "phonenumber": number_of(record),
        "domain": record["dest_domain"],
        "enabled": record["enable"],
        "dial-rule-application": APPLICATIONS[record["responder"]],
        "dial-rule-parameter": record["parameter"],
        "dial-rule-translation-destination-user": record["to_user"],
        "dial-rule-translation-destination-host": record["to_host"],
        "dial-rule-translation-source-name": record["from_name"],
        "dial-rule-description": record["plan_description"],
    }


register(Emulated(name="phonenumber", element="phone_number", v2_collection="phonenumbers", key="matchrule", build=build,
                  to_v2=to_v2, v2_key_of=number_of, v1_domain="dest_domain", v1_required={"dialplan": DID_TABLE}))
