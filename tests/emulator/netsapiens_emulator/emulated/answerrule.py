"""Answer rules: one per user and time frame, read per user (v1 ``object=answerrule&uid=user@domain``, v2
``/domains/{d}/users/{u}/answerrules``). Stored in v1 form (SPEC45 ``AnswerruleLegacy``): ``<x>_control`` ``e``/``d``
and ``<x>_parameters`` (space-separated destinations) per feature; v2 nests them as ``{enabled, parameters}``.

Every user but the system users has a default rule (time frame ``*``, priority 1) that rings the user and its devices;
some users also have an ``After Hours`` rule (priority 0) that forwards to voicemail. Generated destinations of enabled
features are internal; off-net numbers appear only as stale parameters of disabled features, so that the first
domain's off-net forwards are exactly those of ``cases.FORWARDS``.
"""
from __future__ import annotations

import random
import zlib

from ..objects import Emulated, register
from . import cases

# (v1 prefix, v2 feature, whether it carries destinations), in SPEC45's AnswerruleLegacy order.
FEATURES = (
    ("acp", "phone-numbers-to-allow", True),
    ("dnd", "do-not-disturb", False),
    ("fbu", "forward-on-busy", True),
    ("fna", "forward-no-answer", True),
    ("fnr", "forward-when-unregistered", True),
    ("foa", "forward-on-active", True),
    ("for", "forward-always", True),
    ("fsp", "forward-on-spam-call", True),
    ("pna", "forward-on-dnd", True),
    ("rej", "phone-numbers-to-reject", True),
    ("scr", "call-screening", False),
    ("sim", "simultaneous-ring", True),
)
PREFIX_OF = {feature: prefix for prefix, feature, _destinations in FEATURES}
AFTER_HOURS = "After Hours"
AFTER_HOURS_RANGE = [{"day-of-week-number": "*", "start-time": "17:00", "end-time": "08:00", "start-date": "now",
                      "end-date": "never", "invert-match": "no"}]


def _v1_user(user):
    """v1 types ``user`` as an integer: extensions are JSON numbers, other ids strings."""
    return int(user) if user.isascii() and user.isdigit() else user


def _rule(domain, user, time_frame, priority, active):
    rule = {"domain": domain, "user": _v1_user(user), "time_frame": time_frame, "priority": priority, "enable": "yes"}
    for prefix, _feature, destinations in FEATURES:
        rule[f"{prefix}_control"] = "d"
        if destinations:
            rule[f"{prefix}_parameters"] = ""
    rule["active"] = active
    return rule


def _turn_on(rule, feature, enabled, destinations):
    prefix = PREFIX_OF[feature]
    rule[f"{prefix}_control"] = "e" if enabled == "yes" else "d"
    rule[f"{prefix}_parameters"] = " ".join(destinations)


def _default_rule(domain, user, active=True):
    rule = _rule(domain, user, "*", 1, active)
    _turn_on(rule, "simultaneous-ring", "yes", [user, "<OwnDevices>"])
    return rule


def _case_rules(domain, user):
    """The first domain's case and clean users: the default rule with exactly the table's feature."""
    rule = _default_rule(domain, user)
    feature, enabled, destinations = cases.FORWARDS.get(user) or cases.CLEAN_FORWARD
    _turn_on(rule, feature, enabled, [destination.format(user=user) for destination in destinations])
    return [rule]


def _generated_rules(rng, domain, user, area_code):
    after_hours = rng.random() < 0.25
    after_hours_enabled = rng.random() >= 0.2
    after_hours_active = after_hours and after_hours_enabled and rng.random() < 0.4
    rule = _default_rule(domain, user, active=not after_hours_active)
    voicemail = [f"vmail_{user}"]
    for feature, share in (("forward-no-answer", 0.5), ("forward-on-busy", 0.2), ("forward-when-unregistered", 0.1)):
        if rng.random() < share:
            _turn_on(rule, feature, "yes", voicemail)
    if rng.random() < 0.1:
        _turn_on(rule, "phone-numbers-to-reject", "yes", ["anonymous", "unknown"])
    if rng.random() < 0.05:
        rule["dnd_control"] = "e"
    off = [prefix for prefix in ("for", "fbu", "fna") if rule[f"{prefix}_control"] == "d"]
    if rng.random() < 0.2:
        # A feature turned off keeps its old destination (SPEC45's example), sometimes as a JSON number.
        number = f"1{area_code}555{rng.randint(0, 9999):04d}"
        rule[f"{rng.choice(off)}_parameters"] = int(number) if rng.random() < 0.5 else number
    if not after_hours:
        return [rule]
    night = _rule(domain, user, AFTER_HOURS, 0, after_hours_active)
    night["enable"] = "yes" if after_hours_enabled else "no"
    _turn_on(night, "forward-always", "yes", voicemail)
    return [rule, night]


def _with_subscriber_schema(rng, rules, subscriber):
    """Some v1 answers carry pwd and pwd_hash, as PM's read schema (a copy of the subscriber schema) lists them."""
    if rng.random() >= 0.2:
        return rules
    secret = "".join(rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _index in range(14))
    for rule in rules:
        rule.update(pwd=secret, pwd_hash=subscriber["pwd_hash"])
    return rules


def build(store, domain, users):
    """The answer rules of every user of the domain but the system users, user by user, the default rule first."""
    first = domain == store.first_domain
    area_code = store.domains[domain]["area_code"]
    records = []
    for subscriber in users:
        user = str(subscriber["user"])
        if str(subscriber.get("srv_code") or "").startswith("system-"):
            continue
        rng = random.Random(f"{store.seed}:{domain}:{user}:answerrule")
        if first and (user in cases.FORWARDS or user in cases.CLEAN):
            rules = _case_rules(domain, user)
        else:
            rules = _generated_rules(rng, domain, user, area_code)[:1 if store.one_object_per_user else None]
        records.extend(_with_subscriber_schema(rng, rules, subscriber))
    return records


def _v2_destinations(parameters):
    """v1's space-separated destinations as a v2 list: digit strings (without a leading zero) become JSON numbers."""
    items = str(parameters).split()
    return [int(item) if item.isascii() and item.isdigit() and item[0] != "0" else item for item in items]


def _other_spelling(record):
    """Some users' rules use the spellings other clients report (``ordinal-priority``, a feature's ``enable``)."""
    return zlib.crc32(f"{record['domain']}:{record['user']}".encode()) % 4 == 0


def to_v2(record):
    other = _other_spelling(record)
    rule = {"domain": record["domain"], "user": str(record["user"]), "time-frame": record["time_frame"],
            "enabled": record["enable"], "is-active": bool(record["active"]),
            "ordinal-priority" if other else "order": record["priority"]}
    for prefix, feature, destinations in FEATURES:
        value = {"enable" if other else "enabled": "yes" if record[f"{prefix}_control"] == "e" else "no"}
        if destinations:
            value["parameters"] = _v2_destinations(record[f"{prefix}_parameters"])
        rule[feature] = value
    rule["time_range_data"] = AFTER_HOURS_RANGE if record["time_frame"] == AFTER_HOURS else []
    return rule


register(Emulated(name="answerrule", element="answer_rule", v2_collection="answerrules", key="time_frame",
                  build=build, to_v2=to_v2, per_user=True, owner="user", v1_uid=True, v1_domain_wide=False))
