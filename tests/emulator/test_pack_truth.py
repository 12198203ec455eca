"""Tests of the compliance packs' ground truth (netsapiens_emulator.compliance_packs): the rules read as the packs and the
reference say, and the emulator's case table gives each case its finding and the clean users none."""
from __future__ import annotations

import pytest

from netsapiens_emulator.compliance_packs import (
    PACKS,
    DomainData,
    destination_class,
    pack_truth,
    pin_reasons,
    policy_permits,
)
from netsapiens_emulator.data import FIRST_DOMAIN, Store
from netsapiens_emulator.emulated import cases, register_all
from netsapiens_emulator.objects import build_all

EXTENSIONS = {"1001", "1002", "8000"}


@pytest.fixture(scope="module", name="store")
def store_fixture():
    register_all()
    store = Store(seed=1, domains=2)
    store.objects = build_all(store)
    return store


def truth_of(store):
    return pack_truth(store.users, lambda name, domain: store.objects[name].get(domain, []))


@pytest.mark.parametrize("token, kind", [
    ("1001", "internal"), ("1001a", "internal"), ("1002wp", "internal"), ("<OwnDevices>", "internal"),
    ("vmail_1001", "internal"), ("8585551234_voicemail_1001", "internal"), ("queue_8000", "internal"),
    ("Prompt_8001001", "internal"), ("park_1234", "internal"),
    ("8585550123", "domestic"), ("18585550123", "domestic"), ("+18585550123", "domestic"), ("5550123", "domestic"),
    ("confirm_18005551234", "domestic"), ("8585551234_pstn_18585550123", "domestic"), ("18585550123;delay=15", "domestic"),
    ("011441632960123", "international"), ("+447700900123", "international"), ("8585551234_pstn_011442071234567", "international"),
    ("19005550123", "premium"), ("9765550123", "premium"), ("+19765550123", "premium"),
    ("1003", "unknown"), ("911", "unknown"), ("+1858555012", "unknown"), ("1858555012", "unknown"), ("011abc", "unknown"),
    ("AAMain", "unknown"),
])
def test_forward_destinations_are_classified_as_the_reference_says(token, kind):
    assert destination_class(token, EXTENSIONS, "858") == kind


def test_only_enabled_sending_features_of_enabled_rules_count():
    rules = [{"user": 1001, "enable": "yes", "for_control": "e", "for_parameters": "011441632960123 vmail_1001",
              "fna_control": "d", "fna_parameters": 19005550123, "rej_control": "e", "rej_parameters": "+447700900123"},
             {"user": 1001, "enable": "no", "sim_control": "e", "sim_parameters": "+447700900124"}]
    data = DomainData("d", [{"user": "1001", "area_code": 858}], lambda name, _domain: rules if name == "answerrule" else [])
    assert [data.forwards("1001", kind) for kind in ("international", "premium", "internal")] == [
        "011441632960123", "", "vmail_1001"]


@pytest.mark.parametrize("pin, reasons", [
    ("739418", ""), ("", "empty"), ("1234", "common,sequence,too_short"), ("654321", "common,sequence"),
    ("13579", "too_short"), ("777777", "one_digit"), ("121212", "common,repeated_pattern"), ("384384", "repeated_pattern"),
    ("1001", "extension,too_short"), ("100100", "repeated_pattern"), ("550123", "phone_number"),
    ("321055", "phone_number"), ("12a456", "not_digits"), ("2001", "common,too_short"),
])
def test_pin_reasons(pin, reasons):
    assert pin_reasons(pin, "1001", ["8585550123", "[*]"], 6) == reasons


def test_pin_length_is_the_packs_parameter():
    assert (pin_reasons("13579", "1001", [], 5), pin_reasons("739418", "1001", [], 8)) == ("", "too_short")


def row(match, mode):
    return {"dial_match": match, "mode": mode}


def test_dial_policies_are_probed_in_row_order():
    us_and_canada = [row("911", "permit"), row("1900*", "deny"), row("1??????????", "permit"), row("011*", "deny")]
    assert [policy_permits(us_and_canada, probe) for probe in ("911", "international", "premium")] == ["yes", "no", "yes"]
    assert policy_permits(us_and_canada[:1] + [row("1900*", "deny"), row("1976*", "deny"), row("*", "permit")],
                          "premium") == "no"
    assert policy_permits([row("sip:911@*", "deny")], "911") == "no"
    assert policy_permits([row("9XX", "permit"), row("911", "permit")], "911") == "undetermined"
    assert (policy_permits([row("1??????????", "permit")], "911"), policy_permits(None, "911")) == ("no_rule", "unknown_policy")


def test_emergency_caller_id_and_address_of_a_device():
    address = {"address_id": "EA1", "address_line_1": "1 Main St", "city": "San Diego", "state_code": "CA",
               "zip": "92121", "country_code": "US", "address-formatted-pidflo": {"A1": "CA"}}
    objects = {"phonenumber": [{"matchrule": "sip:18585550100@*", "to_user": "8001"}],
               "address": [address, dict(address, address_id="EA2", **{"address-formatted-pidflo": None}),
                           dict(address, address_id="EA3", zip="")]}
    users = [{"user": "1001", "callid_emgr": "8585550100", "address_id": "EA1"}, {"user": "1002", "callid_emgr": "[*]"}]
    data = DomainData("d", users, lambda name, _domain: objects.get(name, []))

    def device(user, **fields):
        return dict({"subscriber_name": user, "callid_emgr": "[*]", "address_id": ""}, **fields)
    assert [data.callback(device("1001")), data.callback(device("1001", callid_emgr="6195550199")),
            data.callback(device("1002")), data.callback(device("1002", callid_emgr="12345"))] == [
        "ok", "foreign", "missing", "invalid"]
    assert [data.location(device("1001")), data.location(device("1002")), data.location(device("1001", address_id="EA9")),
            data.location(device("1001", address_id="EA2")), data.location(device("1002", address_id="EA3"))] == [
        "ok", "missing", "dangling", "unvalidated", "incomplete"]


def test_the_case_table_gives_each_case_its_finding_and_the_clean_users_none(store):
    truth = truth_of(store)
    first = [finding for finding in truth["violations"] if finding[2] == FIRST_DOMAIN]
    rules_of = {}
    for rule, user, _domain, _device, reason in first:
        rules_of.setdefault(user, {}).setdefault(rule, []).append(reason)
    assert rules_of["1002"]["TF-FWD-INTL"] == ["011441632960123"] and rules_of["1003"]["TF-FWD-PREMIUM"] == ["19005550123"]
    assert rules_of["1007"]["TF-FWD-INTL"] == ["+447700900123"] and rules_of["1008"]["TF-FWD-PREMIUM"] == ["+19765550123"]
    forwarding = set(rules_of["1004"]) | set(rules_of["1005"]) | set(rules_of["1006"])
    assert not {"TF-FWD-INTL", "TF-FWD-PREMIUM", "TF-FWD-UNKNOWN"} & forwarding
    assert (rules_of["1009"]["E911-CALLBACK"], rules_of["1010"]["E911-CALLBACK"]) == (["foreign"], ["missing"])
    assert "E911-CALLBACK" not in rules_of["1011"]
    assert (rules_of["1012"]["DEV-TLS"], rules_of["1012"]["DEV-SIP-PASSWORD"], rules_of["1013"]["DEV-REGISTERED"]) == (
        ["udp"], ["4"], ["no"])
    assert (rules_of["1014"]["E911-LOCATION"], rules_of[cases.DANGLING_ADDRESS[0]]["E911-LOCATION"]) == (["missing"], ["dangling"])
    assert (rules_of["1015"]["TF-DIAL-INTL"], rules_of["1016"]["E911-DIAL"]) == (["yes"], ["no"])
    assert [rules_of[user]["VMPIN-WEAK"] for user in ("1017", "1018", "1019")] == [
        ["common,sequence,too_short"], ["extension,phone_number,too_short"], ["common,repeated_pattern"]]
    assert not set(cases.CLEAN) & set(rules_of)
    assert set(truth["by_rule"]) == {rule for rules in PACKS.values() for rule in rules} and all(truth["by_rule"].values())
