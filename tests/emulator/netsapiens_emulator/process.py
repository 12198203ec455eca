"""Start and stop the emulator as a subprocess, for tests, the demo and benchmarks.

    from netsapiens_emulator.process import Emulator
    with Emulator(domains=4, token_ttl=3600) as emu:
        emu.url          # http://127.0.0.1:PORT
        emu.stats()      # dict from GET /_emulator/stats
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse

# Switches fixed at start (command-line flags).
STARTUP_SWITCHES = ("seed", "domains", "users_per_domain", "big_domain_users", "tls_cert", "tls_key", "verbose",
                    "one_object_per_user")
# Switches that can also change at run time (sent as --config-json, then through configure()).
RUNTIME_SWITCHES = ("token_ttl", "latency_ms", "error_rate", "error_statuses", "retry_after", "fail_next",
                    "fail_next_token", "max_page", "not_found_style", "v2_announce_spelling", "v1_only",
                    "single_as_object", "quirk_html_content_type", "v2_answers_html", "ignore_start", "shift_users_once",
                    "extra_user_fields", "user_not_found_message", "max_in_flight", "token_echo", "utf8_json_as", "redirect_to")
RUNTIME_SWITCHES += ("directory_users",)


class EmulatorError(RuntimeError):
    """The emulator did not start, died, or refused a control request."""


def make_self_signed_cert(directory):
    """Create a self-signed certificate for 127.0.0.1 / localhost in ``directory``; return (cert_path, key_path)."""
    cert, key = os.path.join(directory, "emulator-cert.pem"), os.path.join(directory, "emulator-key.pem")
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
               "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", cert]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise EmulatorError(f"openssl failed ({result.returncode}): {result.stderr.strip()}")
    return cert, key


class Emulator:
    """The emulator in a subprocess. A context manager: ``with Emulator(**switches) as emu: ...``."""

    def __init__(self, host="127.0.0.1", port=0, startup_timeout=15.0, **switches):
        unknown = set(switches) - set(STARTUP_SWITCHES) - set(RUNTIME_SWITCHES)
        if unknown:
            raise TypeError(f"unknown emulator switches: {', '.join(sorted(unknown))}")
        if bool(switches.get("tls_cert")) != bool(switches.get("tls_key")):
            raise TypeError("tls_cert and tls_key go together")
        if host not in ("127.0.0.1", "localhost"):
            raise ValueError(f"the emulator only listens on 127.0.0.1, not {host!r}")
        self.requested_port = int(port)
        self.switches = switches
        self.startup_timeout = startup_timeout
        self.port = None
        self.process = None
        self._workdir = None
        self._logs = []

    # -- lifecycle -------------------------------------------------------------------------------------------
    @property
    def tls(self):
        return bool(self.switches.get("tls_cert"))

    @property
    def url(self):
        """The server root, e.g. http://127.0.0.1:PORT (append /ns-api/... yourself)."""
        if self.port is None:
            raise EmulatorError("the emulator is not running")
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def cafile(self):
        """The certificate to trust when TLS is on (it is self-signed), else None."""
        return self.switches.get("tls_cert") or None

    def command(self, port_file):
        args = [sys.executable, "-m", "netsapiens_emulator", "--host", "127.0.0.1", "--port", str(self.requested_port),
                "--port-file", port_file]
        for name in STARTUP_SWITCHES:
            value = self.switches.get(name)
            if value is None or value is False:
                continue
            flag = "--" + name.replace("_", "-")
            args.extend([flag] if value is True else [flag, str(value)])
        runtime = {name: self.switches[name] for name in RUNTIME_SWITCHES if name in self.switches}
        if runtime:
            args.extend(["--config-json", json.dumps(runtime)])
        return args

    def start(self):
        if self.process is not None:
            return self
        self._workdir = tempfile.mkdtemp(prefix="ns-emulator-")
        port_file = os.path.join(self._workdir, "port")
        self._logs = [open(os.path.join(self._workdir, name), "w+b")  # pylint: disable=consider-using-with
                      for name in ("stdout.log", "stderr.log")]
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            self.command(port_file), stdin=subprocess.DEVNULL, stdout=self._logs[0],
            stderr=self._logs[1], cwd=self._workdir)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                message = f"emulator exited with status {self.process.returncode}: {self.stderr().strip()}"
                self.stop()
                raise EmulatorError(message)
            try:
                with open(port_file, encoding="utf-8") as handle:
                    text = handle.read().strip()
            except FileNotFoundError:
                text = ""
            if text.isdigit():
                self.port = int(text)
                return self
            time.sleep(0.05)
        message = f"emulator did not start within {self.startup_timeout} s: {self.stderr().strip()}"
        self.stop()
        raise EmulatorError(message)

    def stop(self):
        """Terminate the server (kill it after 5 s); safe to call twice."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        for handle in self._logs:
            handle.close()
        self._logs = []
        if self._workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None
        self.port = None

    def stderr(self):
        """What the server wrote on stderr so far."""
        if len(self._logs) < 2:
            return ""
        self._logs[1].flush()
        self._logs[1].seek(0)
        return self._logs[1].read().decode("utf-8", errors="replace")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    # -- control endpoints -----------------------------------------------------------------------------------
    def control(self, method, name, payload=None, query=None):
        """Call /_emulator/<name>; return the decoded JSON answer."""
        if self.port is None:
            raise EmulatorError("the emulator is not running")
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            connection = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=30, context=context)
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        path = f"/_emulator/{name}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        body = None if payload is None else json.dumps(payload).encode("utf-8")
        try:
            connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        value = json.loads(data.decode("utf-8")) if data else None
        if response.status >= 400:
            raise EmulatorError(f"{method} {path}: {response.status} {value}")
        return value

    def stats(self):
        return self.control("GET", "stats")

    def reset(self):
        """Zero the stats (data and tokens are kept)."""
        return self.control("POST", "reset")

    def restore_data(self):
        """Undo every change a switch (shift_users_once) or change() made to the stored users and objects."""
        return self.control("POST", "restore-data")

    def change(self, **change):
        """Change the stored data between two runs (admin only, not the real API): see netsapiens_emulator/changes.py.
        change(domain=D, user=U, set={...}) | add={...} | remove=True; object=name, match={...} for other objects."""
        return self.control("POST", "change", change)

    def configure(self, **switches):
        """Change runtime switches; return the whole new configuration."""
        return self.control("POST", "config", switches)

    def config(self):
        return self.control("GET", "config")

    def records(self, domain):
        """The stored records of ``domain``: v1 field names and raw v1 value types (the ground truth)."""
        return self.control("GET", "records", query={"domain": domain})

    def objects(self, name, domain):
        """The stored records of object ``name`` (device, answerrule, ...) in ``domain``: v1 form (the ground truth)."""
        return self.control("GET", "objects", query={"name": name, "domain": domain})

    def domains(self):
        """{domain: number of subscribers}."""
        return self.control("GET", "domains")

    def issued_tokens(self):
        """Every access and refresh token the server has handed out."""
        return self.control("GET", "tokens")["issued"]

    def credentials(self):
        """Client id/secret, logins, API keys and the first domain."""
        return self.control("GET", "credentials")

    def expire_tokens(self):
        """Expire every access token issued so far (refresh tokens stay usable)."""
        return self.control("POST", "expire-tokens")
