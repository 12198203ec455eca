# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugins that run their module and hide results that hold secrets from every output.

A module cannot mark its own result no_log (ansible-core drops `_ansible_no_log` from module returns),
and masking the token strings inside the module would also blank them in the registered variable.
An action plugin may set `_ansible_no_log`: output is then censored, the registered variable is not.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase


class SecretResultAction(ActionBase):
    """Runs the module of the same name; subclasses say when its result must be hidden."""

    _supports_check_mode = True
    _supports_async = False

    def holds_secrets(self, result):
        raise NotImplementedError

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        result.update(self._execute_module(module_name=self._task.resolved_action, module_args=self._task.args,
                                           task_vars=task_vars))
        # A failure carries no secret and its message must stay readable.
        if not result.get('failed') and self.holds_secrets(result):
            result['_ansible_no_log'] = True
        return result
