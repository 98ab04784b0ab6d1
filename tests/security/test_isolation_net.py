"""Finding 4: each sandbox has a network namespace of its own (loopback only): no sandbox reaches another's
TCP port or abstract Unix socket, nor sees its connections in /proc/net."""

from __future__ import annotations

import uuid

from lgurban.sandbox.manager import SandboxManager

LISTEN = (
    "import socket\n"
    "tcp = socket.socket()\n"
    "tcp.bind(('127.0.0.1', 0))\n"
    "tcp.listen()\n"
    "port = tcp.getsockname()[1]\n"
    "unix = socket.socket(socket.AF_UNIX)\n"
    "unix.bind('\\0lgurban-sbx-{tag}')\n"
    "unix.listen()\n"
    "port"
)


def _connect(family: str, addr: str) -> str:
    return (
        "import socket\n"
        f"s = socket.socket(socket.{family})\n"
        "s.settimeout(2)\n"
        "try:\n"
        f"    s.connect({addr})\n"
        "    print('connected')\n"
        "except OSError as e:\n"
        "    print(type(e).__name__)\n"
    )


async def test_sandboxes_do_not_share_loopback_or_abstract_sockets(
    manager: SandboxManager, thread_id: uuid.UUID
) -> None:
    tag = uuid.uuid4().hex[:8]
    res = await manager.execute(thread_id, LISTEN.format(tag=tag))
    assert res.ok, res.error
    port = int(res.outputs[0].data)
    other = uuid.uuid4()
    for family, addr in (("AF_INET", f"('127.0.0.1', {port})"), ("AF_UNIX", f"'\\0lgurban-sbx-{tag}'")):
        res = await manager.execute(other, _connect(family, addr))
        assert res.ok, res.error
        assert res.stdout.strip() == "ConnectionRefusedError", (family, res.stdout)
        res = await manager.execute(thread_id, _connect(family, addr))  # its own loopback still works
        assert res.stdout.strip() == "connected", (family, res.stdout)
    res = await manager.execute(other, "print(open('/proc/net/tcp').read())")
    assert res.ok, res.error
    assert f":{port:04X} " not in res.stdout
    res = await manager.execute(other, "print(open('/proc/net/unix').read())")
    assert f"lgurban-sbx-{tag}" not in res.stdout
    res = await manager.execute(other, "import socket\nsocket.if_nameindex()")
    assert res.ok and res.outputs[0].data == "[(1, 'lo')]"
