"""A standalone emulator of the NetSapiens ns-api (v1 and v2), for tests of the netsapiens.pbx collection.

Python standard library only. Installed by ``make venv`` (tests/emulator/pyproject.toml); run it with
``netsapiens-emulator`` or ``python -m netsapiens_emulator``, or start it from tests with :class:`netsapiens_emulator.process.Emulator`.
"""
from __future__ import annotations

__version__ = "1.0.0"

APIVERSION_V2 = "Version: 44.2.1"
APIVERSION_V1_ONLY = "Version: 41.2.3"
