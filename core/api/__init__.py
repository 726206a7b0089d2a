"""The GraphQL API: schema assembly, HTTP transport and shared conventions."""
