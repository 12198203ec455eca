# Copyright: netsapiens.pbx contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a command against a freshly started NetSapiens emulator.

Starts the emulator from tests/emulator, exports the connection variables that every module and
plugin of the collection reads (NETSAPIENS_API_URL, NETSAPIENS_CLIENT_ID, NETSAPIENS_CLIENT_SECRET,
NETSAPIENS_USERNAME, NETSAPIENS_PASSWORD), runs the command, stops the emulator and exits with the
command's exit code.

    python hack/with_emulator.py [--domains N] [--users-per-domain N] [--latency-ms MS] -- COMMAND [ARG ...]
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys


def credentials() -> dict[str, str]:
    """Return the connection variables for the emulator's demo reseller account (from netsapiens_emulator.auth)."""
    auth = importlib.import_module('netsapiens_emulator.auth')
    return {
        'NETSAPIENS_CLIENT_ID': auth.CLIENT_ID,
        'NETSAPIENS_CLIENT_SECRET': auth.CLIENT_SECRET,
        'NETSAPIENS_USERNAME': auth.RESELLER_USER,
        'NETSAPIENS_PASSWORD': auth.RESELLER_PASSWORD,
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse the options; everything after ``--`` is the command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--domains', type=int, help='number of domains to seed')
    parser.add_argument('--users-per-domain', type=int, help='number of subscribers per domain')
    parser.add_argument('--latency-ms', type=int, help='added latency per request, in milliseconds')
    parser.add_argument('command', nargs=argparse.REMAINDER, help='the command to run (after --)')
    args = parser.parse_args(argv)
    if args.command and args.command[0] == '--':
        args.command = args.command[1:]
    if not args.command:
        parser.error('give the command to run after --')
    return args


def run(emulator, command: list[str]) -> int:
    """Start the emulator, run the command with the connection variables, stop the emulator."""
    with emulator:
        env = dict(os.environ)
        env.update(credentials())
        env['NETSAPIENS_API_URL'] = emulator.url
        print('with_emulator: NetSapiens emulator at %s' % emulator.url, file=sys.stderr, flush=True)
        try:
            return subprocess.run(command, env=env, check=False).returncode
        except FileNotFoundError as ex:
            print('with_emulator: %s' % ex, file=sys.stderr)
            return 127
        except KeyboardInterrupt:
            return 130


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, import the emulator and run the command against it."""
    args = parse_args(sys.argv[1:] if argv is None else argv)

    try:
        process = importlib.import_module('netsapiens_emulator.process')
    except ImportError as ex:
        print('with_emulator: cannot import the emulator (%s): run this with .venv/bin/python, where `make venv` installs '
              'tests/emulator' % ex, file=sys.stderr)
        return 2

    switches = {
        name: value
        for name, value in (('domains', args.domains), ('users_per_domain', args.users_per_domain), ('latency_ms', args.latency_ms))
        if value is not None
    }

    try:
        returncode = run(process.Emulator(**switches), args.command)
    except process.EmulatorError as ex:
        print('with_emulator: %s' % ex, file=sys.stderr)
        return 2
    return returncode if returncode >= 0 else 128 - returncode


if __name__ == '__main__':
    sys.exit(main())
