"""A client for the weather server, written for the mcp 1.x SDK (bundled legacy example)."""

import asyncio

import mcp
from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client


async def main() -> None:
    async with streamablehttp_client("http://127.0.0.1:8001/mcp") as (read, write, get_session_id):
        async with ClientSession(read, write) as session:
            await session.initialize()
            print("session", get_session_id())
            try:
                result = await session.call_tool("forecast", {"city": "Atlantis"})
                print(result.content)
            except mcp.McpError as error:
                if error.error.code == -32002:
                    print("no such resource")
                else:
                    raise


if __name__ == "__main__":
    asyncio.run(main())
