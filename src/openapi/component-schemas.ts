import { z } from 'zod';
import { chatRequestSchema } from '../http/chat-request-schema';
import { compareFieldsSchema, voteRequestSchema } from '../http/compare-request-schema';
import { compareStatsSchema, compareStopResultSchema, voteResultSchema } from '../http/compare-response-schemas';
import { editBodySchema, regenerateBodySchema, renameBodySchema } from '../http/session-request-schema';
import {
  compareCompleteDataSchema,
  compareStartDataSchema,
  sideDeltaSchema,
  sideEndSchema,
  sideErrorSchema,
  sideProgressDataSchema,
  sideSourcesDataSchema,
  sideReasoningDataSchema,
  sideStartDataSchema,
  sideSummarySchema,
} from './compare-event-schemas';
import {
  completeDataSchema,
  errorDataSchema,
  messageDataSchema,
  progressDataSchema,
  reasoningDataSchema,
  startDataSchema,
  tailEditSchema,
  usageSchema,
} from './event-schemas';
import {
  documentDeletedSchema,
  documentDetailSchema,
  documentListSchema,
  documentUploadSchema,
  sourcesDataSchema,
} from './document-schemas';
import {
  chatHealthSchema,
  chatResponseSchema,
  errorBodySchema,
  healthSchema,
  readinessSchema,
  startedAnswerSchema,
  stopResultSchema,
} from './response-schemas';
import {
  sessionDeletedSchema,
  sessionListSchema,
  sessionMessageSchema,
  sessionMessagesSchema,
  sessionSchema,
} from './session-response-schemas';

type JsonSchema = Record<string, unknown>;

const REF = (id: string) => `#/components/schemas/${id}`;

function frame<const E extends string>(event: E, data: z.ZodType) {
  return z
    .strictObject({
      event: z.literal(event).meta({ description: 'The `event:` line.' }),
      id: z.number().int().min(0).meta({ description: 'The `id:` line: 0, 1, 2, … in order; resume after it with Last-Event-ID.' }),
      data,
    })
    .meta({ description: `One \`event: ${event}\` frame.` });
}

/** Schemas emitted in components: `io: 'input'` for what clients send, `'output'` for what they get. */
function outputRegistry() {
  const registry = z.registry<{ id: string }>();
  const add = (id: string, schema: z.ZodType) => schema.register(registry, { id });
  add('ErrorBody', errorBodySchema);
  add('ChatResponse', chatResponseSchema);
  add('StartedAnswer', startedAnswerSchema);
  add('StopResult', stopResultSchema);
  add('CompareStopResult', compareStopResultSchema);
  add('VoteResult', voteResultSchema);
  add('CompareStats', compareStatsSchema);
  add('Health', healthSchema);
  add('Readiness', readinessSchema);
  add('ChatHealth', chatHealthSchema);
  add('Session', sessionSchema);
  add('SessionList', sessionListSchema);
  add('SessionMessage', sessionMessageSchema);
  add('SessionMessages', sessionMessagesSchema);
  add('SessionDeleted', sessionDeletedSchema);
  add('Usage', usageSchema);
  add('TailEdit', tailEditSchema);
  add('ProgressData', progressDataSchema);
  add('StartData', startDataSchema);
  add('ReasoningData', reasoningDataSchema);
  add('MessageData', messageDataSchema);
  add('CompleteData', completeDataSchema);
  add('ErrorData', errorDataSchema);
  add('SourcesData', sourcesDataSchema);
  add('DocumentUpload', documentUploadSchema);
  add('DocumentList', documentListSchema);
  add('DocumentDetail', documentDetailSchema);
  add('DocumentDeleted', documentDeletedSchema);
  const events = [
    add('ProgressEvent', frame('progress', progressDataSchema)),
    add('StartEvent', frame('start', startDataSchema)),
    add('ReasoningEvent', frame('reasoning', reasoningDataSchema)),
    add('SourcesEvent', frame('sources', sourcesDataSchema)),
    add('MessageEvent', frame('message', messageDataSchema)),
    add('CompleteEvent', frame('complete', completeDataSchema)),
    add('ErrorEvent', frame('error', errorDataSchema)),
  ];
  add(
    'ChatEventStream',
    z.array(z.union(events)).meta({
      description:
        'The `text/event-stream` body: one frame per item: `progress` stages (the only event that may precede `start`), `start`, ' +
        '`sources` right after `start` when asked with documents, then the model\'s `reasoning` and `message`s (with `progress` as the stage changes), then `complete` or `error`; ' +
        '`: ping` comments keep it open. Each frame is `event: <name>`, `id: <n>` and one `data:` line of JSON.',
    }),
  );
  addCompareEvents(add);
  return registry;
}

/** A compare frame: no `id:` line, as a compare cannot be resumed. */
function compareFrame<const E extends string>(event: E, data: z.ZodType, named = true) {
  return z
    .strictObject({ event: z.literal(event).meta({ description: named ? 'The `event:` line.' : 'No `event:` line: the SSE default, `message`.' }), data })
    .meta({ description: named ? `One \`event: ${event}\` frame.` : 'One unnamed data line.' });
}

function addCompareEvents(add: (id: string, schema: z.ZodType) => z.ZodType): void {
  add('SideSummary', sideSummarySchema);
  const frames = [
    add('CompareStartEvent', compareFrame('start', compareStartDataSchema)),
    add('SideStartEvent', compareFrame('side_start', sideStartDataSchema)),
    add('SideProgressEvent', compareFrame('side_progress', sideProgressDataSchema)),
    add('SideReasoningEvent', compareFrame('side_reasoning', sideReasoningDataSchema)),
    add('SideSourcesEvent', compareFrame('side_sources', sideSourcesDataSchema)),
    add('SideDeltaLine', compareFrame('message', sideDeltaSchema, false)),
    add('SideEndLine', compareFrame('message', sideEndSchema, false)),
    add('SideErrorLine', compareFrame('message', sideErrorSchema, false)),
    add('CompareCompleteEvent', compareFrame('complete', compareCompleteDataSchema)),
  ];
  add(
    'CompareEventStream',
    z.array(z.union(frames)).meta({
      description:
        'The compare\'s `text/event-stream` body: `start` first (with `compare_id`), then both sides interleaved as they arrive: ' +
        'each side\'s `side_start`, `side_progress`, `side_sources` (asked with documents: the same passages for both) and `side_reasoning`, and unnamed data lines `{"model": "A"|"B", "token", "done", …}` ' +
        'per delta and one per side end (its stats, or its error), then `complete` with both summaries; `: ping` comments keep it open.',
    }),
  );
}

function componentsOf(registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { io, uri: REF, unrepresentable: 'throw' });
  // Each component is a plain schema inside the document, not a document of its own.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}

/** `components.schemas` of the OpenAPI document, generated from the zod schemas. */
export function componentSchemas(maxMessageChars: number): Record<string, JsonSchema> {
  const input = z.registry<{ id: string }>();
  const chatRequest = chatRequestSchema(maxMessageChars);
  chatRequest.register(input, { id: 'ChatRequest' });
  // The page's form posts two of the same fields, checked by the same schema.
  chatRequest.pick({ message: true, model: true }).register(input, { id: 'ChatForm' });
  renameBodySchema.register(input, { id: 'RenameRequest' });
  regenerateBodySchema.register(input, { id: 'RegenerateRequest' });
  editBodySchema(maxMessageChars).register(input, { id: 'EditRequest' });
  chatRequest
    .pick({ message: true, session_id: true, documents: true, auto_load_documents: true })
    .extend(compareFieldsSchema.shape)
    .meta({ description: 'Two models, one question; `session_id` lends its history and takes no answers.' })
    .register(input, { id: 'CompareRequest' });
  voteRequestSchema.register(input, { id: 'VoteRequest' });
  return { ...componentsOf(input, 'input'), ...componentsOf(outputRegistry(), 'output') };
}
