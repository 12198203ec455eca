# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.address import ADDRESS
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._info import InfoAction


class ActionModule(InfoAction):
    """netsapiens.pbx.address_info on the controller: the E911 addresses of each domain, each with the subscribers that use
    it, filtered after that so that filters may name the derived fields."""

    module = 'address_info'
    kind = ADDRESS
