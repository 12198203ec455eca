"""The objects the emulator serves besides subscribers and domains: importing a module registers its object."""
from __future__ import annotations
