"""The admin-only switch that changes the stored data between two runs (``POST /_emulator/change``): a user's fields, a
user added or removed, an object's records (answer rules, devices...) changed, added or removed. Not part of the real
API. ``POST /_emulator/restore-data`` undoes every change.

A change is one JSON object with exactly one of ``set``, ``add`` and ``remove``:

    {"domain": D, "user": U, "set": {"vmail_enabled": "no"}}        fields of user U (v1 names, v1 values; null allowed)
    {"domain": D, "user": U, "add": {"first_name": "New"}}          a new user U: the domain's first user with these fields
    {"domain": D, "user": U, "remove": true}                        user U is gone
    {"object": "answerrule", "domain": D, "match": {"user": U, "time_frame": "*"}, "set" | "add" | "remove": ...}
                                                                    the object's records that match (add: a new record,
                                                                    match + add)
"""
from __future__ import annotations

from .data import user_sort_key

ACTIONS = ("set", "add", "remove")


def _fields(change, action):
    value = change[action]
    if action == "remove":
        if value is not True:
            raise ValueError("remove takes the value true")
        return {}
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise ValueError(f"{action} takes an object of fields (v1 names), got {value!r}")
    return value


def apply(store, change):
    """Apply one change to the store; return how many records it changed. Raises ValueError for a bad change."""
    if not isinstance(change, dict):
        raise ValueError("expected a JSON object with domain and one of set, add, remove")
    actions = [name for name in ACTIONS if name in change]
    if len(actions) != 1:
        raise ValueError("give exactly one of set, add, remove")
    domain = change.get("domain")
    if domain not in store.users:
        raise ValueError(f"unknown domain {domain!r}")
    fields = _fields(change, actions[0])
    if "object" in change:
        return _change_objects(store, change, actions[0], domain, fields)
    return _change_user(store, change, actions[0], domain, fields)


def _change_user(store, change, action, domain, fields):
    user = change.get("user")
    if not isinstance(user, str) or not user:
        raise ValueError("user: expected the user's name (text)")
    users = store.users[domain]
    position = next((index for index, record in enumerate(users) if str(record["user"]) == user), None)
    if (position is None) != (action == "add"):
        raise ValueError(f"user {user!r} {'already exists' if action == 'add' else 'does not exist'} in {domain}")
    store.changed.append((domain, list(users)))
    if action == "add":
        users.append(dict(users[0], user=user, subscriber_login=f"{user}@{domain}", **fields))
        users.sort(key=lambda record: user_sort_key(record["user"]))
    elif action == "set":
        users[position] = dict(users[position], **fields)  # a new dict: the saved list keeps the old one
    else:
        del users[position]
    store.index[domain] = {str(record["user"]): record for record in users}
    return 1


def _change_objects(store, change, action, domain, fields):
    name, match = change["object"], change.get("match")
    if name not in store.objects:
        raise ValueError(f"unknown object {name!r}; known: {', '.join(sorted(store.objects))}")
    if not isinstance(match, dict) or not match:
        raise ValueError("match: expected an object of fields that select the records")
    records = store.objects[name].setdefault(domain, [])
    selected = set(index for index, record in enumerate(records)
                   if all(str(record.get(key)) == str(value) for key, value in match.items()))
    if (not selected) != (action == "add"):
        raise ValueError(f"{len(selected)} {name} record(s) match {match!r} in {domain}")
    store.changed_objects.append((name, domain, list(records)))
    if action == "add":
        records.append(dict(match, **fields))
    elif action == "set":
        for index in sorted(selected):
            records[index] = dict(records[index], **fields)
    else:
        records[:] = [record for index, record in enumerate(records) if index not in selected]
    return max(len(selected), 1)
