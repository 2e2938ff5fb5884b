import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';

const tracing = (env: Record<string, string>) => loadConfig(env).tracing;

test('tracing is off unless an OTLP endpoint is set, and OTEL_SDK_DISABLED=true turns it off again', () => {
  assert.equal(tracing({}), undefined);
  assert.equal(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }), undefined);
  assert.equal(tracing({ OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }), undefined);
  assert.equal(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'TRUE' }), undefined);
  assert.ok(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'false' }));
  assert.ok(tracing({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }));
});

test('the defaults of the OpenTelemetry specification, and this service as service.name', () => {
  assert.deepEqual(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), {
    url: 'http://collector:4318/v1/traces',
    protocol: 'http/protobuf',
    headers: {},
    timeoutMs: 10_000,
    serviceName: 'clients-query-service',
    resourceAttributes: {},
    sampler: 'parentbased_always_on',
    samplerRatio: 1,
  });
});

test('endpoints: the base gets v1/traces appended (after its own path), the traces endpoint is used as given', () => {
  const url = (env: Record<string, string>) => tracing(env)?.url;
  assert.equal(url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c:4318/' }), 'https://c:4318/v1/traces');
  assert.equal(url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c/otlp' }), 'http://c/otlp/v1/traces');
  assert.equal(url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c/otlp/' }), 'http://c/otlp/v1/traces');
  assert.equal(
    url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:9/spans' }),
    'http://t:9/spans',
  );
});

test('the traces-specific variables win; headers of both are merged, percent-decoded', () => {
  const config = tracing({
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_TIMEOUT: '5000',
    OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '2000',
    OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=a, authorization=Basic%20abc%3D',
    OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=b',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.name=ignored',
    OTEL_SERVICE_NAME: 'clients',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.25',
  });
  assert.equal(config?.protocol, 'http/json');
  assert.equal(config?.timeoutMs, 2000);
  assert.deepEqual(config?.headers, { 'x-tenant': 'b', authorization: 'Basic abc=' });
  assert.equal(config?.serviceName, 'clients', 'OTEL_SERVICE_NAME goes before the resource attribute');
  assert.equal(config?.resourceAttributes['deployment.environment.name'], 'prod');
  assert.deepEqual([config?.sampler, config?.samplerRatio], ['parentbased_traceidratio', 0.25]);
  assert.equal(
    tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_RESOURCE_ATTRIBUTES: 'service.name=s' })?.serviceName,
    's',
  );
});

test('invalid tracing settings stop the start with the variable named, and never echo a header value', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
  assert.throws(
    () => tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }),
    /OTEL_EXPORTER_OTLP_ENDPOINT must be an http/,
  );
  assert.throws(
    () => tracing({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'nope' }),
    /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be/,
  );
  assert.throws(() => tracing({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), /grpc is not supported/);
  assert.throws(() => tracing({ ...endpoint, OTEL_EXPORTER_OTLP_TIMEOUT: '0' }), /OTEL_EXPORTER_OTLP_TIMEOUT must be/);
  assert.throws(
    () => tracing({ ...endpoint, OTEL_TRACES_SAMPLER: 'jaeger_remote' }),
    /OTEL_TRACES_SAMPLER must be one of/,
  );
  assert.throws(() => tracing({ ...endpoint, OTEL_TRACES_SAMPLER_ARG: '2' }), /OTEL_TRACES_SAMPLER_ARG must be/);
  assert.throws(() => tracing({ ...endpoint, OTEL_SDK_DISABLED: 'yes' }), /OTEL_SDK_DISABLED must be/);
  assert.throws(
    () => tracing({ ...endpoint, OTEL_EXPORTER_OTLP_HEADERS: 'api-key=ok,secret-token-without-equals' }),
    (error: Error) => /OTEL_EXPORTER_OTLP_HEADERS .* entry 2/.test(error.message) && !error.message.includes('secret'),
  );
  // Checked even while tracing is off: a typo is found before the endpoint is added.
  assert.throws(() => tracing({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http' }), /OTEL_EXPORTER_OTLP_PROTOCOL must be/);
});
