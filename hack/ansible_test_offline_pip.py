# Copyright: netsapiens.pbx contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Let ``ansible-test --venv`` bootstrap pip without ansible's CI file host.

Before it creates a virtual environment, ansible-test runs a pip bootstrap script
(``get-pip-<version>.py``) that it downloads once into ``~/.ansible/test/cache/get_pip_<version>.py``.
That host is not reachable from every machine. This script puts a stand-in there: the
``pip==<version>`` wheel from PyPI (``pip download``) beside a small script that runs pip from
that wheel to install the requested packages. The stand-in works just as well with full internet
access, so it is written wherever the cache file is missing.

Run it with the Python that has ansible-core (ansible-test) installed::

    python hack/ansible_test_offline_pip.py [--python 3.11]

The pip version is taken from the installed ansible-test, so that a newer ansible-core that bootstraps
another pip version gets the right file name.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import pathlib
import re
import subprocess
import sys
import types

MARKER = '# netsapiens.pbx: offline stand-in for get-pip.py'

STAND_IN = '''{marker}
# Written by hack/ansible_test_offline_pip.py. Runs pip {version} from the wheel beside this file, as
# `python {wheel}/pip install ...` would: a wheel is a zip archive that Python can run pip's __main__ from.
import os
import runpy
import sys

WHEEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), '{wheel}')
ARGS = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
sys.argv = [WHEEL, 'install', '--upgrade', '--force-reinstall'] + ARGS
runpy.run_path(os.path.join(WHEEL, 'pip'), run_name='__main__')
'''


def ansible_test_pip_version(python_version: str) -> str:
    """Return the pip version that the installed ansible-test bootstraps into its virtual environments."""
    try:
        # pylint: disable-next=import-outside-toplevel
        from ansible_test._internal.python_requirements import get_venv_packages
        return get_venv_packages(types.SimpleNamespace(version=python_version))['pip']
    except Exception:  # pylint: disable=broad-exception-caught
        pass  # private API: fall back to reading its source

    spec = importlib.util.find_spec('ansible_test')
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit('ansible-test is not installed for %s: install ansible-core first' % sys.executable)

    source = pathlib.Path(list(spec.submodule_search_locations)[0], '_internal', 'python_requirements.py').read_text(encoding='utf-8')
    match = re.search(r'''\bpip\s*=\s*['"]([0-9][0-9.]*)['"]''', source)
    if not match:
        raise SystemExit('cannot find the pip version that ansible-test bootstraps in its python_requirements.py')
    return match.group(1)


def main() -> int:
    """Write the stand-in bootstrap script if it is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--python', default='%d.%d' % sys.version_info[:2], help='Python version of the ansible-test venvs (default: this one)')
    parser.add_argument('--cache', default=os.path.expanduser('~/.ansible/test/cache'), help='ansible-test cache directory')
    args = parser.parse_args()

    version = ansible_test_pip_version(args.python)
    cache = pathlib.Path(args.cache)
    script = cache / ('get_pip_%s.py' % version.replace('.', '_'))
    wheel = 'pip-%s-py3-none-any.whl' % version

    if script.exists() and not script.read_text(encoding='utf-8', errors='replace').startswith(MARKER):
        print('ansible-test pip %s bootstrap: %s is already there' % (version, script))
        return 0

    cache.mkdir(parents=True, exist_ok=True)
    if not (cache / wheel).exists():
        subprocess.run(
            [sys.executable, '-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary', ':all:', '--dest', str(cache), 'pip==%s' % version],
            check=True,
        )
    if not (cache / wheel).exists():
        raise SystemExit('pip download did not produce %s in %s' % (wheel, cache))

    content = STAND_IN.format(marker=MARKER, version=version, wheel=wheel)
    if not script.exists() or script.read_text(encoding='utf-8') != content:
        temp = script.with_suffix('.tmp')
        temp.write_text(content, encoding='utf-8')
        temp.replace(script)
        print('ansible-test pip %s bootstrap: wrote offline stand-in %s' % (version, script))
    else:
        print('ansible-test pip %s bootstrap: %s is ready' % (version, script))
    return 0


if __name__ == '__main__':
    sys.exit(main())
