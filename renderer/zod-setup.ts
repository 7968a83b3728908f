import { z } from 'zod';

/*
 * Must be the first import of the entry. zod 4 probes `new Function` to JIT-compile object parsers
 * when schemas are created; under the server's CSP (no 'unsafe-eval') that probe fails safely but
 * logs a CSP violation on every start. jitless skips the probe entirely.
 */
z.config({ jitless: true });
