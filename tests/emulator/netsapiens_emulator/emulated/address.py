"""E911 addresses (v1 ``object=address``, v2 ``/domains/{d}/addresses``), built from the users' ``address_id``.

Every id a user of a domain carries is an address of that domain, owned by the first user who carries it; one of them
per domain is not validated (no PIDF-LO); one more address, of the whole domain (user ``*``), is used by nobody (stale).
In the first domain the id of cases.DANGLING_ADDRESS is left out (a dangling reference), and the unvalidated address is
never a case or clean user's, so each case keeps its one finding.
"""
from __future__ import annotations

import random
from xml.sax.saxutils import escape

from ..objects import Emulated, register
from .cases import CLEAN, DANGLING_ADDRESS, DEVICES, FORWARDS, SUBSCRIBERS

# area code -> (city, state or province, postal code, country)
PLACES = {
    858: ("San Diego", "CA", "92121-1761", "US"), 212: ("New York", "NY", "10001", "US"),
    512: ("Austin", "TX", "78701", "US"), 416: ("Toronto", "ON", "M5V 2T6", "CA"),
    650: ("Palo Alto", "CA", "94301", "US"), 310: ("Malibu", "CA", "90265", "US"),
    201: ("Gotham", "NJ", "07302", "US"), 303: ("Denver", "CO", "80202-3111", "US"),
    408: ("Sunnyvale", "CA", "94085", "US"), 213: ("Los Angeles", "CA", "90012", "US"),
    312: ("Chicago", "IL", "60601", "US"), 718: ("Queens", "NY", "11101", "US"),
    999: ("Metropolis", "IL", "62960", "US"),
}
ELSEWHERE = ("Springfield", "IL", "62701", "US")
STREETS = ("Main St", "Market St", "Oak Ave", "Park Blvd", "Broadway", "1st Ave", "Commerce Dr", "Technology Way")
LOCATIONS = ("Front desk", "2nd floor, east wing", "Reception", "Warehouse office", "Home office")
CARRIERS = ("bandwidth", "bandwidth", "inteliquent")
CASE_USERS = frozenset(FORWARDS) | frozenset(DEVICES) | frozenset(SUBSCRIBERS) | frozenset(CLEAN) | {DANGLING_ADDRESS[0]}
PIDFLO = "address-formatted-pidflo"
# (domain, address id) -> how many users carry it: v2's count-users-configured (filled by build, read by to_v2).
USERS_CONFIGURED = {}


def _civic(rng, place):
    city, state, postal, country = place
    return {
        "address_line_1": f"{rng.randint(100, 9999)} {rng.choice(STREETS)}",
        "address_line_2": rng.choice(("", "", "", f"Suite {rng.randint(100, 990)}", f"Floor {rng.randint(2, 30)}")),
        "city": city, "state_code": state, "zip": postal, "country_code": country,
    }


def _pidflo(record):
    """The civic location as a validated PIDF-LO, in v1's object form."""
    number, _space, street = record["address_line_1"].partition(" ")
    return {"country": record["country_code"], "A1": record["state_code"], "A3": record["city"], "HNO": number,
            "RD": street, "LOC": " ".join(filter(None, (record["address_line_2"], record["location"]))),
            "PC": record["zip"], "NAM": record["address_name"]}


def _address(store, domain, address_id, owner):
    """One validated address in v1 form; owner is a user record, or None for an address of the whole domain."""
    rng = random.Random(f"{store.seed}:{domain}:{owner['user'] if owner else '*'}:address")
    info = store.domains[domain]
    name = f"{owner['first_name']} {owner['last_name']}" if owner else "Old office"
    record = {
        "address_id": address_id, "domain": domain, "user": str(owner["user"]) if owner else "*", "address_name": name,
        "callid_nmbr": info["description"] if rng.random() < 0.6 else name,
    }
    record.update(_civic(rng, PLACES.get(int(info["area_code"]), ELSEWHERE)))
    record.update(location=rng.choice(("",) * 5 + LOCATIONS), carrier=rng.choice(CARRIERS),
                  public_ip=f"203.0.113.{rng.randint(1, 254)}" if rng.random() < 0.5 else "")
    record[PIDFLO] = _pidflo(record)
    return record


def build(store, domain, users):
    owners = {}
    counts = {}
    for user in users:
        address_id = str(user.get("address_id") or "")
        if address_id and not (domain == store.first_domain and address_id == DANGLING_ADDRESS[1]):
            owners.setdefault(address_id, user)
            counts[address_id] = counts.get(address_id, 0) + 1
    records = [_address(store, domain, address_id, owner) for address_id, owner in owners.items()]
    rng = random.Random(f"{store.seed}:{domain}:address")
    candidates = [record for record in records if record["user"] not in CLEAN
                  and not (domain == store.first_domain and record["user"] in CASE_USERS)]
    if candidates:
        rng.choice(candidates)[PIDFLO] = None
    stale_id = f"EA0{rng.randint(10000, 99999)}"
    records.append(_address(store, domain, stale_id, None))
    counts[stale_id] = 0
    USERS_CONFIGURED.update(((domain, address_id), count) for address_id, count in counts.items())
    return records


def _pidflo_xml(record):
    civic = record[PIDFLO]
    if not civic:
        return ""
    parts = "".join(f"<{name}>{escape(str(value))}</{name}>" for name, value in civic.items())
    return ('<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:%s@%s"><tuple id="%s"><status><geopriv>'
            '<location-info><civicAddress xmlns="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr">%s</civicAddress>'
            '</location-info></geopriv></status></tuple></presence>'
            % (escape(record["address_id"]), escape(record["domain"]), escape(record["address_id"]), parts))


def to_v2(record):
    pretty = f"{record['address_line_1']}\r\n{record['city']}, {record['state_code']} {record['zip']}"
    return {
        "emergency-address-id": record["address_id"],
        "domain": record["domain"],
        "user": record["user"],
        "address-name": record["address_name"],
        "caller-name": record["callid_nmbr"],
        "address-line-1": record["address_line_1"],
        "address-line-2": record["address_line_2"] or None,
        "address-city": record["city"],
        "address-state-province-abbreviation": record["state_code"],
        "address-postal-code": record["zip"],
        "address-country-abbreviation": record["country_code"],
        "address-location-description": record["location"] or None,
        "ip-address-public": record["public_ip"] or None,
        "address-formatted-pidflo": _pidflo_xml(record),
        "carrier": record["carrier"],
        "count-users-configured": USERS_CONFIGURED.get((record["domain"], record["address_id"]), 0),
        "address-formatted-pretty": pretty,
        "address-is-default-for-site": None,
    }


register(Emulated(name="address", element="address", v2_collection="addresses", key="address_id", build=build,
                  to_v2=to_v2))
