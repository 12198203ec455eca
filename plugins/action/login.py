# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.netsapiens.pbx.plugins.plugin_utils._action import ControllerAction


class ActionModule(ControllerAction):
    """netsapiens.pbx.login on the controller; the result holds the tokens, so it is hidden from output."""

    module = 'login'

    def perform(self, client, params, prepared):
        return {'token': client.login()}

    def holds_secrets(self, result):
        return 'token' in result
