// Type-checks examples/using.ts, which scripts/test.sh copies to ./examples
// next to this file, against the packed package.
import './examples/using.js';
