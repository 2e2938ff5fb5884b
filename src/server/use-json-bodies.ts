import type { Plugin } from 'graphql-yoga';
import { unsupportedMediaType } from '../errors.js';

/**
 * Takes POST bodies only as `application/json` (GET stays for queries): form-urlencoded,
 * multipart and text/plain bodies are what a browser sends across sites without a CORS
 * preflight, so accepting them would let any web page make its visitors' browsers query us.
 * Anything else gets 415 before the body is read.
 */
export function useJsonBodies(): Plugin {
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST') return;
      const given = request.headers.get('content-type');
      const mediaType = given?.split(';', 1)[0]?.trim().toLowerCase();
      if (mediaType === 'application/json') return;
      throw unsupportedMediaType(
        `POST bodies must be JSON: send "Content-Type: application/json" (got ${given ? `"${given.slice(0, 100)}"` : 'none'}).`,
      );
    },
  };
}
