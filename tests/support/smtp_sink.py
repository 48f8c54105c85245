#!/usr/bin/python3
"""A real SMTP server on loopback for congvu's mail tests (Debian's python3-aiosmtpd).

Usage: smtp_sink.py PORT DIR

Each accepted message is written to DIR/<n>.eml. The reply to DATA is chosen by the file DIR/mode,
read afresh for every message, so a test changes the server's behaviour while it runs:
  250 (or no file)  accept
  451               temporary failure
  550               permanent failure (the reply quotes the recipient, as real servers do)
  stall             write DIR/stalled and never answer (a worker can be killed mid-delivery)
"""

import asyncio
import os
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory

    def mode(self):
        try:
            with open(os.path.join(self.directory, "mode")) as f:
                return f.read().strip() or "250"
        except FileNotFoundError:
            return "250"

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode()
        if mode == "451":
            return "451 4.3.0 Mailbox busy, try again later"
        if mode == "550":
            return "550 5.1.1 <%s>: Recipient address rejected" % envelope.rcpt_tos[0]
        if mode == "stall":
            open(os.path.join(self.directory, "stalled"), "w").close()
            await asyncio.sleep(3600)
            return "451 4.4.2 Timed out"
        name = "%d.eml" % time.time_ns()
        partial = os.path.join(self.directory, "." + name)
        with open(partial, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(partial, os.path.join(self.directory, name))
        return "250 2.0.0 OK"


def main():
    port = int(sys.argv[1])
    directory = sys.argv[2]
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
