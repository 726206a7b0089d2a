// Compares two GraphQL SDL files with graphql-inspector's schema diff.
//
// Usage: node diff.mjs <old schema.graphql> <new schema.graphql>
// Prints one JSON array of {type, criticality, message, path} to stdout and
// exits 0, criticality being BREAKING, DANGEROUS or NON_BREAKING as
// graphql-inspector judges it (no rule that relaxes it is applied); the
// caller decides what counts as a failure. Exits 2 on a usage error.
import { readFileSync } from 'node:fs';
import { diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

const [oldPath, newPath] = process.argv.slice(2);
if (!oldPath || !newPath || process.argv.length > 4) {
  process.stderr.write('usage: node diff.mjs <old schema.graphql> <new schema.graphql>\n');
  process.exit(2);
}

const load = (path) => buildSchema(readFileSync(path, 'utf8'));
const changes = await diff(load(oldPath), load(newPath));
const report = changes.map((change) => ({
  type: change.type,
  criticality: change.criticality.level,
  message: change.message,
  path: change.path ?? null,
}));
process.stdout.write(JSON.stringify(report) + '\n');
