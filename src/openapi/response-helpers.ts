type Json = Record<string, unknown>;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** A JSON response whose body is the component `schemaId`. */
export function jsonResponse(description: string, schemaId: string): Json {
  return { description, content: { 'application/json': { schema: ref(schemaId) } } };
}

/** An error response: the one error shape, with the codes this status can carry here. */
export function errorResponse(codes: readonly string[], when: string): Json {
  return {
    description: `${when} \`code\`: ${codes.map((c) => `\`${c}\``).join(', ')}.`,
    content: {
      'application/json': {
        schema: { allOf: [ref('ErrorBody'), { properties: { code: { enum: [...codes] } } }] },
      },
    },
  };
}

/** Several error responses by status: `{ 400: [codes, when], … }`. */
export function errorResponses(byStatus: Record<number, readonly [readonly string[], string]>): Json {
  return Object.fromEntries(Object.entries(byStatus).map(([status, [codes, when]]) => [status, errorResponse(codes, when)]));
}

/** A JSON event stream whose frames are the chat events. */
export function eventStreamResponse(description: string): Json {
  return { description, content: { 'text/event-stream': { schema: ref('ChatEventStream') } } };
}

/** A file or page that is not JSON. */
export function bodyResponse(description: string, mediaType: string): Json {
  return { description, content: { [mediaType]: { schema: { type: 'string' } } } };
}

export const jsonRequestBody = (schemaId: string): Json => ({
  required: true,
  content: { 'application/json': { schema: ref(schemaId) } },
});
