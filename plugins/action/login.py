# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.netsapiens.pbx.plugins.module_utils._tasks import login
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._action import ControllerAction


class ActionModule(ControllerAction):
    """netsapiens.pbx.login on the controller; the result holds the tokens, so it is hidden from output."""

    def perform(self, client, params, prepared):
        return login(client, params)

    def holds_secrets(self, result):
        return 'token' in result
