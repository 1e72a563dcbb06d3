/**
 * A second, independent opinion on Block Kit: the JSON Schema generated from Slack's own `@slack/types`
 * (test/fixtures/slack-types-schema, MIT), which nobody on this team wrote. The stand-in's checker
 * (blockkit.ts) asks it only about payloads the checker itself accepts, so every message, modal and
 * Home tab a test produces passes both descriptions before the stand-in takes it.
 */
import { readFileSync } from 'node:fs';
import { repoFile } from '../repo-file';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

export type SchemaSurface = 'message' | 'modal' | 'home';

const SCHEMA_PATH = repoFile('test/fixtures/slack-types-schema/block-kit.schema.json');
const DEFINITION: Readonly<Record<SchemaSurface, string>> = { message: 'MessageBlocks', modal: 'Modal', home: 'Home' };

type Json = Record<string, unknown>;

let cache: Record<SchemaSurface, ValidateFunction> | null = null;

function compiled(): Record<SchemaSurface, ValidateFunction> {
  if (cache) return cache;
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { definitions: Record<string, Json> };
  // AnyBlock (views' blocks) is KnownBlock | Block, the bare base interface that lets TypeScript users send block types
  // the package does not know yet; Slack refuses unknown types, so views are held to KnownBlock as messages are.
  if (schema.definitions.AnyBlock && schema.definitions.KnownBlock) schema.definitions.AnyBlock = { $ref: '#/definitions/KnownBlock' };
  discriminate(schema, (member) => typesOfMember(member, schema.definitions, new Set()));
  // strict: false because the generator keeps the types' doc comments as `description`s alongside $refs.
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema(schema, 'slack-types');
  const get = (surface: SchemaSurface): ValidateFunction => {
    const validate = ajv.getSchema(`slack-types#/definitions/${DEFINITION[surface]}`);
    if (!validate) throw new Error(`${SCHEMA_PATH} has no definition ${DEFINITION[surface]}`);
    return validate;
  };
  cache = { message: get('message'), modal: get('modal'), home: get('home') };
  return cache;
}

/**
 * Blocks and elements are unions told apart by `type`. As `anyOf`, ajv reports every member's complaint (a section
 * "lacks" an actions block's `elements`); rewritten as "type is one of these, and if it is X it is an X", only the
 * member the payload names is checked. The accepted payloads are the same: the members' `type` constants differ.
 */
function discriminate(node: unknown, typesOf: (member: unknown) => string[] | undefined): void {
  if (Array.isArray(node)) {
    for (const child of node) discriminate(child, typesOf);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Json;
  for (const child of Object.values(obj)) discriminate(child, typesOf);
  const union = obj.anyOf ?? obj.oneOf;
  if (!Array.isArray(union)) return;
  const types = union.map(typesOf);
  const all = types.flatMap((t) => t ?? []);
  if (types.some((t) => t === undefined) || new Set(all).size !== all.length) return;
  delete obj.anyOf;
  delete obj.oneOf;
  obj.type = 'object';
  obj.required = ['type'];
  obj.properties = { type: { enum: all } };
  obj.allOf = union.map((member: unknown, i) => ({ if: { properties: { type: { enum: types[i] } }, required: ['type'] }, then: member }));
}

/**
 * The `type` constants a union member stands for: its own, its $ref's, or its own members' (a select stands for
 * every kind of select); undefined when some part of it has no `type` constant.
 */
function typesOfMember(member: unknown, definitions: Record<string, Json>, seen: ReadonlySet<string>): string[] | undefined {
  if (member === null || typeof member !== 'object') return undefined;
  const m = member as Json;
  if (typeof m.$ref === 'string') {
    const name = m.$ref.replace('#/definitions/', '');
    if (seen.has(name)) return undefined;
    return typesOfMember(definitions[name], definitions, new Set([...seen, name]));
  }
  const own = (m.properties as { type?: { const?: unknown } } | undefined)?.type?.const;
  if (typeof own === 'string') return [own];
  const union = m.anyOf ?? m.oneOf;
  if (!Array.isArray(union) || union.length === 0) return undefined;
  const parts = union.map((u: unknown) => typesOfMember(u, definitions, seen));
  if (parts.some((p) => p === undefined)) return undefined;
  return [...new Set(parts.flatMap((p) => p ?? []))];
}

/**
 * Compiles the schema now (about half a second, once per process) rather than inside the first Web API call that
 * carries blocks, where it would eat into the client's timeout and make that post look unanswered.
 */
export function prepareBlockKitSchema(): void {
  compiled();
}

/** The schema's objections, in the checker's "[ERROR] … [json-pointer:…]" form under `base` ('/blocks' or '/view'). */
export function schemaErrors(surface: SchemaSurface, payload: unknown, base: string): string[] {
  const validate = compiled()[surface];
  if (validate(payload)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  return [...new Set(errors.map((e) => `[ERROR] @slack/types schema: ${describe(e)} [json-pointer:${base}${e.instancePath}]`))];
}

function describe(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `invalid additional property: ${String(params.additionalProperty)}`;
  if (e.keyword === 'required') return `missing required field: ${String(params.missingProperty)}`;
  return e.message ?? e.keyword;
}
