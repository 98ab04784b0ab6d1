"""The MCP server (issue 22): LG-Urban's catalog, workspaces and artifacts as Model Context Protocol tools.

Its own layer between the composition root (app, cli) and the HTTP API: it reuses the API's services and auth
the way a route does, and the app mounts it at /mcp while `lgurban mcp` runs it over stdio.
"""
