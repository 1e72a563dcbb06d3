import { randomBytes } from 'node:crypto';
import { HttpReply, notFound, sfError } from './http';
import type { Org, SfRecord, SfValue } from './org';
import { findRecord, isWellFormedId, objectById, objectByName } from './records';
import type { FieldDef, ObjectDef } from './schema';
import { renderValue, type JsonObject } from './soql';
import { idKey } from './soql/values';

/** sObject Collections accept at most this many ids per call. */
export const MAX_COLLECTION_IDS = 200;

export interface PasswordReset {
  userId: string;
  at: Date;
  /** The temporary password handed out, so tests can prove it never leaks anywhere. */
  newPassword: string;
}

interface ItemError {
  statusCode: string;
  message: string;
  fields: string[];
}
type CollectionItem = { id: string; success: true; errors: [] } | { id?: string; success: false; errors: ItemError[] };

/** Retrieve, update, delete, password and sObject Collections delete. */
export class SObjectRoutes {
  /** Ids (15-character keys) deleted through the API, so a second delete reports ENTITY_IS_DELETED. */
  private readonly deleted = new Set<string>();
  private readonly expiredPasswords = new Set<string>();
  readonly passwordResets: PasswordReset[] = [];

  constructor(
    private readonly org: Org,
    private readonly now: () => Date,
  ) {}

  retrieve(typeName: string, id: string, apiVersion: string, callerSessionId: string): HttpReply {
    const type = objectByName(typeName);
    if (!type) return notFound();
    if (!isWellFormedId(id)) return externalIdNotFound(id);
    const record = findRecord(this.org, id, type);
    if (!record) return notFound();
    const out: JsonObject = { attributes: { type: type.name, url: `/services/data/v${apiVersion}/sobjects/${type.name}/${String(record.Id)}` } };
    for (const [name, def] of Object.entries(type.fields)) {
      const v: SfValue =
        type.name === 'AuthSession' && name === 'IsCurrent' ? record.Id === callerSessionId || record.ParentId === callerSessionId : (record[name] ?? null);
      out[name] = renderValue(def.type, v);
    }
    return new HttpReply(200, out);
  }

  deleteOne(typeName: string, id: string): HttpReply {
    const type = objectByName(typeName);
    if (!type) return notFound();
    if (!type.deletable) return sfError(400, 'INVALID_TYPE_FOR_OPERATION', 'entity type cannot be deleted');
    if (!isWellFormedId(id)) return externalIdNotFound(id);
    const record = findRecord(this.org, id, type);
    if (!record) return notFound();
    this.remove(type, record);
    return new HttpReply(204);
  }

  update(typeName: string, id: string, rawBody: string): HttpReply {
    const type = objectByName(typeName);
    if (!type) return notFound();
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return sfError(400, 'JSON_PARSER_ERROR', 'Unexpected character in the request body: the body must be JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return sfError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of the sObject from a non-object value');
    }
    const changes: SfRecord = {};
    const readOnly: string[] = [];
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (key === 'attributes') continue;
      const field = Object.entries(type.fields).find(([n]) => n.toLowerCase() === key.toLowerCase());
      if (!field) return sfError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${type.name}`);
      const [name, def] = field;
      if (!def.updatable) {
        readOnly.push(name);
        continue;
      }
      if (!valueFits(def, value)) {
        return sfError(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of ${def.type} from ${JSON.stringify(value)} for field ${name}`);
      }
      changes[name] = value as SfValue;
    }
    if (readOnly.length > 0) {
      return sfError(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly,
      );
    }
    if (!isWellFormedId(id)) return externalIdNotFound(id);
    const record = findRecord(this.org, id, type);
    if (!record) return notFound();
    if ('LastModifiedDate' in type.fields) changes.LastModifiedDate = this.now().toISOString();
    this.org.update(record.Id as string, changes);
    return new HttpReply(204);
  }

  /** `DELETE /sobjects/User/<id>/password` resets; `GET` tells whether the password is expired. */
  password(method: string, userId: string): HttpReply {
    const user = isWellFormedId(userId) ? findRecord(this.org, userId, objectByName('User')) : undefined;
    if (!user) return notFound();
    const id = user.Id as string;
    if (method === 'GET') return new HttpReply(200, { isExpired: this.expiredPasswords.has(id) });
    if (method === 'DELETE') {
      const newPassword = randomBytes(9).toString('base64url');
      this.passwordResets.push({ userId: id, at: this.now(), newPassword });
      this.expiredPasswords.add(id);
      return new HttpReply(200, { NewPassword: newPassword });
    }
    return methodNotAllowed(method, 'GET, DELETE');
  }

  /** `DELETE /composite/sobjects?ids=…&allOrNone=…`: per-item results in request order. */
  deleteCollection(idsParam: string | null, allOrNoneParam: string | null): HttpReply {
    if (!idsParam) return sfError(400, 'MISSING_ARGUMENT', 'Missing required parameter: ids');
    const ids = idsParam.split(',');
    if (ids.length > MAX_COLLECTION_IDS) {
      return sfError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION_IDS} records into this call`);
    }
    const allOrNone = allOrNoneParam?.toLowerCase() === 'true';
    const checked = ids.map((id) => this.checkDeletable(id));
    const anyFailed = checked.some((c) => !('record' in c));
    if (allOrNone && anyFailed) {
      return new HttpReply(
        200,
        checked.map((c): CollectionItem =>
          'record' in c
            ? {
                id: c.id,
                success: false,
                errors: [
                  {
                    statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                    message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
                    fields: [],
                  },
                ],
              }
            : c.failure,
        ),
      );
    }
    const results = checked.map((c): CollectionItem => {
      if (!('record' in c)) return c.failure;
      // A duplicate id in one request: the earlier item already removed it.
      if (!this.org.get(c.record.Id as string)) return failure('ENTITY_IS_DELETED', 'entity is deleted');
      this.remove(c.type, c.record);
      return { id: c.record.Id as string, success: true, errors: [] };
    });
    return new HttpReply(200, results);
  }

  private checkDeletable(id: string): { id: string; record: SfRecord; type: ObjectDef } | { failure: CollectionItem } {
    if (!isWellFormedId(id)) return { failure: failure('MALFORMED_ID', `malformed id ${id}`) };
    const type = objectById(id);
    const record = type ? findRecord(this.org, id, type) : undefined;
    if (!type || !record) {
      const gone = this.deleted.has(idKey(id));
      return { failure: gone ? failure('ENTITY_IS_DELETED', 'entity is deleted') : failure('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id') };
    }
    if (!type.deletable) return { failure: failure('INVALID_TYPE_FOR_OPERATION', 'entity type cannot be deleted') };
    return { id, record, type };
  }

  private remove(type: ObjectDef, record: SfRecord): void {
    const id = record.Id as string;
    this.org.delete(type.name, id);
    this.deleted.add(idKey(id));
  }
}

/** Failed collection items carry no `id` in Salesforce's documented example; callers match by position. */
function failure(statusCode: string, message: string): CollectionItem {
  return { success: false, errors: [{ statusCode, message, fields: [] }] };
}

/** Salesforce reads `/sobjects/<Type>/<not an id>` as an external-id lookup. */
function externalIdNotFound(id: string): HttpReply {
  return sfError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${id}`);
}

export function methodNotAllowed(method: string, allowed: string): HttpReply {
  return sfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`);
}

function valueFits(def: FieldDef, value: unknown): boolean {
  if (value === null) return true;
  switch (def.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'int':
    case 'double':
      return typeof value === 'number';
    default:
      return typeof value === 'string';
  }
}
