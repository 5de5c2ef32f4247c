// `npm run k8s:check`: renders every kustomization of deploy/k8s/overlays with `kubectl kustomize`
// (KUSTOMIZE="kustomize build" to use the kustomize binary instead) and checks what comes out.
//
//   1. Schema: every object is validated against the Kubernetes API's JSON schemas with
//      kubernetes-models (the OpenAPI definitions of Kubernetes, compiled to validators, from the npm
//      registry), and the ServiceMonitor / PrometheusRule against the Prometheus Operator's CRD
//      schemas (@kubernetes-models/prometheus-operator). A kind with no schema fails the check.
//      (Like kubeconform without -strict: a field the schema does not name is not reported.)
//   2. Consistency the schemas cannot see: Service and PDB selectors match a workload's pods; probes,
//      Services and NetworkPolicies name container ports that exist; every ConfigMap, Secret and
//      PersistentVolumeClaim a pod uses is rendered or in the overlay's secret.template.yaml; every
//      container has requests and limits; every app has readiness /health/ready and liveness
//      /health/live, a PodDisruptionBudget and a NetworkPolicy of its own; every Ingress backend is a
//      rendered Service port; the public Ingress never routes /metrics, /docs, /health or /admin.
//
// Nothing is downloaded: the schemas are in node_modules. Exit 1 with every problem listed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const overlaysDir = join(root, 'deploy/k8s/overlays');

/** Every directory under overlays/ holding a kustomization.yaml (overlays and their migrate/ Jobs). */
function kustomizations(dir) {
  const out = existsSync(join(dir, 'kustomization.yaml')) ? [dir] : [];
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) out.push(...kustomizations(join(dir, e.name)));
  return out;
}

function render(dir) {
  const [cmd, ...args] = (process.env.KUSTOMIZE ?? 'kubectl kustomize').split(/\s+/);
  try {
    return execFileSync(cmd, [...args, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error(`${cmd} not found: install kubectl (scripts/ensure-kubectl.sh) or set KUSTOMIZE`);
    throw new Error(`${cmd} ${args.join(' ')} ${relative(root, dir)} failed:\n${e.stderr || e.message}`);
  }
}

function parseDocs(text, where) {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(`${where}: ${d.errors[0].message}`);
      return d.toJS();
    })
    .filter((o) => o && typeof o === 'object');
}

/** The kubernetes-models module of an apiVersion: v1 → kubernetes-models/v1, apps/v1 → kubernetes-models/apps/v1. */
async function modelFor(apiVersion, kind) {
  const mod = apiVersion.startsWith('monitoring.coreos.com/')
    ? `@kubernetes-models/prometheus-operator/${apiVersion}`
    : `kubernetes-models/${apiVersion}`;
  try {
    const m = await import(mod);
    return m[kind];
  } catch {
    return undefined;
  }
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'Job']);

function matches(selector, labels) {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

function checkConsistency(objs, secretNames, name, problems) {
  const say = (o, msg) => problems.push(`${name}: ${o.kind}/${o.metadata?.name}: ${msg}`);
  const byKind = (k) => objs.filter((o) => o.kind === k);
  const configMaps = new Set(byKind('ConfigMap').map((o) => o.metadata.name));
  const pvcs = new Set(byKind('PersistentVolumeClaim').map((o) => o.metadata.name));
  const workloads = objs.filter((o) => WORKLOADS.has(o.kind));
  const pods = workloads.map((w) => ({ w, spec: w.spec.template.spec, labels: w.spec.template.metadata?.labels ?? {} }));
  const portsOf = (p) => new Set(p.spec.containers.flatMap((c) => (c.ports ?? []).flatMap((x) => [x.name, x.containerPort])));

  for (const { w, spec } of pods) {
    const sel = w.spec.selector?.matchLabels;
    if (w.kind !== 'Job' && !matches(sel, w.spec.template.metadata?.labels)) say(w, 'selector does not match its pod labels');
    const ports = new Set(spec.containers.flatMap((c) => (c.ports ?? []).flatMap((x) => [x.name, x.containerPort])));
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      const r = c.resources ?? {};
      if (!r.requests?.cpu || !r.requests?.memory || !r.limits?.cpu || !r.limits?.memory) say(w, `container ${c.name} lacks requests or limits`);
      for (const e of c.envFrom ?? []) {
        if (e.configMapRef && !configMaps.has(e.configMapRef.name)) say(w, `ConfigMap ${e.configMapRef.name} is not rendered`);
        if (e.secretRef && !secretNames.has(e.secretRef.name)) say(w, `Secret ${e.secretRef.name} is in no secret.template.yaml`);
      }
      for (const e of c.env ?? []) {
        const s = e.valueFrom?.secretKeyRef;
        if (s && !s.optional && !secretNames.has(`${s.name}/${s.key}`)) say(w, `Secret key ${s.name}/${s.key} is in no secret.template.yaml`);
      }
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        const port = c[probe]?.httpGet?.port;
        if (port !== undefined && !ports.has(port)) say(w, `${probe} names port ${port}, which the container does not have`);
      }
      if (c.image === 'jiesu' || c.image === 'nats') say(w, `image ${c.image} was not set by deploy/k8s/images`);
    }
    for (const v of spec.volumes ?? []) {
      if (v.configMap && !configMaps.has(v.configMap.name)) say(w, `volume ConfigMap ${v.configMap.name} is not rendered`);
      if (v.persistentVolumeClaim && !pvcs.has(v.persistentVolumeClaim.claimName)) say(w, `PVC ${v.persistentVolumeClaim.claimName} is not rendered`);
    }
  }

  // The apps: the containers running the image with APP set.
  for (const { w, spec, labels } of pods.filter((p) => p.w.kind === 'Deployment' && p.spec.containers.some((c) => c.env?.some((e) => e.name === 'APP')))) {
    const c = spec.containers[0];
    if (c.readinessProbe?.httpGet?.path !== '/health/ready') say(w, 'readiness probe is not /health/ready');
    if (c.livenessProbe?.httpGet?.path !== '/health/live') say(w, 'liveness probe is not /health/live');
    if (!byKind('PodDisruptionBudget').some((b) => matches(b.spec.selector?.matchLabels, labels))) say(w, 'no PodDisruptionBudget');
    if (!byKind('NetworkPolicy').some((n) => Object.keys(n.spec.podSelector?.matchLabels ?? {}).length && matches(n.spec.podSelector.matchLabels, labels)))
      say(w, 'no NetworkPolicy of its own');
    if (!byKind('Service').some((s) => s.metadata.labels?.['jiesu.io/metrics'] === 'true' && matches(s.spec.selector, labels)))
      say(w, 'no Service labelled jiesu.io/metrics=true (the ServiceMonitor would not scrape it)');
  }

  for (const s of byKind('Service')) {
    const targets = pods.filter((p) => matches(s.spec.selector, p.labels));
    if (!targets.length) say(s, 'selects no pod');
    for (const port of s.spec.ports ?? []) {
      const t = port.targetPort ?? port.port;
      if (targets.length && !targets.some((p) => portsOf(p).has(t))) say(s, `targetPort ${t} is no container port of its pods`);
    }
  }
  for (const b of byKind('PodDisruptionBudget')) if (!pods.some((p) => matches(b.spec.selector?.matchLabels, p.labels))) say(b, 'selects no pod');
  for (const n of byKind('NetworkPolicy')) {
    const sel = n.spec.podSelector?.matchLabels ?? {};
    const selected = pods.filter((p) => matches(sel, p.labels));
    if (Object.keys(sel).length && !selected.length) say(n, 'selects no pod');
    for (const rule of n.spec.ingress ?? [])
      for (const port of rule.ports ?? [])
        if (typeof port.port === 'string' && !selected.every((p) => portsOf(p).has(port.port))) say(n, `ingress port ${port.port} is not a named port of every pod it selects`);
  }

  const services = new Map(byKind('Service').map((s) => [s.metadata.name, s]));
  for (const ing of byKind('Ingress')) {
    for (const rule of ing.spec.rules ?? [])
      for (const path of rule.http?.paths ?? []) {
        const b = path.backend.service;
        const svc = services.get(b.name);
        if (!svc) say(ing, `backend Service ${b.name} is not rendered`);
        else if (!svc.spec.ports.some((p) => p.name === b.port.name || p.port === b.port.number)) say(ing, `Service ${b.name} has no port ${b.port.name ?? b.port.number}`);
        if (ing.metadata.name.includes('public') && /^\/(metrics|docs|health|admin)(\/|-|$)|^\/$/.test(path.path))
          say(ing, `public path ${path.path} must never be routed`);
      }
  }
}

/** Secret names and name/key pairs from an overlay's secret.template.yaml (the Secrets are applied by hand). */
function templateSecrets(dir) {
  const names = new Set();
  for (let d = dir; d.startsWith(overlaysDir); d = dirname(d)) {
    const f = join(d, 'secret.template.yaml');
    if (!existsSync(f)) continue;
    for (const s of parseDocs(readFileSync(f, 'utf8'), f).filter((o) => o.kind === 'Secret')) {
      names.add(s.metadata.name);
      for (const k of Object.keys({ ...s.stringData, ...s.data })) names.add(`${s.metadata.name}/${k}`);
    }
    break;
  }
  return names;
}

/**
 * PromQL syntax of the alert rules and of every dashboard query, with Prometheus's own promtool when
 * it is installed (Debian: apt-get install prometheus); skipped with a note otherwise. Which metrics
 * the expressions name is checked against the running services by test/e2e/monitoring.e2e-spec.ts.
 */
function checkPromql(problems) {
  const monitoring = join(root, 'deploy/monitoring');
  const queries = readdirSync(join(monitoring, 'dashboards'))
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => JSON.parse(readFileSync(join(monitoring, 'dashboards', f), 'utf8')).panels.flatMap((p) => p.targets ?? []))
    .map((t, i) => ({ record: `jiesu:dashboard_query:${i}`, expr: t.expr.replaceAll('$job', '.*') }));
  const dir = mkdtempSync(join(tmpdir(), 'jiesu-promql-'));
  try {
    const dash = join(dir, 'dashboards.yml');
    writeFileSync(dash, stringify({ groups: [{ name: 'dashboards', rules: queries }] }));
    execFileSync('promtool', ['check', 'rules', join(monitoring, 'prometheus/rules.yml'), dash], { stdio: 'pipe' });
    console.log(`k8s: promtool: alert rules and ${queries.length} dashboard queries parse`);
  } catch (e) {
    if (e.code === 'ENOENT') console.log('k8s: promtool not installed: PromQL syntax not checked (apt-get install prometheus)');
    else problems.push(`promtool check rules:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const problems = [];
  let total = 0;
  const dirs = kustomizations(overlaysDir);
  for (const dir of dirs) {
    const name = relative(join(root, 'deploy/k8s'), dir);
    const objs = parseDocs(render(dir), name);
    const secrets = templateSecrets(dir);
    for (const o of objs) {
      total++;
      const Model = await modelFor(o.apiVersion, o.kind);
      if (!Model) {
        problems.push(`${name}: ${o.apiVersion} ${o.kind}/${o.metadata?.name}: no schema for this kind`);
        continue;
      }
      try {
        new Model(o).validate();
      } catch (e) {
        problems.push(`${name}: ${o.kind}/${o.metadata?.name}: ${e.message}`);
      }
    }
    // Secret templates are applied by hand: validate them too.
    for (const f of ['secret.template.yaml'].map((x) => join(dir, x)).filter(existsSync))
      for (const s of parseDocs(readFileSync(f, 'utf8'), f)) {
        total++;
        const Model = await modelFor(s.apiVersion, s.kind);
        try {
          new Model(s).validate();
        } catch (e) {
          problems.push(`${relative(root, f)}: ${s.kind}/${s.metadata?.name}: ${e.message}`);
        }
      }
    checkConsistency(objs, secrets, name, problems);
    console.log(`k8s: ${name}: ${objs.length} objects rendered`);
  }
  checkPromql(problems);
  if (problems.length) {
    console.error(`k8s: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`k8s: ${dirs.length} kustomizations, ${total} objects valid against the Kubernetes and Prometheus Operator schemas`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
