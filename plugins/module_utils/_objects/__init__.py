# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every object the collection reads, each described once (see docs/architecture.md, "Add an object")."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.address import ADDRESS
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.answerrule import ANSWERRULE
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.device import DEVICE
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.dialpolicy import DIALPOLICY
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.domain import DOMAIN
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.phonenumber import PHONENUMBER
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.subscriber import SUBSCRIBER

OBJECTS = dict((kind.name, kind) for kind in (ADDRESS, ANSWERRULE, DEVICE, DIALPOLICY, DOMAIN, PHONENUMBER, SUBSCRIBER))
