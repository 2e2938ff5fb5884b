/** The samplers of the OpenTelemetry specification that need nothing beyond the SDK (`OTEL_TRACES_SAMPLER`). */
export const samplerNames = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

export type SamplerName = (typeof samplerNames)[number];

/** The OTLP/HTTP encodings the service can export with (`OTEL_EXPORTER_OTLP_PROTOCOL`). */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/**
 * How spans are exported, from the standard OpenTelemetry variables. Absent from the
 * configuration when tracing is off: no endpoint set, or `OTEL_SDK_DISABLED=true`.
 */
export interface TracingConfig {
  /**
   * Where spans are POSTed: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as given, or
   * `OTEL_EXPORTER_OTLP_ENDPOINT` with `v1/traces` appended. Example: `http://otel-collector:4318`.
   */
  readonly url: string;
  /** `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` or `OTEL_EXPORTER_OTLP_PROTOCOL`, default `http/protobuf`. */
  readonly protocol: OtlpProtocol;
  /**
   * `OTEL_EXPORTER_OTLP_HEADERS`, then `OTEL_EXPORTER_OTLP_TRACES_HEADERS` over it: `key=value`
   * pairs, comma separated, values percent-decoded (often a secret: never logged).
   */
  readonly headers: Readonly<Record<string, string>>;
  /** `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT` or `OTEL_EXPORTER_OTLP_TIMEOUT`, default 10000: one export's limit, and the flush's at shutdown. */
  readonly timeoutMs: number;
  /** `OTEL_SERVICE_NAME`, else `service.name` of `OTEL_RESOURCE_ATTRIBUTES`, default `clients-query-service`. */
  readonly serviceName: string;
  /** `OTEL_RESOURCE_ATTRIBUTES`: `key=value` pairs added to every span's resource (e.g. `deployment.environment.name=prod`). */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** `OTEL_TRACES_SAMPLER`, default `parentbased_always_on`: a caller's sampling decision is followed. */
  readonly sampler: SamplerName;
  /** `OTEL_TRACES_SAMPLER_ARG`, default 1: the share of traces kept by the `traceidratio` samplers. */
  readonly samplerRatio: number;
}

type Env = Record<string, string | undefined>;

const defaultServiceName = 'clients-query-service';
const tracesPath = 'v1/traces';

/** Reads the tracing settings; undefined when tracing is off. Throws, naming the variable, on an invalid value. */
export function readTracingConfig(env: Env): TracingConfig | undefined {
  // Every supported variable is read (and so checked) even when tracing is off.
  const disabled = flag(env, 'OTEL_SDK_DISABLED');
  const url = tracesUrl(env);
  const resourceAttributes = pairs(env, 'OTEL_RESOURCE_ATTRIBUTES');
  const config: TracingConfig = {
    url: url ?? '',
    protocol: protocol(env),
    headers: {
      ...pairs(env, 'OTEL_EXPORTER_OTLP_HEADERS'),
      ...pairs(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'),
    },
    timeoutMs:
      milliseconds(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT') ??
      milliseconds(env, 'OTEL_EXPORTER_OTLP_TIMEOUT') ??
      10_000,
    serviceName: env.OTEL_SERVICE_NAME || resourceAttributes['service.name'] || defaultServiceName,
    resourceAttributes,
    sampler: sampler(env),
    samplerRatio: ratio(env),
  };
  return url === undefined || disabled ? undefined : Object.freeze(config);
}

function tracesUrl(env: Env): string | undefined {
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (specific) return httpUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', specific).href;
  if (!base) return undefined;
  const parsed = httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base);
  return new URL(parsed.pathname.endsWith('/') ? tracesPath : `${parsed.pathname}/${tracesPath}`, parsed).href;
}

function httpUrl(name: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be an http:// or https:// URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${name} must be an http:// or https:// URL (OTLP over HTTP), got "${raw}"`);
  }
  return url;
}

function protocol(env: Env): OtlpProtocol {
  const name = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const raw = env[name];
  if (!raw || raw === 'http/protobuf') return 'http/protobuf';
  if (raw === 'http/json') return raw;
  throw new Error(`${name} must be "http/protobuf" or "http/json" (grpc is not supported), got "${raw}"`);
}

/**
 * `key=value,key2=value2` (the W3C baggage format the specification uses), values percent-decoded.
 * An error names the variable and the entry's position, never its text: headers hold credentials.
 */
function pairs(env: Env, name: string): Record<string, string> {
  const result: Record<string, string> = {};
  const raw = env[name];
  if (!raw) return result;
  raw.split(',').forEach((entry, index) => {
    if (entry.trim() === '') return;
    const equals = entry.indexOf('=');
    const key = entry.slice(0, Math.max(equals, 0)).trim();
    let value: string | undefined;
    try {
      value = decodeURIComponent(entry.slice(equals + 1).trim());
    } catch {
      value = undefined;
    }
    if (equals <= 0 || key === '' || value === undefined) {
      throw new Error(`${name} must be key=value pairs separated by commas; entry ${index + 1} is not`);
    }
    result[key] = value;
  });
  return result;
}

function milliseconds(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be an integer >= 1, got "${raw}"`);
  return value;
}

function flag(env: Env, name: string): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new Error(`${name} must be "true" or "false", got "${env[name]}"`);
}

function sampler(env: Env): SamplerName {
  const raw = env.OTEL_TRACES_SAMPLER;
  if (raw === undefined || raw === '') return 'parentbased_always_on';
  if ((samplerNames as readonly string[]).includes(raw)) return raw as SamplerName;
  throw new Error(`OTEL_TRACES_SAMPLER must be one of ${samplerNames.join(', ')}; got "${raw}"`);
}

function ratio(env: Env): number {
  const raw = env.OTEL_TRACES_SAMPLER_ARG;
  if (raw === undefined || raw === '') return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new Error(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got "${raw}"`);
  }
  return value;
}
