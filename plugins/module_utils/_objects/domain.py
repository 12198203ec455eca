# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Domains: v1 object=domain, v2 /domains. Records keep the fields both versions share."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects._type import ObjectType

DOMAIN_FIELDS = ('domain', 'description', 'territory')

DOMAIN = ObjectType(
    name='domain', plural='domains', key='domain', scope=(),
    example_key='acme.12345.service', v1_object='domain', v2_collection='domains',
    fields=DOMAIN_FIELDS, v2_names={'reseller': 'territory'},
)
