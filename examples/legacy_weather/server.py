"""A weather MCP server written for the mcp 1.x SDK and the 2025-11-25 protocol.

mcpmigrate's bundled legacy example: `mcpmigrate check examples/` shows what breaks on 2026-07-28.
"""

from mcp.server.fastmcp import Context, FastMCP
from mcp.shared.exceptions import McpError
from mcp.types import ErrorData, INVALID_PARAMS

mcp = FastMCP("weather", "Forecasts and alerts for a city.", port=8001, stateless_http=False)

FORECASTS = {"paris": "sunny, 21°C", "oslo": "snow, -3°C"}


class UnknownCityError(McpError):
    """Raised when a city has no forecast."""

    def __init__(self, city: str) -> None:
        super().__init__(ErrorData(code=INVALID_PARAMS, message=f"unknown city {city!r}"))


@mcp.tool()
async def forecast(city: str, ctx: Context) -> str:
    """Today's forecast for a city."""
    await ctx.info(f"forecast requested for {city}")
    try:
        return FORECASTS[city.lower()]
    except KeyError:
        raise UnknownCityError(city) from None


@mcp.resource("weather://alerts/{city}")
def alerts(city: str) -> str:
    """Active weather alerts."""
    if city.lower() not in FORECASTS:
        raise McpError(ErrorData(code=-32002, message="Resource not found", data={"uri": f"weather://alerts/{city}"}))
    return "no alerts"


if __name__ == "__main__":
    mcp.run(transport="streamable-http")
