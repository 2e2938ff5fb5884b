/** The media types of yoga's result processors (server-sent events, multipart, regular), in the order it tries them. */
const processors = [
  ['text/event-stream'],
  ['multipart/mixed'],
  ['application/graphql-response+json', 'application/json'],
] as const;

export type ResponseMediaType = (typeof processors)[number][number];

/**
 * The media type yoga's result processors pick for an `Accept` header (graphql-yoga's
 * plugins/result-processor/accept.js and use-result-processor.js, which it does not export):
 * entries with a charset other than utf-8 are skipped, and the last match wins while the header
 * is read backwards, so the first acceptable entry decides and, among processors, the later
 * one. Undefined: nothing acceptable (yoga answers 406).
 */
export function responseMediaType(accept: string | null): ResponseMediaType | undefined {
  const asked: string[] = [];
  for (const entry of (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',')) {
    const [mediaType = '', ...parameters] = entry.split(';');
    const charset = parameters.find((parameter) => parameter.includes('charset=')) ?? 'charset=utf-8';
    if (charset === 'charset=utf-8') asked.push(mediaType);
  }
  asked.reverse();
  let chosen: ResponseMediaType | undefined;
  for (const offered of processors) {
    for (const mediaType of asked) {
      for (const candidate of offered) if (matches(candidate, mediaType)) chosen = candidate;
    }
  }
  return chosen;
}

function matches(offered: string, asked: string): boolean {
  const [offeredType, offeredSubtype] = offered.split('/');
  const [type, subtype] = asked.split('/');
  return (type === '*' || type === offeredType) && (subtype === '*' || subtype === offeredSubtype);
}

/** True for the media types whose framing is written around the body on the main thread. */
export const isFramed = (mediaType: ResponseMediaType) =>
  mediaType === 'text/event-stream' || mediaType === 'multipart/mixed';
