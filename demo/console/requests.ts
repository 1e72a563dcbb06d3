/**
 * Checks the JSON the page posts before anything reaches the bot: a malformed request is answered
 * with what is wrong, never half-sent to Slack's stand-in.
 */
import { InteractionError } from './interactions';
import type { ActionRequest, ActionSource, AttackerRequest, CloseRequest, CommandRequest, HomeRequest, StateValues, SubmitRequest } from './protocol';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(body: unknown): Obj {
  if (!isObj(body)) throw new InteractionError('Expected a JSON object');
  return body;
}

function text(o: Obj, key: string, max = 4000): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw new InteractionError(`"${key}" must be a non-empty string`);
  if (v.length > max) throw new InteractionError(`"${key}" is longer than ${max} characters`);
  return v;
}

function state(v: unknown, key: string): StateValues {
  if (!isObj(v) || !Object.values(v).every(isObj)) throw new InteractionError(`"${key}" must map block ids to {action id: value}`);
  // Values are passed to the bot as Slack would; the bot validates their content itself.
  return v as StateValues;
}

function source(v: unknown): ActionSource {
  const o = object(v);
  switch (o.kind) {
    case 'message':
      return { kind: 'message', channel: text(o, 'channel', 32), ts: text(o, 'ts', 32) };
    case 'ephemeral':
      return { kind: 'ephemeral', id: text(o, 'id', 32) };
    case 'view':
      return { kind: 'view', viewId: text(o, 'viewId', 32) };
    default:
      throw new InteractionError('"source.kind" must be message, ephemeral or view');
  }
}

export function readCommandRequest(body: unknown): CommandRequest {
  const o = object(body);
  return { user: text(o, 'user', 32), channel: text(o, 'channel', 32), line: text(o, 'line') };
}

export function readActionRequest(body: unknown): ActionRequest {
  const o = object(body);
  const selected = o.selectedValue;
  if (selected !== undefined && typeof selected !== 'string') throw new InteractionError('"selectedValue" must be a string');
  return {
    user: text(o, 'user', 32),
    source: source(o.source),
    actionId: text(o, 'actionId', 255),
    blockId: text(o, 'blockId', 255),
    ...(selected !== undefined ? { selectedValue: selected } : {}),
    ...(o.state !== undefined ? { state: state(o.state, 'state') } : {}),
  };
}

export function readSubmitRequest(body: unknown): SubmitRequest {
  const o = object(body);
  return { user: text(o, 'user', 32), viewId: text(o, 'viewId', 32), values: state(o.values ?? {}, 'values') };
}

export function readCloseRequest(body: unknown): CloseRequest {
  const o = object(body);
  return { user: text(o, 'user', 32), viewId: text(o, 'viewId', 32) };
}

export function readHomeRequest(body: unknown): HomeRequest {
  return { user: text(object(body), 'user', 32) };
}

export function readAttackerRequest(body: unknown): AttackerRequest {
  const o = object(body);
  if (typeof o.on !== 'boolean') throw new InteractionError('"on" must be true or false');
  return { on: o.on };
}
