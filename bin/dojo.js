#!/usr/bin/env node
// The `dojo` command. Runs the TypeScript sources through tsx so `npm install && npm start` needs no
// build step; a deployment that prefers compiled output runs `npm run build` then `node dist/src/cli/main.js`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
