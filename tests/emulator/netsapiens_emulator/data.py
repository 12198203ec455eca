"""Deterministic generation of domains and subscriber records, stored in v1 form with v1 value types."""
from __future__ import annotations

import datetime
import random
import unicodedata

from .emulated.cases import subscriber_overrides

RESELLER = "reseller.demo"
BIG_DOMAIN = "big.99999.service"

# Every v1 subscriber field, in the order the v1 API emits them.
FIELDS = (
    "dir", "user", "domain", "message", "vmail_provisioned", "accept", "reject", "screen", "no_answer_timeout",
    "first_name", "last_name", "group", "site", "subscriber_login", "subscriber_pin", "pwd_hash", "language",
    "data_limit", "call_limit", "time_zone", "dir_anc", "directory_order", "vmail_greeting", "vmail_enabled",
    "rej_anony", "vmail_annc_time", "vmail_annc_cid", "vmail_sort_lifo", "vmail_fwd_to", "vmail_notify",
    "vmail_notify_enabled", "vmail_transcribe", "email", "ntfy_missed_call", "ntfy_data_limit", "dial_plan",
    "dial_policy", "callid_nmbr", "callid_name", "callid_emgr", "area_code", "presence", "dir_list",
    "date_created", "srv_code", "scope", "last_update", "gauSession", "account_status", "rcv_broadcast",
    "privacy", "address_id", "hide_call_recordings", "rmoh", "moh_interval",
)

# Fields of v1 `object=subscriber&action=list` (public directory information).
LIST_FIELDS = ("domain", "user", "first_name", "last_name", "group", "dir", "site")

DOMAIN_FIELDS = (
    "domain", "territory", "description", "dial_plan", "dial_policy", "time_zone", "area_code", "caller_id_name",
    "caller_id_number", "caller_id_number_emergency", "language", "email_sender", "moh", "mor", "mot", "rmoh",
    "max_user", "max_call_queue", "max_aa", "max_conference", "max_department", "max_device", "max_site",
)

SCOPES = (
    "Basic User", "Simple User", "Advanced User", "Call Center Agent", "Site Manager", "Call Center Supervisor",
    "Office Manager", "Reseller", "Super User", "NDP", "No Portal",
)

# slug, number, company name, area code, time zone, city
COMPANIES = (
    ("acme", 12345, "Acme Corp", 858, "US/Pacific", "San Diego"),
    ("globex", 23456, "Globex Corporation", 212, "US/Eastern", "New York"),
    ("initech", 34567, "Initech", 512, "US/Central", "Austin"),
    ("umbrella", 45678, "Umbrella Corporation", 416, "Canada/Eastern", "Toronto"),
    ("hooli", 56789, "Hooli", 650, "US/Pacific", "Palo Alto"),
    ("stark", 67890, "Stark Industries", 310, "US/Pacific", "Malibu"),
    ("wayne", 78901, "Wayne Enterprises", 201, "US/Eastern", "Gotham"),
    ("wonka", 89012, "Wonka Industries", 303, "US/Mountain", "Denver"),
    ("cyberdyne", 90123, "Cyberdyne Systems", 408, "US/Pacific", "Sunnyvale"),
    ("tyrell", 13579, "Tyrell Corporation", 213, "US/Pacific", "Los Angeles"),
    ("soylent", 24680, "Soylent Corp", 312, "US/Central", "Chicago"),
    ("vandelay", 35791, "Vandelay Industries", 718, "US/Eastern", "Queens"),
)

FIRST_NAMES = (
    "Dana", "Alex", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Harper", "Rowan",
    "Emily", "Liam", "Olivia", "Noah", "Sophia", "Mason", "Isabella", "Lucas", "Mia", "Ethan", "Amelia", "Logan",
    "Chloe", "Aiden", "Grace", "Elijah", "Zoe", "Mateo", "Nora", "Hiro", "Priya", "Wei", "Fatima", "Kwame",
)
LAST_NAMES = (
    "Lopez", "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Wilson", "Anderson", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson",
    "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Nguyen",
    "Patel", "Kim", "Chen", "Okafor", "de Guerto",
)
GROUPS = ("", "Sales", "Support", "Engineering", "Billing", "Office", "Marketing", "Operations")
LANGUAGES = ("en_US", "en_US", "en_US", "en_us", "fr_CA", "es_MX")
TIME_ZONES = ("US/Pacific", "US/Eastern", "US/Central", "US/Mountain", "Canada/Eastern", "America/New_York",
              "Europe/London")
DIAL_POLICIES = ("US and Canada", "US and Canada", "Permit All", "Permit All (International)", "Internal Only")
NOTIFY = ("no", "yes", "attnew", "attsave", "atttrash", "brief", "briefattnew")
TRANSCRIBE = ("no", "no", "no", "google", "Deepgram", "Voicebase")
PRESENCE = ("inactive", "inactive", "open", "closed", "inuse")
STATUS_MESSAGES = ("In a meeting", "Out of office until Monday", "Working from home")
ACCOUNT_STATUS = ("standard",) * 12 + ("new", "reset", "pwd reset")
SCOPE_WEIGHTS = (("Basic User", 60), ("Advanced User", 10), ("Simple User", 8), ("Call Center Agent", 10),
                 ("Site Manager", 4), ("Office Manager", 4), ("Call Center Supervisor", 4))

SYSTEM_USERS = (
    ("8000", "Sales", "Queue", "system-queue"),
    ("8001", "Main", "Auto Attendant", "system-aa"),
    ("8002", "Voicemail", "Service", "system-voicemail"),
)

# Users with awkward ids in the first domain, so clients can be tested for exact delivery of a user id.
AWKWARD_USERS = (
    ("a&b=c", "Ann & Bo", "Equals"),
    ("hash#1", "Hash", "Mark"),
    ("sl/ash", "Slash", "Dot"),
    ("sp ace", "Space", "Cadet"),
    ("per%cent", "Percy", "Cent"),
    ("q?x", "Quentin", "Query"),
    ("o'neil", "Owen", "O'Neil"),
    ("zo\u00eb", "Zo\u00eb", "M\u00fcller"),
    ("p+lus", "Plus", "Sign"),
)
MFA_USER = "mfa"

# Users the directory_users switch adds to a domain, for phone-directory tests: (user, first name, last name, dir_list).
# Names with XML, CSV and LDAP DN specials, non-ASCII, a comma, control characters, quotes; one user hidden from the
# directory, two without a name; a user id made of every character a DN must escape.
DIRECTORY_USERS = (
    ("9101", "", "O'Brien & S\u00f8n <Sales>", "yes"),
    ("9102", "Sammy", "Davis, Jr.", "yes"),
    ("9103", 'Dwayne "The Rock"', "=Johnson", "yes"),
    ("9104", "Line\nBreak", "Tab\there", "yes"),
    ("9105", "\u00c9lodie", "\u5f20\u4f1f", "yes"),
    ("9106", "Hidden", "Person", "no"),
    ("9107", "", "", "yes"),
    ("9108", "  ", " ", "yes"),
    ('#9 1,0+"\\<>;= ', " Lead", "Trail ", "yes"),
)

_DTMF = {}
for _digit, _letters in (("2", "abc"), ("3", "def"), ("4", "ghi"), ("5", "jkl"), ("6", "mno"), ("7", "pqrs"),
                         ("8", "tuv"), ("9", "wxyz")):
    for _letter in _letters:
        _DTMF[_letter] = _digit

_EPOCH = datetime.datetime(2019, 1, 1)
_BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def domain_name(slug, number):
    return f"{slug}.{number}.service"


FIRST_DOMAIN = domain_name(COMPANIES[0][0], COMPANIES[0][1])


def user_sort_key(user):
    """Extensions sort numerically first, then every other id by its text."""
    text = str(user)
    if text.isascii() and text.isdigit():
        return (0, int(text), text)
    return (1, 0, text)


def dtmf(name):
    """The 3-digit dial-by-name code of a name (first letters, mapped to the phone keypad)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    digits = "".join(_DTMF[char] for char in folded if char in _DTMF)
    return (digits + "999")[:3]


def domain_companies(count):
    """(slug, number, company, area code, time zone, city) for ``count`` domains."""
    result = list(COMPANIES[:count])
    for index in range(len(COMPANIES), count):
        result.append((f"corp{index + 1}", 10000 + (index * 7919) % 89999, f"Corp {index + 1} LLC", 555,
                       TIME_ZONES[index % len(TIME_ZONES)], "Springfield"))
    return result


def _timestamp(rng, start, max_days):
    moment = start + datetime.timedelta(days=rng.randint(0, max_days), seconds=rng.randint(0, 86399))
    return moment


def _fmt(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _yes(rng, probability):
    return "yes" if rng.random() < probability else "no"


def _weighted_scope(rng):
    total = sum(weight for _scope, weight in SCOPE_WEIGHTS)
    pick = rng.uniform(0, total)
    for scope, weight in SCOPE_WEIGHTS:
        pick -= weight
        if pick <= 0:
            return scope
    return SCOPE_WEIGHTS[0][0]


def _pin(rng):
    length = rng.choice((4, 4, 5, 6))
    if rng.random() < 0.2:
        return rng.randint(10 ** (length - 1), 10 ** length - 1)  # sometimes a JSON number
    return "".join(rng.choice("0123456789") for _index in range(length))


def _phone(rng, area_code):
    return f"{area_code}555{rng.randint(0, 9999):04d}"


def make_user(seed, info, user, first, last, scope, srv_code=""):
    """One subscriber record in v1 form, with the value types a v1 server emits."""
    domain, company, area_code, tz, city, mail_domain = (info["domain"], info["company"], info["area_code"],
                                                         info["time_zone"], info["city"], info["mail_domain"])
    rng = random.Random(f"{seed}:{domain}:{user}")
    system = bool(srv_code)
    created = _timestamp(rng, _EPOCH, 1500)
    updated = _timestamp(rng, created, 400)
    mail_first = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode().lower()
    mail_last = unicodedata.normalize("NFKD", last).encode("ascii", "ignore").decode().lower()
    local = "".join(ch for ch in f"{mail_first}.{mail_last}" if ch.isalnum() or ch in "._") or "user"
    if system:
        email = ""
    else:
        roll = rng.random()
        email = f"{local}@{mail_domain}"
        if roll < 0.1:
            email = f"{email};{mail_first or 'user'}@{mail_domain}"
        elif roll < 0.15:
            email = ""
    roll = rng.random()
    message = "" if roll < 0.8 else (None if roll < 0.9 else rng.choice(STATUS_MESSAGES))
    callid_nmbr = "[*]" if rng.random() < 0.08 else _phone(rng, area_code)
    roll = rng.random()
    callid_emgr = "[*]" if roll < 0.08 else ("" if roll < 0.15 else _phone(rng, area_code))
    notify = rng.choice(NOTIFY)
    record = {
        "dir": dtmf(last + first),
        "user": user,
        "domain": domain,
        "message": message,
        "vmail_provisioned": "no" if system else _yes(rng, 0.9),
        "accept": _yes(rng, 0.3),
        "reject": _yes(rng, 0.3),
        "screen": _yes(rng, 0.15),
        "no_answer_timeout": rng.choice((15, 20, 25, 25, 25, 30, 45)),
        "first_name": first,
        "last_name": last,
        "group": "" if system else rng.choice(GROUPS),
        "site": rng.choice(("", "n/a", city, city, "Remote")),
        "subscriber_login": f"{user}@{domain}",
        "subscriber_pin": "" if system else _pin(rng),
        "pwd_hash": "$2y$10$" + "".join(rng.choice(_BCRYPT_ALPHABET) for _index in range(53)),
        "language": rng.choice(LANGUAGES),
        "data_limit": rng.choice((10000, 50000, 50000, 100000)),
        "call_limit": rng.choice((0, 0, 2, 10)),
        "time_zone": tz if rng.random() < 0.7 else rng.choice(TIME_ZONES),
        "dir_anc": _yes(rng, 0.8),
        "directory_order": 1,
        "vmail_greeting": str(rng.choice((0, 0, 1, 2))),
        "vmail_enabled": "no" if system else _yes(rng, 0.85),
        "rej_anony": _yes(rng, 0.2),
        "vmail_annc_time": _yes(rng, 0.5),
        "vmail_annc_cid": _yes(rng, 0.5),
        "vmail_sort_lifo": _yes(rng, 0.5),
        "vmail_fwd_to": f"archive@{mail_domain}" if rng.random() < 0.1 else "",
        "vmail_notify": notify,
        "vmail_notify_enabled": rng.choice(("", "yes", "no")) if notify != "no" else rng.choice(("", "no")),
        "vmail_transcribe": rng.choice(TRANSCRIBE),
        "email": email,
        "ntfy_missed_call": _yes(rng, 0.2),
        "ntfy_data_limit": _yes(rng, 0.3),
        "dial_plan": domain,
        "dial_policy": rng.choice(DIAL_POLICIES),
        "callid_nmbr": callid_nmbr,
        "callid_name": company if rng.random() < 0.6 else f"{first} {last}",
        "callid_emgr": callid_emgr,
        "area_code": area_code if rng.random() < 0.3 else str(area_code),
        "presence": rng.choice(PRESENCE),
        "dir_list": _yes(rng, 0.85),
        "date_created": _fmt(created),
        "srv_code": srv_code,
        "scope": scope,
        "last_update": _fmt(updated),
        "gauSession": 0,
        "account_status": rng.choice(ACCOUNT_STATUS),
        "rcv_broadcast": _yes(rng, 0.8),
        "privacy": _yes(rng, 0.1),
        "address_id": f"EA{rng.randint(100000, 999999)}" if rng.random() < 0.3 else "",
        "hide_call_recordings": _yes(rng, 0.1),
        "rmoh": _yes(rng, 0.2),
        "moh_interval": rng.choice((0, 0, 30, 60)),
    }
    return record


def _domain_record(info, user_count):
    return {
        "domain": info["domain"],
        "territory": RESELLER,
        "description": info["company"],
        "dial_plan": info["domain"],
        "dial_policy": "US and Canada",
        "time_zone": info["time_zone"],
        "area_code": str(info["area_code"]),
        "caller_id_name": info["company"],
        "caller_id_number": f"{info['area_code']}5550100",
        "caller_id_number_emergency": f"{info['area_code']}5550100",
        "language": "en_US",
        "email_sender": f"noreply@{info['mail_domain']}",
        "moh": "yes",
        "mor": "no",
        "mot": "no",
        "rmoh": "no",
        "max_user": str(max(100, user_count * 2)),
        "max_call_queue": "10",
        "max_aa": "10",
        "max_conference": "5",
        "max_department": "20",
        "max_device": str(max(200, user_count * 3)),
        "max_site": "5",
    }


def _fix_directory_order(records):
    seen = {}
    for record in records:
        seen[record["dir"]] = seen.get(record["dir"], 0) + 1
        record["directory_order"] = seen[record["dir"]]


class Store:
    """All generated data. Read-only once built, so it is shared by every request thread without a lock."""

    def __init__(self, seed=1, domains=4, users_per_domain=40, big_domain_users=0, one_object_per_user=False):
        self.seed = seed
        # Every user but the system users gets exactly one device, one answer rule and one DID (benchmark layouts).
        self.one_object_per_user = one_object_per_user
        self.domains = {}   # name -> v1 domain record
        self.users = {}     # name -> list of records, sorted by user
        self.index = {}     # name -> {user: record}
        self.first_domain = None
        self.changed = []   # (domain, its users before a change), for restore()
        self.changed_objects = []   # (object name, domain, its records before a change), for restore()
        for position, (slug, number, company, area_code, tz, city) in enumerate(domain_companies(domains)):
            name = domain_name(slug, number)
            info = {"domain": name, "company": company, "area_code": area_code, "time_zone": tz, "city": city,
                    "mail_domain": f"{slug}.example"}
            self._add_domain(info, self._domain_users(info, users_per_domain, first=position == 0))
            if position == 0:
                self.first_domain = name
        if big_domain_users:
            info = {"domain": BIG_DOMAIN, "company": "Big Test Co", "area_code": 999, "time_zone": "US/Eastern",
                    "city": "Metropolis", "mail_domain": "big.example"}
            self._add_domain(info, self._regular_users(info, big_domain_users, rng_name="big"))

    def _regular_users(self, info, count, rng_name, first=False):
        rng = random.Random(f"{self.seed}:{rng_name}:names")
        records = []
        special = [scope for scope in SCOPES if scope != "Office Manager"]
        for index in range(count):
            user = str(1001 + index)
            if index == 0:
                scope = "Office Manager" if first or rng_name != "big" else "Basic User"
            elif index <= len(special) and rng_name != "big":
                scope = special[index - 1]
            else:
                scope = _weighted_scope(rng)
            records.append(make_user(self.seed, info, user, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), scope))
        return records

    def _domain_users(self, info, count, first):
        records = self._regular_users(info, count, rng_name=info["domain"], first=first)
        for user, first_name, last_name, srv_code in SYSTEM_USERS:
            records.append(make_user(self.seed, info, user, first_name, last_name, "No Portal", srv_code))
        if first:
            for record in records:
                record.update(subscriber_overrides(str(record["user"]), info["area_code"]))
            records.append(make_user(self.seed, info, MFA_USER, "Mfa", "Tester", "Basic User"))
            for user, first_name, last_name in AWKWARD_USERS:
                records.append(make_user(self.seed, info, user, first_name, last_name, "Basic User"))
        return records

    def _add_domain(self, info, records):
        records.sort(key=lambda record: user_sort_key(record["user"]))
        _fix_directory_order(records)
        name = info["domain"]
        self.domains[name] = _domain_record(info, len(records))
        self.users[name] = records
        self.index[name] = {str(record["user"]): record for record in records}

    def domain_names(self):
        return list(self.domains)

    def user(self, domain, user):
        return self.index.get(domain, {}).get(user)

    def shift_users_once(self, config, domain):
        """The shift_users_once switch, once: right after the first page of the domain's users was served, its sixth user
        goes and a user 8999 comes at the end, so the count stays the same and every later offset moves by one."""
        if not domain or config.get("shift_users_once") != domain:
            return
        config.update({"shift_users_once": ""})
        users = self.users[domain]
        self.changed.append((domain, list(users)))
        gone = users.pop(5)
        del self.index[domain][gone["user"]]
        late = dict(users[-1], user="8999", first_name="Late", last_name="Joiner")
        users.append(late)
        self.index[domain]["8999"] = late

    def add_directory_users(self, config):
        """The directory_users switch, once: DIRECTORY_USERS join the named domain (restore() takes them away)."""
        domain = config.get("directory_users")
        if not domain:
            return
        config.update({"directory_users": ""})
        if domain not in self.users:
            raise ValueError(f"directory_users: unknown domain {domain!r}")
        info = {"domain": domain, "company": self.domains[domain]["description"], "area_code": 555,
                "time_zone": "US/Eastern", "city": "Springfield", "mail_domain": "directory.example"}
        users = self.users[domain]
        self.changed.append((domain, list(users)))
        for user, first_name, last_name, listed in DIRECTORY_USERS:
            if user not in self.index[domain]:
                record = make_user(self.seed, info, user, first_name, last_name, "Basic User")
                record["dir_list"] = listed
                users.append(record)
                self.index[domain][user] = record
        users.sort(key=lambda record: user_sort_key(record["user"]))

    def restore(self):
        """Undo every change made to the users and objects since the start (POST /_emulator/restore-data)."""
        while self.changed:
            domain, users = self.changed.pop()
            self.users[domain][:] = users
            self.index[domain] = {str(record["user"]): record for record in users}
        while self.changed_objects:
            name, domain, records = self.changed_objects.pop()
            self.objects[name][domain][:] = records
