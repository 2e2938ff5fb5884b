/**
 * The OpenTelemetry SDK of one thread (the main thread and every worker have their own). Only
 * `tracing.ts` imports this module, and only when tracing is on: with no endpoint set, no
 * OpenTelemetry code is loaded at all.
 */
import { hostname } from 'node:os';
import {
  type Attributes,
  type Context,
  DiagLogLevel,
  diag,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { SamplerName, TracingConfig } from './tracing-config.js';

/** The trace context headers of W3C Trace Context (`traceparent`, `tracestate`). */
export interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
}

/** A span's kind, as the few this service starts. */
export type Kind = 'server' | 'internal';

/** One thread's tracer, with the little of the OpenTelemetry API the rest of the code needs. */
export interface ThreadTracer {
  /** Starts a span under `parent`: a span, or a caller's trace context headers. */
  start(name: string, parent: Span | TraceHeaders, attributes?: Attributes, kind?: Kind): Span;
  /** Marks a span failed, with a short reason (a code, never data). */
  fail(span: Span, reason: string): void;
  /** The `traceparent` (and `tracestate`) that make a span the parent of spans in another thread. */
  headersOf(span: Span): TraceHeaders;
  /** Exports every span ended so far, within the export timeout. */
  flush(): Promise<void>;
  /** Flushes, then stops exporting. */
  shutdown(): Promise<void>;
}

/** Where the SDK's own warnings go (an export that failed, a full span queue). */
export type WarningSink = (message: string) => void;

const kinds: Record<Kind, SpanKind> = { server: SpanKind.SERVER, internal: SpanKind.INTERNAL };
const propagator = new W3CTraceContextPropagator();
const getter: TextMapGetter<TraceHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key as keyof TraceHeaders],
};
const setter: TextMapSetter<TraceHeaders> = {
  set: (carrier, key, value) => {
    carrier[key as keyof TraceHeaders] = value;
  },
};

let warningsTo: WarningSink | undefined;

export async function createThreadTracer(config: TracingConfig, onWarning: WarningSink): Promise<ThreadTracer> {
  // The SDK reports failed exports only through its diagnostics logger, which is global to the thread.
  if (!warningsTo) diag.setLogger(diagnostics, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  warningsTo = onWarning;
  const provider = new TracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({
        'host.name': hostname(),
        ...config.resourceAttributes,
        'service.name': config.serviceName,
      }),
    ),
    sampler: sampler(config.sampler, config.samplerRatio),
    spanProcessors: [
      new BatchSpanProcessor({ exporter: await exporter(config), exportTimeoutMillis: config.timeoutMs }),
    ],
  });
  const tracer = provider.getTracer('clients-query-service');

  return {
    start(name, parent, attributes, kind = 'internal') {
      const context: Context =
        'spanContext' in parent
          ? trace.setSpan(ROOT_CONTEXT, parent as Span)
          : propagator.extract(ROOT_CONTEXT, parent, getter);
      return tracer.startSpan(name, { kind: kinds[kind], attributes }, context);
    },
    fail(span, reason) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
    },
    headersOf(span) {
      const headers: TraceHeaders = {};
      propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, setter);
      return headers;
    },
    flush: () => provider.forceFlush({ timeoutMillis: config.timeoutMs }),
    shutdown: () => provider.shutdown(),
  };
}

async function exporter(config: TracingConfig): Promise<SpanExporter> {
  const options = { url: config.url, headers: { ...config.headers }, timeoutMillis: config.timeoutMs };
  // Only the encoding asked for is loaded.
  if (config.protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter(options);
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter(options);
}

function sampler(name: SamplerName, ratio: number): Sampler {
  const root = {
    always_on: new AlwaysOnSampler(),
    always_off: new AlwaysOffSampler(),
    traceidratio: new TraceIdRatioBasedSampler(ratio),
  };
  if (name === 'parentbased_always_on') return new ParentBasedSampler({ root: root.always_on });
  if (name === 'parentbased_always_off') return new ParentBasedSampler({ root: root.always_off });
  if (name === 'parentbased_traceidratio') return new ParentBasedSampler({ root: root.traceidratio });
  return root[name];
}

const report = (message: string, args: unknown[]) =>
  warningsTo?.([message, ...args.map((arg) => (arg instanceof Error ? arg.message : String(arg)))].join(' '));

const diagnostics = {
  error: (message: string, ...args: unknown[]) => report(message, args),
  warn: (message: string, ...args: unknown[]) => report(message, args),
  info: () => {},
  debug: () => {},
  verbose: () => {},
};
