import type { FastifyReply } from 'fastify';

const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON text as Go's encoder writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped as `\uXXXX`.
 * The value parses to the same data; answers carrying markup (provider logos) then match
 * PocketBase byte for byte.
 */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => GO_ESCAPES[ch] ?? ch);
}

/** Sends `value` as `application/json` with Go's escaping. */
export function sendGoJson(reply: FastifyReply, status: number, value: unknown): FastifyReply {
  return reply.status(status).type('application/json').send(goJson(value));
}
