/** Server-sent events as the web UI reads them (fetch rather than EventSource); free of test frameworks, so the bench uses it too. */

/**
 * Read a server-sent event body to its end, calling `onEvent` with each event's name and its
 * `data` line (if any), in order. Rejects when the connection is aborted or drops.
 */
export async function readServerSentEvents(body: ReadableStream<Uint8Array>, onEvent: (event: string, data: string | undefined) => void): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      if (event) onEvent(event, /^data: (.*)$/m.exec(block)?.[1]);
    }
  }
}
