import type { IncomingMessage } from "node:http";

export class BodyTooLargeError extends Error {
  constructor(
    readonly limit: number,
    /** The rest of the body was read, so the connection can carry the answer. */
    readonly drained = false,
  ) {
    super(`request body exceeds ${limit} bytes`);
  }
}

export class BadJsonError extends Error {}

/** Floor of the drain allowance: bodies up to this size are read to the end before the 413. */
const MIN_DRAIN_BYTES = 16 * 1024 * 1024;
/** Multiple of the limit read (and dropped) at most past it, when that is more than the floor. */
const DRAIN_FACTOR = 4;

/**
 * How many bytes of an over-limit body are read and thrown away before answering 413. A client that is
 * still sending when the server answers and closes gets EPIPE instead of the answer (Node's fetch does);
 * reading the rest first lets it see the 413 and its message. Past this allowance the connection is cut.
 */
export function drainAllowance(limit: number): number {
  return Math.max(MIN_DRAIN_BYTES, limit * DRAIN_FACTOR);
}

interface Collected {
  /** The whole body, when it fits the limit. */
  body?: Buffer;
  /** For an over-limit body: whether it was read to its end within the drain allowance. */
  drained?: boolean;
}

/** Reads a body, keeping at most `limit` bytes and reading on (dropping) up to `allowance` past that. */
function collect(req: IncomingMessage, limit: number, allowance: number, skip: boolean): Promise<Collected> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = skip;
    const finish = (result: Collected | Error) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (!over && size > limit) {
        over = true;
        chunks.length = 0;
      }
      if (over) {
        if (size > allowance) finish({ drained: false });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(over ? { drained: true } : { body: Buffer.concat(chunks, size) });
    const onError = (err: Error) => finish(err);
    const onClose = () => finish(new Error("the client closed the connection before the body ended"));
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onError);
    req.once("close", onClose);
  });
}

/**
 * Reads and parses a JSON request body, refusing anything over `limit` bytes. An over-limit body is read
 * to its end (up to `drainAllowance`) before BodyTooLargeError is thrown, so the client can read the 413;
 * the error's `drained` says whether that worked (if not, the connection must be closed).
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const allowance = drainAllowance(limit);
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > allowance) throw new BodyTooLargeError(limit, false);
  const got = await collect(req, limit, allowance, Number.isFinite(declared) && declared > limit);
  if (!got.body) throw new BodyTooLargeError(limit, Boolean(got.drained));
  try {
    return JSON.parse(got.body.toString("utf8"));
  } catch {
    throw new BadJsonError("request body is not valid JSON");
  }
}
