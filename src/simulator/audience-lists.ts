/**
 * Customer-list custom audiences: `POST act_x/customaudiences` (subtype CUSTOM with
 * `customer_file_source`), `POST /<audience>/users` (add) and `/usersreplace` (replace) with
 * `payload {schema, data}` and Meta's `session` fields. A batch of a session seen before (same
 * `session_id` and `batch_seq`) is answered again without being counted twice; values of hashed
 * fields that are not SHA-256 hex are refused with Meta's error; a deterministic share of the
 * rows "matches" people, which the audience's `approximate_count_*` report once a session ends.
 */
import { createHash } from 'node:crypto';
import { invalidParameter, validationError } from './graph-errors';
import type { AccountInfo, AudienceList, AudienceSession, SimNode, SimulatorState } from './simulator-state';
import { jsonParam, objectParam, refuseUnknownParams, requireName } from './write-params';
import { recordWrite } from './write-recording';

/** Meta's limit on rows per `/users` call. */
export const MAX_ROWS_PER_BATCH = 10_000;

/** Sources Meta accepts for a customer file [SDK CustomAudience.CustomerFileSource]. */
const CUSTOMER_FILE_SOURCES = ['USER_PROVIDED_ONLY', 'PARTNER_PROVIDED_ONLY', 'BOTH_USER_AND_PARTNER_PROVIDED'] as const;

/** Schema keys whose values must arrive SHA-256 hashed (EXTERN_ID may be sent as is). */
const HASHED_KEYS: ReadonlySet<string> = new Set([
  'EMAIL', 'EMAIL_SHA256', 'PHONE', 'PHONE_SHA256', 'FN', 'LN', 'FI', 'CT', 'ST', 'ZIP', 'COUNTRY', 'GEN', 'DOBY', 'DOBM', 'DOBD', 'MADID',
]);
const SCHEMA_KEYS: ReadonlySet<string> = new Set([...HASHED_KEYS, 'EXTERN_ID']);

const CREATE_PARAMS: ReadonlySet<string> = new Set(['name', 'subtype', 'description', 'customer_file_source']);
const USERS_PARAMS: ReadonlySet<string> = new Set(['payload', 'session']);

/** Share of rows (in percent) that match a person: a pure function of the row's hashes. */
const MATCH_PERCENT = 70;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** `POST act_x/customaudiences` with subtype CUSTOM: a customer-file audience, empty until its first upload. */
export function createCustomAudience(state: SimulatorState, account: AccountInfo, params: Record<string, string>): Record<string, unknown> {
  refuseUnknownParams(params, CREATE_PARAMS, 'creating');
  const name = requireName(params, 'audience');
  const subtype = params.subtype ?? 'CUSTOM';
  if (subtype !== 'CUSTOM') throw invalidParameter(`(#100) Creating custom audiences of subtype ${subtype} is not supported here`);
  const source = params.customer_file_source;
  if (!source) {
    throw validationError('customer_file_source', 'Customer File Source Required', 'Please specify where the customer information in your file came from (customer_file_source).', 2654);
  }
  if (!(CUSTOMER_FILE_SOURCES as readonly string[]).includes(source)) {
    throw validationError('customer_file_source', 'Invalid Customer File Source', `customer_file_source must be one of ${CUSTOMER_FILE_SOURCES.join(', ')}.`, 2654);
  }
  const now = state.now();
  const id = state.allocateId('customaudience');
  const node: SimNode = {
    type: 'customaudience', id, accountId: account.accountId, name, status: 'ACTIVE', createdMs: now, updatedMs: now, ordinal: -1,
    fields: {
      name, subtype: 'CUSTOM', description: params.description ?? '', customer_file_source: source,
      approximate_count_lower_bound: 0, approximate_count_upper_bound: 0,
      delivery_status: { code: 300, description: 'This audience is too small to be used.' },
      operation_status: { code: 410, description: 'No upload: no users have been uploaded to this audience yet.' },
      retention_days: 0, time_created: Math.floor(now / 1000), time_updated: Math.floor(now / 1000),
    },
  };
  state.addNode(node);
  state.addEdge(account.id, 'customaudiences', id);
  state.audienceLists.set(id, { members: new Set(), sessions: new Map() });
  state.version++;
  recordWrite(state, node, 'create', ['name', 'subtype', 'description']);
  return { id };
}

interface SessionParam {
  sessionId: string;
  batchSeq: number;
  last: boolean;
  estimatedTotal?: number;
}

function sessionOf(params: Record<string, string>): SessionParam | undefined {
  const raw = objectParam(params, 'session');
  if (!raw) return undefined;
  const sessionId = raw.session_id;
  const batchSeq = raw.batch_seq;
  if ((typeof sessionId !== 'number' && typeof sessionId !== 'string') || !/^\d{1,19}$/.test(String(sessionId))) {
    throw validationError('session', 'Invalid Session', 'session.session_id must be a positive integer chosen by the client.');
  }
  if (typeof batchSeq !== 'number' || !Number.isInteger(batchSeq) || batchSeq < 1) {
    throw validationError('session', 'Invalid Session', 'session.batch_seq must be an integer starting at 1.');
  }
  if (typeof raw.last_batch_flag !== 'boolean') throw validationError('session', 'Invalid Session', 'session.last_batch_flag must be true or false.');
  const est = raw.estimated_num_total;
  return { sessionId: String(sessionId), batchSeq, last: raw.last_batch_flag, ...(typeof est === 'number' ? { estimatedTotal: est } : {}) };
}

function payloadOf(params: Record<string, string>): { schema: string[]; data: unknown[][] } {
  const payload = jsonParam(params, 'payload');
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw validationError('payload', 'Missing Payload', 'The payload parameter is required: {"schema": [...], "data": [[...]]}.');
  const { schema: rawSchema, data } = payload as { schema?: unknown; data?: unknown };
  const schema = typeof rawSchema === 'string' ? [rawSchema] : rawSchema;
  if (!Array.isArray(schema) || schema.length === 0 || !schema.every((k) => typeof k === 'string' && SCHEMA_KEYS.has(k))) {
    throw validationError('payload', 'Invalid Schema', `payload.schema must list keys among ${[...SCHEMA_KEYS].join(', ')}.`);
  }
  if (new Set(schema).size !== schema.length) throw validationError('payload', 'Invalid Schema', 'payload.schema lists a key twice.');
  if (!Array.isArray(data) || data.length === 0) throw validationError('payload', 'Empty Payload', 'payload.data must hold at least one row.');
  if (data.length > MAX_ROWS_PER_BATCH) throw invalidParameter(`(#100) The number of users in one request must not exceed ${MAX_ROWS_PER_BATCH}`);
  // Single-key payloads may list bare values instead of one-element rows.
  const rows = data.map((row) => (Array.isArray(row) ? row : [row]));
  return { schema: schema as string[], data: rows };
}

/** The one error for unhashed personal data: Meta refuses the whole call, nothing is added. */
function unhashed(key: string): never {
  throw validationError('payload', 'Data Not Hashed', `The values of ${key} must be normalised and SHA-256 hashed (64 lowercase hexadecimal characters) before they are sent.`, 1870065);
}

/** `POST /<audience>/users` (add) or `/usersreplace` (replace). */
export function uploadAudienceUsers(state: SimulatorState, node: SimNode, mode: 'add' | 'replace', params: Record<string, string>): Record<string, unknown> {
  const list = state.audienceLists.get(node.id);
  if (node.type !== 'customaudience' || !list || node.fields.subtype !== 'CUSTOM') {
    throw invalidParameter('(#100) Users can only be added to a customer-file custom audience');
  }
  refuseUnknownParams(params, USERS_PARAMS, 'updating');
  const { schema, data } = payloadOf(params);
  const hashedColumns = schema.map((k) => HASHED_KEYS.has(k));
  for (const row of data) {
    row.forEach((value, i) => {
      if (hashedColumns[i] && typeof value === 'string' && value !== '' && !SHA256_HEX.test(value)) unhashed(schema[i] as string);
    });
  }
  const session = sessionOf(params);
  if (mode === 'replace' && !session) throw validationError('session', 'Session Required', 'A replace upload needs a session.');
  const sessionId = session?.sessionId ?? String(state.allocateId('customaudience'));
  let open: AudienceSession | undefined = list.sessions.get(sessionId);
  if (!open) {
    open = { mode, batches: new Map(), numReceived: 0, numInvalidEntries: 0, pending: new Set(), closed: false };
    list.sessions.set(sessionId, open);
  }
  if (open.mode !== mode) throw validationError('session', 'Invalid Session', `Session ${sessionId} is a ${open.mode} session.`);
  const batchSeq = session?.batchSeq ?? 1;
  const answer = { audience_id: node.id, session_id: sessionId, num_received: 0, num_invalid_entries: 0, invalid_entry_samples: {} as Record<string, string> };
  // A batch already counted (a client retrying after a lost answer) changes nothing.
  const seen = open.batches.get(batchSeq);
  if (seen) return { ...answer, num_received: seen.numReceived, num_invalid_entries: seen.numInvalidEntries };
  if (open.closed) throw validationError('session', 'Session Closed', `Session ${sessionId} already received its last batch.`);
  const target = mode === 'replace' ? open.pending : list.members;
  data.forEach((row, index) => {
    const values = row.map((v) => (v === null || v === undefined ? '' : String(v)));
    if (values.length !== schema.length) {
      answer.num_invalid_entries++;
      answer.invalid_entry_samples[String(index)] = `row has ${values.length} values for ${schema.length} schema keys`;
      return;
    }
    if (values.every((v) => v === '')) {
      answer.num_invalid_entries++;
      answer.invalid_entry_samples[String(index)] = 'row has no value';
      return;
    }
    answer.num_received++;
    target.add(values.join('|'));
  });
  open.batches.set(batchSeq, { numReceived: answer.num_received, numInvalidEntries: answer.num_invalid_entries });
  open.numReceived += answer.num_received;
  open.numInvalidEntries += answer.num_invalid_entries;
  if (!session || session.last) {
    open.closed = true;
    if (mode === 'replace') list.members = open.pending;
  }
  refreshCounts(state, node, list);
  // Recorded as a write, so the lost-answer fault (`writeAppliedThenErrorRate`) can strike it.
  recordWrite(state, node, 'update', ['operation_status', 'approximate_count_lower_bound', 'approximate_count_upper_bound']);
  return answer;
}

/** Whether a row "matches" a person: a fixed share of rows, decided by its hashes alone. */
export function rowMatches(rowKey: string): boolean {
  const digest = createHash('sha256').update(rowKey).digest();
  return digest.readUInt16BE(0) % 100 < MATCH_PERCENT;
}

/** Members counted by the simulator (ground truth for tests), and how many matched. */
export function audienceTruth(state: SimulatorState, audienceId: string): { members: number; matched: number; sessions: Record<string, { numReceived: number; numInvalidEntries: number; batches: number; closed: boolean }> } | undefined {
  const list = state.audienceLists.get(audienceId);
  if (!list) return undefined;
  const sessions: Record<string, { numReceived: number; numInvalidEntries: number; batches: number; closed: boolean }> = {};
  for (const [id, s] of list.sessions) sessions[id] = { numReceived: s.numReceived, numInvalidEntries: s.numInvalidEntries, batches: s.batches.size, closed: s.closed };
  return { members: list.members.size, matched: [...list.members].filter(rowMatches).length, sessions };
}

function refreshCounts(state: SimulatorState, node: SimNode, list: AudienceList): void {
  const uploading = [...list.sessions.values()].some((s) => !s.closed);
  const matched = [...list.members].filter(rowMatches).length;
  const now = state.now();
  node.updatedMs = now;
  node.fields.time_updated = Math.floor(now / 1000);
  node.fields.time_content_updated = Math.floor(now / 1000);
  if (uploading) {
    node.fields.operation_status = { code: 414, description: 'The audience is being updated: an upload session is in progress.' };
  } else {
    node.fields.operation_status = { code: 200, description: 'Normal' };
    // Meta reports a range around the matched size, never the exact figure.
    node.fields.approximate_count_lower_bound = Math.floor(matched * 0.95);
    node.fields.approximate_count_upper_bound = Math.ceil(matched * 1.05);
    node.fields.delivery_status = matched >= 100
      ? { code: 200, description: 'This audience is ready for use.' }
      : { code: 300, description: 'This audience is too small to be used.' };
  }
  state.version++;
}
