// Runs every graphql-http server audit against one GraphQL-over-HTTP endpoint.
//
// Usage: node audit.mjs http://127.0.0.1:8000/graphql
// Prints one JSON array of {id, name, status, reason} to stdout and exits 0;
// the caller decides what counts as a failure. Exits 2 on a usage error.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: node audit.mjs <graphql endpoint url>\n');
  process.exit(2);
}

const results = await auditServer({ url });
const report = results.map((result) => ({
  id: result.id,
  name: result.name,
  status: result.status,
  reason: result.status === 'ok' ? null : result.reason,
}));
process.stdout.write(JSON.stringify(report) + '\n');
