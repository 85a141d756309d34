// What the reference server logs: only handler exceptions (a bug of the server, never the client's
// fault), with the connection and the message that triggered it, before the server answers
// 1011 / 500 / an error message. The default writes one line and the stack to stderr.

/** A handler that threw. */
export interface HandlerFailure {
  /** the server's id of the connection (`c17`), or of the upgrade request (`u17`) */
  connection: string;
  /** the client message type, or `upgrade` / `connect` for the handshake and the connection setup */
  messageType: string;
  error: unknown;
}

export type ErrorLog = (failure: HandlerFailure) => void;

export const stderrLog: ErrorLog = ({ connection, messageType, error }) => {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`reference-server: handler failed (connection ${connection}, message ${messageType}): ${detail}\n`);
};
