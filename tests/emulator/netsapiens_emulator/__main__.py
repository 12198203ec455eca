"""Command line: ``netsapiens-emulator --port 0 --port-file PATH ...`` (or ``python -m netsapiens_emulator ...``)."""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading

from .config import ANNOUNCE_SPELLINGS, NOT_FOUND_STYLES
from .server import LOOPBACK, App, EmulatorServer, make_ssl_context


def _statuses(text):
    return [int(item) for item in text.split(",") if item.strip()]


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m netsapiens_emulator", description="NetSapiens ns-api emulator")
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="only 127.0.0.1 (or localhost) is accepted")
    add("--port", type=int, default=0, help="0 picks a free port")
    add("--port-file", help="write the port here (atomically) once listening")
    add("--seed", type=int, default=1, help="seed of the generated data")
    add("--domains", type=int, default=4, help="number of generated customer domains (>= 1)")
    add("--users-per-domain", type=int, default=40, help="regular users 1001.. per domain")
    add("--big-domain-users", type=int, default=0, help="users of the extra domain big.99999.service (0 = absent)")
    add("--tls-cert", help="PEM certificate: serve HTTPS")
    add("--tls-key", help="PEM private key for --tls-cert")
    add("--verbose", action="store_true", help="log every request to stderr")
    add("--one-object-per-user", action="store_true", help="one device and one answer rule per user (none for system users), one DID per numeric extension")
    # runtime switches (also settable with POST /_emulator/config)
    add("--token-ttl", type=int, help="access token lifetime, seconds (3600)")
    add("--latency-ms", type=int, help="delay before every /ns-api answer (0)")
    add("--error-rate", type=float, help="share of /ns-api requests answered with an injected error (0.0)")
    add("--error-statuses", type=_statuses, help="comma-separated statuses for --error-rate (503)")
    add("--retry-after", type=int, help="Retry-After of injected errors, seconds (1)")
    add("--fail-next", type=_statuses, help="comma-separated statuses for the next data requests")
    add("--fail-next-token", type=_statuses, help="comma-separated statuses for the next token requests")
    add("--max-page", type=int, help="largest page served (1000)")
    add("--max-in-flight", type=int, help="answer 429 (with --retry-after) to requests beyond this many at once (0: no limit)")
    add("--not-found-style", choices=NOT_FOUND_STYLES, help="v1 answer to a read that matches nothing")
    add("--v2-announce-spelling", choices=ANNOUNCE_SPELLINGS, help="v2 spelling of directory-annouce-... (annouce)")
    add("--v1-only", action="store_true", default=None, help="emulate a pre-44 server: no v2, no API keys")
    add("--single-as-object", action="store_true", default=None, help="v1 single-user reads answer a bare object")
    add("--quirk-html-content-type", action="store_true", default=None, help="serve v1 JSON as text/html")
    add("--v2-answers-html", action="store_true", default=None, help="answer every v2 path with a 200 HTML portal page")
    add("--config-json", help="JSON object of runtime switches, applied after the flags above")
    return parser


RUNTIME = ("token_ttl", "latency_ms", "error_rate", "error_statuses", "retry_after", "fail_next", "fail_next_token",
           "max_page", "not_found_style", "v2_announce_spelling", "v1_only", "single_as_object", "quirk_html_content_type",
           "v2_answers_html", "max_in_flight")


def write_port_file(path, port):
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(f"{port}\n")
    os.replace(temporary, path)


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.host not in LOOPBACK:
        print(f"error: refusing --host {args.host}: the emulator only listens on 127.0.0.1", file=sys.stderr)
        return 2
    if args.domains < 1 or args.users_per_domain < 0 or args.big_domain_users < 0:
        print("error: --domains must be >= 1, user counts >= 0", file=sys.stderr)
        return 2
    if bool(args.tls_cert) != bool(args.tls_key):
        print("error: --tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    config = {name: getattr(args, name) for name in RUNTIME if getattr(args, name) is not None}
    try:
        if args.config_json:
            extra = json.loads(args.config_json)
            if not isinstance(extra, dict):
                raise ValueError("--config-json must be a JSON object")
            config.update(extra)
        app = App(args.seed, args.domains, args.users_per_domain, args.big_domain_users, config, args.verbose,
                  args.one_object_per_user)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    context = make_ssl_context(args.tls_cert, args.tls_key) if args.tls_cert else None
    server = EmulatorServer((args.host, args.port), app, context)
    port = server.server_address[1]

    def stop(_signum, _frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.port_file:
        write_port_file(args.port_file, port)
    scheme = "https" if context else "http"
    print(f"netsapiens emulator listening on {scheme}://127.0.0.1:{port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        if args.port_file:
            try:
                os.remove(args.port_file)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
