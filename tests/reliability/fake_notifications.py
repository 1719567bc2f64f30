"""A stand-in for the desktop's notification service (org.freedesktop.Notifications) on
a private D-Bus session bus: it prints "ready", then each notification it is sent as a
JSON line [summary, body], so a test can read what the desktop would have shown."""
# ruff: noqa: F722, F821 - D-Bus type signatures are dbus-fast's annotations

import asyncio
import json

from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method


class Notifications(ServiceInterface):
    def __init__(self) -> None:
        super().__init__("org.freedesktop.Notifications")

    @method()
    def GetCapabilities(self) -> "as":
        return ["body"]

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["fake", "tests", "1", "1.2"]

    @method()
    def Notify(
        self,
        app_name: "s",
        replaces_id: "u",
        app_icon: "s",
        summary: "s",
        body: "s",
        actions: "as",
        hints: "a{sv}",
        expire_timeout: "i",
    ) -> "u":
        print(json.dumps([summary, body]), flush=True)
        return 1

    @method()
    def CloseNotification(self, identifier: "u") -> None:
        return None


async def serve() -> None:
    bus = await MessageBus().connect()
    bus.export("/org/freedesktop/Notifications", Notifications())
    await bus.request_name("org.freedesktop.Notifications")
    print("ready", flush=True)
    await bus.wait_for_disconnect()


if __name__ == "__main__":
    asyncio.run(serve())
