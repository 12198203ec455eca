# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.phonenumber import PHONENUMBER
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._info import InfoAction


class ActionModule(InfoAction):
    """netsapiens.pbx.phonenumber_info on the controller: the numbers routed to each domain, read in proven pages."""

    module = 'phonenumber_info'
    kind = PHONENUMBER
