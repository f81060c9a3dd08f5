"""The benchmark greeter on the official Python SDK 3.3.0, the same function as
tools/bench/src/greeter.mjs, served at /statefun with aiohttp as the SDK's docs serve it, on
127.0.0.1 (free port). Prints {"port": N}; exits when stdin closes."""

import asyncio
import json
import socket
import sys

from aiohttp import web
from statefun import (Context, IntType, Message, RequestReplyHandler, StatefulFunctions,
                      ValueSpec, message_builder)

functions = StatefulFunctions()


@functions.bind(typename="com.example.fns/greeter",
                specs=[ValueSpec(name="seen_count", type=IntType)])
async def greet(context: Context, message: Message):
    name = message.as_string()
    seen = (context.storage.seen_count or 0) + 1
    context.storage.seen_count = seen
    context.send(message_builder(target_typename="com.example.fns/inbox", target_id=name,
                                 str_value=f"Hello {name} for the {seen}th time!"))


handler = RequestReplyHandler(functions)


async def handle(request):
    body = await request.read()
    reply = await handler.handle_async(body)
    return web.Response(body=reply, content_type="application/octet-stream")


async def main():
    app = web.Application()
    app.add_routes([web.post("/statefun", handle)])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    site = web.SockSite(runner, sock)
    await site.start()
    print(json.dumps({"port": sock.getsockname()[1]}), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)


asyncio.run(main())
