import type { Socket } from 'node:net';
import type { Request, Response } from 'express';

/** How long a connection closed under an unread body keeps reading before it is dropped. */
const LINGER_MS = 2000;
/** How much it reads in that time at most. */
const LINGER_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Ends the exchange with `Connection: close` while the request body is still arriving, without
 * losing the answer. Node's HTTP server closes such a connection with `socket.destroySoon()`,
 * which destroys the socket as soon as its FIN is sent; body bytes arriving after that make the
 * kernel answer with a reset, which can erase the response from the client's buffers before it
 * reads it. RFC 9112 §9.6 describes the cure applied here: close the writing side first, keep
 * reading (and discarding) until the client closes too or a bound is reached, then close fully.
 */
export function closeAfterResponse(req: Request, res: Response): void {
  res.setHeader('Connection', 'close');
  // Keep pulling the body off the wire, into nowhere, so the client can finish writing.
  req.resume();
  const socket = req.socket;
  socket.destroySoon = () => lingerThenDestroy(socket);
}

function lingerThenDestroy(socket: Socket): void {
  const startedAt = socket.bytesRead;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  const onData = () => {
    if (socket.bytesRead - startedAt > LINGER_LIMIT_BYTES) socket.destroy();
  };
  // The client has closed its side: nothing more will arrive, a full close resets nothing.
  const onEnd = () => socket.destroy();
  socket.on('data', onData).once('end', onEnd).once('close', () => {
    clearTimeout(timer);
    socket.off('data', onData).off('end', onEnd);
  });
  socket.end();
}
