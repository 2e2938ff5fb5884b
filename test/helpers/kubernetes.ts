import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

// biome-ignore lint/suspicious/noExplicitAny: manifests are read by path, as kubectl does
export type Manifest = any;

const base = new URL('../../../deploy/kubernetes/', import.meta.url);

/** Every resource of the kustomize base in deploy/kubernetes, as plain objects. */
export function loadKubernetesBase(): Manifest[] {
  const kustomization = parseAllDocuments(readFileSync(new URL('kustomization.yaml', base), 'utf8'))[0]?.toJS();
  return kustomization.resources.flatMap((file: string) =>
    parseAllDocuments(readFileSync(new URL(file, base), 'utf8')).map((document) => document.toJS()),
  );
}

/** The environment variable names the base sets: the ConfigMap's keys and the containers' `env`. */
export function environmentNamesSet(manifests: Manifest[]): string[] {
  return manifests.flatMap((manifest) => {
    if (manifest.kind === 'ConfigMap') return Object.keys(manifest.data ?? {});
    const containers = manifest.spec?.template?.spec?.containers ?? [];
    return containers.flatMap((container: Manifest) => (container.env ?? []).map((entry: Manifest) => entry.name));
  });
}
