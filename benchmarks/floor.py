# Copyright: netsapiens.pbx contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The floor: the fewest HTTP requests that read every subscriber of some domains through API v2, in plain Python.

One token (POST /ns-api/v2/tokens), then per domain GET /users/count and the pages of GET /users?limit=1000&start=N
that read them the way the collection does (each page after the first starts at the last user of the page before,
which is how a shift between pages shows), on one keep-alive session; the JSON is decoded and nothing else is done.
With --probe it first asks GET /ns-api/v2/version, as the collection does with api_version auto.
Credentials come from the NETSAPIENS_* environment variables (password grant).

    python benchmarks/floor.py --domains a.example,b.example [--probe]
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.parse

import requests

PAGE = 1000


def read_all(session: requests.Session, base: str, domains: list[str], probe: bool) -> int:
    """Read every subscriber of the domains; return how many were read."""
    if probe:
        session.get(base + '/ns-api/v2/version', timeout=30).raise_for_status()
    grant = {'grant_type': 'password', 'client_id': os.environ['NETSAPIENS_CLIENT_ID'],
             'client_secret': os.environ['NETSAPIENS_CLIENT_SECRET'], 'username': os.environ['NETSAPIENS_USERNAME'],
             'password': os.environ['NETSAPIENS_PASSWORD']}
    reply = session.post(base + '/ns-api/v2/tokens', json=grant, timeout=30)
    reply.raise_for_status()
    session.headers['Authorization'] = 'Bearer ' + reply.json()['access_token']
    total = 0
    for domain in domains:
        users = '%s/ns-api/v2/domains/%s/users' % (base, urllib.parse.quote(domain, safe=''))
        reply = session.get(users + '/count', timeout=30)
        reply.raise_for_status()
        count = int(reply.json()['total'])
        start = 0
        while count:
            reply = session.get(users, params={'limit': PAGE, 'start': start}, timeout=30)
            reply.raise_for_status()
            total += len(reply.json()) - (1 if start else 0)
            if start + PAGE >= count:
                break
            start += PAGE - 1
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--domains', required=True, help='comma-separated domain names')
    parser.add_argument('--probe', action='store_true', help='ask /ns-api/v2/version first (as api_version auto does)')
    args = parser.parse_args(argv)
    base = os.environ['NETSAPIENS_API_URL'].rstrip('/')
    with requests.Session() as session:
        total = read_all(session, base, [name for name in args.domains.split(',') if name], args.probe)
    print('records: %d' % total)
    return 0


if __name__ == '__main__':
    sys.exit(main())
