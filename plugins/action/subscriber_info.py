# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.netsapiens.pbx.plugins.module_utils._tasks import SUBSCRIBER_INFO_OPTIONS, subscriber_info
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._action import ControllerAction


class ActionModule(ControllerAction):
    """netsapiens.pbx.subscriber_info on the controller; results with voicemail PINs are hidden from output."""

    options = SUBSCRIBER_INFO_OPTIONS

    def perform(self, client, params, prepared):
        return subscriber_info(client, params)

    def holds_secrets(self, result):
        return any('subscriber_pin' in record for record in result.get('subscribers') or [])
