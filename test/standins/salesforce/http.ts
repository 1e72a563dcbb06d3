import type { IncomingMessage, ServerResponse } from 'node:http';

/** Salesforce sends JSON with this exact content type; jsforce only parses errors when it sees JSON. */
export const JSON_TYPE = 'application/json;charset=UTF-8';

export class HttpReply {
  constructor(
    readonly status: number,
    readonly body: unknown = undefined,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** A REST error in Salesforce's array shape: `[{"message": …, "errorCode": …}]`. */
export function sfError(status: number, errorCode: string, message: string, fields?: string[]): HttpReply {
  return new HttpReply(status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);
}

export const notFound = (): HttpReply => sfError(404, 'NOT_FOUND', 'The requested resource does not exist');

/** An OAuth endpoint error: `{"error": …, "error_description": …}`. */
export function oauthError(status: number, error: string, description: string): HttpReply {
  return new HttpReply(status, { error, error_description: description });
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function send(res: ServerResponse, reply: HttpReply, extraHeaders: Record<string, string>): void {
  const headers: Record<string, string> = { ...extraHeaders, ...reply.headers };
  let payload: string | undefined;
  if (reply.body !== undefined) {
    if (typeof reply.body === 'string') {
      payload = reply.body;
      headers['content-type'] ??= 'text/plain;charset=UTF-8';
    } else {
      payload = JSON.stringify(reply.body);
      headers['content-type'] = JSON_TYPE;
    }
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}
