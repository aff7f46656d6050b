"""The running system the suite uses (registry_stack.harness, shared with `make soak`)."""

from registry_stack.harness import OwnPostgres, StackProcess, System, free_port

__all__ = ["OwnPostgres", "StackProcess", "System", "free_port"]
