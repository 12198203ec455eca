# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ObjectType: how one kind of NetSapiens record is found and shaped, on API v1 and v2, described once."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._fields import is_returned_field, is_sensitive_field


class ObjectType(object):
    """One kind of record (subscriber, domain, device, ...), as data; the version readers do the rest.

    name, plural      'subscriber', 'subscribers' (messages, module results)
    key               the v1 field that tells records of one scope apart ('user'); v2_key its v2 name if it differs;
                      example_key a value of it for messages ('1001')
    scope             the path parameters that place one object, outermost first: () for domains, ('domain',) for
                      subscribers, ('domain', 'user') for objects that belong to a user
    list_scope        per API version, the scope a list can be read at, when it differs from scope: devices are
                      listed per domain on v1 but per user on v2 ({'v1': ('domain',)}). A list whose scope holds
                      'user' is read in one request (such lists have no count to page against)
    unpaged           True for small lists read in one request at any scope, like a user's own lists: dial policies and
                      their permissions, which have no count to page against
    owner             the v1 field that names the user an object belongs to ('subscriber_name' for devices)
    order_by          v1 fields that order the objects of a domain (default: owner, then key); digits sort as numbers
    v1_params         scope -> the v1 query parameters that select it (answer rules want uid=user@domain)
    v2_values         v2 field -> function(value) -> [(v1 field, value), ...], for v2 values shaped unlike v1's
                      (answer rules: {'enabled': 'yes', 'parameters': [...]} -> *_control and *_parameters)
    v1_object         the v1 `object=` name
    v2_collection     the v2 path of the list below /ns-api/v2, with {scope} placeholders; '/count' and '/{key}' follow it
    fields            the v1 field names (the vocabulary of filters and policies)
    v2_names          v2 field -> v1 field; a v2 field not listed keeps its name with '-' turned into '_'
    dropped           never returned, whatever the options (besides the collection-wide DROPPED_FIELDS)
    sensitive         returned only with include_sensitive (besides every name the secret-name rule catches)
    """

    def __init__(self, name, plural, key, scope, v1_object, v2_collection, fields, v2_names=None, v2_key=None,
                 example_key='', dropped=(), sensitive=(), list_scope=None, owner=None, order_by=None, v1_params=None, v2_values=None,
                 unpaged=False):
        self.name = name
        self.plural = plural
        self.key = key
        self.v2_key = v2_key or key
        self.example_key = example_key
        self.scope = tuple(scope)
        self.v1_object = v1_object
        self.v2_collection = v2_collection
        self.fields = frozenset(fields)
        self.v2_names = dict(v2_names or {})
        self.dropped = frozenset(dropped)
        self.sensitive = frozenset(sensitive)
        self.list_scopes = dict(list_scope or {})
        self.unpaged = unpaged
        self.owner = owner
        self.order_by = tuple(order_by or (owner, key))
        self.v1_params = v1_params or dict
        self.v2_values = dict(v2_values or {})
        self._skipped = {False: _SkippedNames(self, False), True: _SkippedNames(self, True)}

    def list_scope(self, version):
        """The path parameters a list of these objects is read with on that API version."""
        return self.list_scopes.get(version, self.scope)

    @property
    def per_user(self):
        """True for objects that belong to a user (devices, answer rules), read with the users of a domain."""
        return 'user' in self.scope

    def skipped(self, include_sensitive):
        """name -> True when that field is left out of records (a dict that decides each name once)."""
        return self._skipped[bool(include_sensitive)]

    def is_sensitive(self, name):
        """True for a field that is returned only with include_sensitive (and then hidden from output)."""
        return name in self.sensitive or is_sensitive_field(name)

    def v1_name(self, v2_name):
        """The record name of a v2 field: the mapped v1 name, or the v2 name with '_' for '-'."""
        name = self.v2_names.get(v2_name)
        if name is None:
            name = self.v2_names[v2_name] = str(v2_name).replace('-', '_')
        return name

    def describe_scope(self, scope):
        """"domain 'acme'" or "user '1001' of domain 'acme'", for messages; a list scope may hold fewer parts than the
        object's scope (devices of a whole domain on v1)."""
        parts = ["%s '%s'" % (part, scope[part]) for part in reversed(self.scope) if part in scope]
        return ' of '.join(parts)


class _SkippedNames(dict):
    """name -> True when the field is left out of records; decided once per name."""

    def __init__(self, object_type, include_sensitive):
        super(_SkippedNames, self).__init__()
        self.object_type = object_type
        self.include_sensitive = include_sensitive

    def __missing__(self, name):
        kind = self.object_type
        skipped = name in kind.dropped or not is_returned_field(name, self.include_sensitive) or (
            name in kind.sensitive and not self.include_sensitive)
        self[name] = skipped
        return skipped
