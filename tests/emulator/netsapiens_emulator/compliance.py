"""Ground truth of the deliberate policy violations in the emulator's data.

The data generator sets voicemail, ring time, caller IDs, dialing rights, email and account status so that a
known share of users breaks each rule of the baseline policy (playbooks/policies/baseline.yml). This module
decides, independently of the collection's audit code, which stored records break which rule, so tests can
compare an audit's counts with the truth, per rule and per domain.
"""
from __future__ import annotations

import datetime
import re

TEN_DIGITS = re.compile(r"[0-9]{10}")
NON_MANAGERS = ("Basic User", "Simple User", "Advanced User", "Call Center Agent", "Call Center Supervisor", "Site Manager")


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _ring_time_bad(record):
    try:
        seconds = float(_text(record.get("no_answer_timeout")))
    except ValueError:
        return True
    return not 15 <= seconds <= 30


# Rule id -> (severity, predicate that is True when the raw v1 record BREAKS the rule).
BASELINE_RULES = {
    "VM-001": ("high", lambda r: _text(r.get("vmail_enabled")) != "yes"),
    "VM-002": ("low", lambda r: _text(r.get("vmail_notify")) == "no"),
    "RING-001": ("medium", _ring_time_bad),
    "E911-001": ("critical", lambda r: not TEN_DIGITS.fullmatch(_text(r.get("callid_emgr")))),
    "CID-001": ("medium", lambda r: not TEN_DIGITS.fullmatch(_text(r.get("callid_nmbr")))),
    "DIAL-001": ("high", lambda r: _text(r.get("scope")) in NON_MANAGERS
                 and _text(r.get("dial_policy")) == "Permit All (International)"),
    "MAIL-001": ("medium", lambda r: _text(r.get("email")) == ""),
    "ACCT-001": ("low", lambda r: _text(r.get("account_status")) != "standard"),
}

# The baseline policy's exemptions: (rule, user, domain) -> expiry date or None.
BASELINE_EXEMPTIONS = {
    ("DIAL-001", "1003", "acme.12345.service"): None,
    ("VM-001", "1005", "acme.12345.service"): datetime.date(2026, 6, 30),
}


def ground_truth(records_by_domain, today):
    """{'by_rule': {rule: n}, 'by_domain': {domain: n}, 'violations': sorted [rule, user, domain], 'exempted': n}."""
    by_rule = dict.fromkeys(BASELINE_RULES, 0)
    by_domain = dict.fromkeys(records_by_domain, 0)
    violations = []
    exempted = 0
    for domain, records in records_by_domain.items():
        for record in records:
            if _text(record.get("srv_code")).startswith("system-"):
                continue
            user = _text(record.get("user"))
            for rule, (_severity, breaks) in BASELINE_RULES.items():
                if not breaks(record):
                    continue
                key = (rule, user, domain)
                if key in BASELINE_EXEMPTIONS and (BASELINE_EXEMPTIONS[key] is None or BASELINE_EXEMPTIONS[key] >= today):
                    exempted += 1
                    continue
                by_rule[rule] += 1
                by_domain[domain] += 1
                violations.append([rule, user, domain])
    return {"by_rule": by_rule, "by_domain": by_domain, "violations": sorted(violations), "exempted": exempted}
