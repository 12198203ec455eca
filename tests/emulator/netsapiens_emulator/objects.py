"""Objects other than subscribers and domains (devices, answer rules, phone numbers, ...), each described once and
served the same way on v1 (``object=<name>`` with ``action=read|count``) and v2 (a collection below a domain or a user).

An object module (``netsapiens_emulator/emulated/<name>.py``) builds an :class:`Emulated` and calls :func:`register`;
its records are generated from the domain's stored users, kept in v1 form, and turned into v2 form when served.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

REGISTRY: dict = {}


@dataclass
class Emulated:
    """How the emulator keeps and serves one kind of object.

    name           the v1 object name, e.g. ``device`` (stats kinds: v1_<name>_read|count, v2_<name>_list|count|item)
    element        the XML element of one record in v1 XML answers
    v2_collection  the path segment below the domain (``phonenumbers``) or below a user (``devices``)
    per_user       True when v2 serves the collection below /domains/{d}/users/{u}/
    v2_domain_wide also serve /domains/{d}/<v2_collection> for a per-user object (v45 servers for devices)
    key            the v1 field that selects one record (``aor``); v2_key the v2 item path's value (``device``)
    owner          the v1 field that names the user a record belongs to (``subscriber_name``), for per-user objects
    v1_uid         v1 selects the user with ``uid=user@domain`` (answer rules) instead of ``domain`` + ``user``
    v1_domain_wide v1 reads of the whole domain are allowed (devices: yes; answer rules: no, uid is required)
    build          (store, domain, users) -> the domain's records, v1 form, in server order
    to_v2          v1 record -> v2 object
    v2_key_of      v1 record -> the v2 item path value (default: the key field)
    v1_domain      the v1 parameter that names the domain (``dest_domain`` for phone numbers)
    v1_required    v1 parameters every read must carry, with their values (phone numbers: ``dialplan=DID Table``)
    v1_handler     (data, principal, action) -> Response: serves the v1 object instead of the generic code
    v2_handler     (app, req, principal, domain, route) -> Response or None: serves the routes below
                   /domains/{d}/<v2_collection> instead of the generic code, and with domain None those below
                   /ns-api/v2/<v2_system_collection> (shared dial policies at /dialpolicy)
    v2_system_collection  the first path segment of the routes v2_handler serves outside any domain
    """

    name: str
    element: str
    v2_collection: str
    key: str
    build: Callable
    to_v2: Callable
    per_user: bool = False
    v2_domain_wide: bool = False
    owner: str = "user"
    v1_uid: bool = False
    v1_domain_wide: bool = True
    v2_key_of: Callable = None
    extra: dict = field(default_factory=dict)
    v1_domain: str = "domain"
    v1_required: dict = field(default_factory=dict)
    v1_handler: Callable = None
    v2_handler: Callable = None
    v2_system_collection: str = ""

    def item_key_v2(self, record):
        return str(self.v2_key_of(record) if self.v2_key_of else record.get(self.key))


def register(emulated):
    REGISTRY[emulated.name] = emulated
    return emulated


def build_all(store):
    """{object name: {domain: [v1 records]}} for every registered object, from the store's users."""
    return {name: {domain: emulated.build(store, domain, store.users[domain]) for domain in store.users}
            for name, emulated in REGISTRY.items()}


def by_v2_collection(per_user):
    return {emulated.v2_collection: emulated for emulated in REGISTRY.values()
            if emulated.per_user == per_user or (not per_user and emulated.v2_domain_wide)}


def by_v2_system_collection(name):
    """The object served below /ns-api/v2/<name> (outside any domain), or None."""
    found = [emulated for emulated in REGISTRY.values() if name and emulated.v2_system_collection == name]
    return found[0] if found else None
