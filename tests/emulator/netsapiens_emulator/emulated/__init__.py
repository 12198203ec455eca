"""The objects the emulator serves besides subscribers and domains, one module each (see objects.Emulated)."""
from __future__ import annotations


def register_all():
    """Import every object module; each registers its object on import. Called once by the server (not on import of this
    package, so that data.py may import emulated.cases without a cycle)."""
    # pylint: disable=import-outside-toplevel,unused-import
    from . import cases  # noqa: F401  (add one line per object module below)
    from . import device  # noqa: F401
    from . import address  # noqa: F401
    from . import answerrule  # noqa: F401
    from . import phonenumber  # noqa: F401
    from . import dialpolicy  # noqa: F401
