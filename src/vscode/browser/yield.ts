// How the browser's analysis lets its web worker serve other work between slices (no setImmediate there).

/** A turn of the event loop without setTimeout's clamp (4 ms once nested): a message to ourselves. */
export function yieldToHost(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
