# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.device import DEVICE
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._info import InfoAction


class ActionModule(InfoAction):
    """netsapiens.pbx.device_info on the controller; results with SIP or provisioning credentials are hidden from output."""

    module = 'device_info'
    kind = DEVICE
