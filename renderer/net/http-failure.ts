/** The error an API answer carries (the server's message when it sent one), for the screens to show. */
export async function failure(res: Response): Promise<Error> {
  let message = `The server answered ${res.status}.`;
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    if (body.error?.message) message = body.error.message;
  } catch {
    // Not JSON: keep the status line.
  }
  return new Error(message);
}
