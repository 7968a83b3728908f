import { ApiError, codeForStatus, createHttpClient, type HttpClient, readErrorBody } from '../../browser/net/http-client';

/**
 * The admin screens and the recording player show what the server said, or else its status line;
 * no timeout (audio may take a while). Their calls go through the one typed client.
 */
export function screenHttpClient(serverUrl: string, fetchImpl?: typeof fetch): HttpClient<Response> {
  return createHttpClient<Response>({
    baseUrl: serverUrl,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
    wording: {
      errorAnswer(status, _statusText, body) {
        const server = readErrorBody(body);
        if (server) return new ApiError(server.code, server.message, status, server.issues);
        return new ApiError(codeForStatus(status), `The server answered ${status}.`, status);
      },
    },
  });
}
