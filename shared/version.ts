/**
 * Version of the WebSocket protocol. A client sends it in its hello; the server refuses any other
 * value with a `protocol_mismatch` error, so an old desktop app says "update" instead of misbehaving.
 */
export const PROTOCOL_VERSION = 1;

/** Default port of the backend (embedded default and the desktop app's default server URL). */
export const DEFAULT_PORT = 4280;
