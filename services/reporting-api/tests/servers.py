"""Real uvicorn servers on loopback ports (they live in the kit, shared by every suite)."""

from registry_kit.testing import Served, free_port, serving

__all__ = ["Served", "free_port", "serving"]
