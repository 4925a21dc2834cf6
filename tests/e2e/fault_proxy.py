"""A TCP proxy between the app server and PostgreSQL or Redis that a test can cut, as a brief outage or a restart
of that service would: every open connection is dropped and new ones are refused until the outage ends.

It runs its own asyncio loop on a thread, so a test (synchronous Playwright, or any other) can call `cut()` and
`restore()` from anywhere.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from contextlib import suppress


class FaultProxy:
    """Forwards 127.0.0.1:`port` to `target_host`:`target_port` until `cut()`, then refuses until `restore()`."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._loop = asyncio.new_event_loop()
        self._writers: set[asyncio.StreamWriter] = set()
        self._down = False
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=f"fault-proxy-{self.port}", daemon=True)
        self._thread.start()
        self._ready.wait(10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._accept, "127.0.0.1", self.port))
        self._ready.set()
        with suppress(Exception):
            self._loop.run_forever()
        server.close()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._down:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers.update((writer, up_writer))
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            with suppress(Exception):
                writer.close()

    def _drop_all(self) -> None:
        self._down = True
        for writer in list(self._writers):
            transport = writer.transport
            transport.abort()  # a reset, as when the service's process goes away
        self._writers.clear()

    def cut(self) -> None:
        """Drop every open connection and refuse new ones (the service is down)."""
        asyncio.run_coroutine_threadsafe(self._call(self._drop_all), self._loop).result(10)

    def restore(self) -> None:
        """Accept connections again (the service is back)."""
        self._down = False

    async def _call(self, fn) -> None:
        fn()

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
