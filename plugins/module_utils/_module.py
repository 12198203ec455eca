# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""main() of every module. The modules run on the controller as action plugins (plugins/action), which do the work; a
module file holds its documentation and names its argument spec (_specs.MODULE_SPECS). Run any other way, for example
on a remote host through a connection plugin, the module checks its options and says where it runs."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netsapiens.pbx.plugins.module_utils._specs import MODULE_SPECS, connection_argument_spec


def module_main(name):
    options, mutually_exclusive, required_one_of = MODULE_SPECS[name]
    spec = connection_argument_spec()
    spec.update(options)
    module = AnsibleModule(argument_spec=spec, mutually_exclusive=mutually_exclusive or None,
                           required_one_of=required_one_of or None, supports_check_mode=True)
    module.fail_json(msg='netsapiens.pbx.%s runs on the controller through its action plugin; call it as a task of a play, '
                         'not as a module on a remote host.' % name)
