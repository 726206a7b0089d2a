"""GraphQL for meetings: types, queries and mutations."""
