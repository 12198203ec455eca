# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.netsapiens.pbx.plugins.plugin_utils._action import ControllerAction


class ActionModule(ControllerAction):
    """netsapiens.pbx.domain_info on the controller."""

    module = 'domain_info'

    def perform(self, client, params, prepared):
        return {'domains': client.list_domains(), 'api_version': client.api_version}
