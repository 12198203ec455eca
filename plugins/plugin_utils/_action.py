# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugins that do a module's work on the controller, in the play's own process.

Running there avoids a module process per task and Ansible's no_log scrubbing of large results, shows
retries at -vvv, and lets a result that holds secrets be hidden from output: a module cannot mark its
own result no_log (ansible-core drops `_ansible_no_log` from module returns), an action plugin can,
and the registered variable keeps the values.

Options are validated against the module's own argument spec. NETSAPIENS_* variables come from the
task's `environment:` first, then from the controller's environment.
"""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensError
from ansible_collections.netsapiens.pbx.plugins.module_utils._options import CONNECTION_OPTIONS, env_name
from ansible_collections.netsapiens.pbx.plugins.module_utils._specs import MODULE_SPECS, connection_argument_spec
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._plugin import client_from_options


class ControllerAction(ActionBase):
    """Subclasses set `module` (the module's name in _specs.MODULE_SPECS) and implement `perform(client, params, prepared)`."""

    _supports_check_mode = True
    _supports_async = False
    module = ''

    def holds_secrets(self, result):  # pylint: disable=unused-argument
        """Whether the result must be hidden from output."""
        return False

    def prepare(self, params):  # pylint: disable=unused-argument
        """Checks of the task's own input, made before any request. Returns what perform() needs."""
        return None

    def perform(self, client, params, prepared):
        raise NotImplementedError

    def _task_environment(self):
        """NETSAPIENS_* values from the task's `environment:` keyword (the controller env is the fallback)."""
        values = {}
        for entry in self._task.environment or []:
            entry = self._templar.template(entry)
            if isinstance(entry, dict):
                values.update(entry)
        return values

    def validated_params(self):
        """(params, error message or None): the task's arguments checked against the module's spec."""
        args = dict(self._task.args)
        environment = self._task_environment()
        for name in CONNECTION_OPTIONS:
            if args.get(name) is None and environment.get(env_name(name)) not in (None, ''):
                args[name] = environment[env_name(name)]
        options, mutually_exclusive, required_one_of = MODULE_SPECS[self.module]
        spec = connection_argument_spec()
        spec.update(options)
        validation = ArgumentSpecValidator(spec, mutually_exclusive=mutually_exclusive or None,
                                           required_one_of=required_one_of or None).validate(args)
        if validation.error_messages:
            return None, 'Invalid options: %s' % '; '.join(validation.error_messages)
        return validation.validated_parameters, None

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        params, problem = self.validated_params()
        if problem:
            result.update(failed=True, msg=problem)
            return result
        try:
            prepared = self.prepare(params)
            client = client_from_options(params)
            result.update(self.perform(client, params, prepared))
        except NetSapiensError as exc:
            result.update(failed=True, msg=str(exc))
            if exc.status is not None:
                result['status'] = exc.status
            return result
        result.setdefault('changed', False)
        if not result.get('failed') and self.holds_secrets(result):
            result['_ansible_no_log'] = True
        return result
