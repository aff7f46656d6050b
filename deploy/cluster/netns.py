"""Hosts as Linux network namespaces on one switch (a bridge in its own namespace), with veth pairs, on addresses
the test assigns from 198.18.0.0/15 (set aside for network tests): nothing leaves the machine. The test process
itself joins the switch through one more veth, so it can reach every host. Everything made is removed at the end."""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)  # noqa: S603, S607
    if check and result.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {result.stderr.strip()}")
    return result


@dataclass
class Host:
    name: str
    namespace: str
    address: str

    @property
    def prefix(self) -> list[str]:
        """Run a command on this host."""
        return ["ip", "netns", "exec", self.namespace]

    def cut_from(self, other: Host) -> None:
        """Packets from here to `other` are refused (the link between two hosts is cut; both stay up)."""
        ip("-n", self.namespace, "route", "add", "prohibit", f"{other.address}/32")

    def heal_from(self, other: Host) -> None:
        ip("-n", self.namespace, "route", "del", "prohibit", f"{other.address}/32")


@dataclass
class Network:
    names: Sequence[str]
    tag: str = field(default_factory=lambda: secrets.token_hex(2))
    subnet_octet: int = field(default_factory=lambda: 1 + os.getpid() % 250)
    hosts: dict[str, Host] = field(default_factory=dict)
    client_address: str = ""
    _links: list[str] = field(default_factory=list)
    _namespaces: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"198.18.{self.subnet_octet}"

    def _namespace(self, name: str) -> str:
        namespace = f"mcb-{self.tag}-{name}"
        ip("netns", "add", namespace)
        self._namespaces.append(namespace)
        ip("-n", namespace, "link", "set", "lo", "up")
        return namespace

    def _plug(self, switch: str, index: int, namespace: str | None, address: str) -> None:
        """A veth pair: one end on the switch's bridge, the other in `namespace` (None: this process's)."""
        outer, inner = f"m{self.tag}{index}s", f"m{self.tag}{index}h"
        ip("link", "add", outer, "type", "veth", "peer", "name", inner)
        self._links.append(inner if namespace is None else outer)
        ip("link", "set", outer, "netns", switch)
        ip("-n", switch, "link", "set", outer, "master", "br0", "up")
        where = [] if namespace is None else ["-n", namespace]
        if namespace is not None:
            ip("link", "set", inner, "netns", namespace)
        ip(*where, "addr", "add", f"{address}/24", "dev", inner)
        ip(*where, "link", "set", inner, "up")

    def __enter__(self) -> Network:
        try:
            switch = self._namespace("sw")
            ip("-n", switch, "link", "add", "br0", "type", "bridge")
            ip("-n", switch, "link", "set", "br0", "up")
            for index, name in enumerate(self.names, start=1):
                address = f"{self.base}.{10 + index}"
                self.hosts[name] = Host(name, self._namespace(name), address)
                self._plug(switch, index, self.hosts[name].namespace, address)
            self.client_address = f"{self.base}.1"
            self._plug(switch, 0, None, self.client_address)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        for link in self._links:
            ip("link", "del", link, check=False)
        for namespace in reversed(self._namespaces):
            ip("netns", "del", namespace, check=False)
