"""A real SMTP server for the tests (aiosmtpd), started by a test as a subprocess and stopped
by its PID. Every message that reaches DATA is written to ``--out`` at once (it has arrived);
the "250" answer then waits ``--delay`` seconds — longer than the client's timeout makes the
ambiguous case of issue 21, F3.

    python tests/smtp_server.py --port 2525 --out /tmp/mails --delay 3
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import signal
import threading
from pathlib import Path

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, out: Path, delay: float):
        self.out, self.delay = out, delay
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        path = self.out / f"{next(self.numbers):04d}.eml"
        path.write_bytes(envelope.original_content or envelope.content)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    controller = Controller(Recorder(args.out, args.delay), hostname="127.0.0.1", port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
