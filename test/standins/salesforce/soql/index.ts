export { parseSoql, StandInUnsupported } from './parser';
export { executeSoql, MAX_OFFSET, type ExecuteOptions, type QueryResult } from './evaluator';
export { SoqlError } from './errors';
export { renderDatetime, renderValue, type JsonObject, type JsonValue } from './values';
