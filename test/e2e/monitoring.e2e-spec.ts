/**
 * The committed dashboards and alert rules (deploy/monitoring) against the running services: every
 * metric a Grafana panel or an alert expression names is on /metrics of one of the five services,
 * each alert has its runbook entry in docs/operations.md, the compose Prometheus's rules equal the
 * PrometheusRule, and the operator's series carry what they claim (HTTP route patterns, the outbox,
 * durable consumers' state, the SLA clocks).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bootPlatform, consumersSettled, Platform, ServiceName, submitTicket } from './platform';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const MONITORING = join(ROOT, 'deploy', 'monitoring');
const SERVICES: ServiceName[] = ['intake', 'dispatch', 'sla', 'callback', 'analytics'];
/** Series Prometheus makes itself, not a service. */
const PROMETHEUS_OWN = new Set(['up']);

interface Rule {
  alert: string;
  expr: string;
  annotations: { runbook_url: string };
}
interface RuleGroups {
  groups: { name: string; rules: Rule[] }[];
}
interface Panel {
  title: string;
  targets?: { expr: string }[];
}

const promRule = parse(readFileSync(join(MONITORING, 'prometheus-rule.yaml'), 'utf8')) as { spec: RuleGroups };
const alerts = promRule.spec.groups.flatMap((g) => g.rules);
const dashboards = readdirSync(join(MONITORING, 'dashboards')).map((f) => ({
  file: f,
  json: JSON.parse(readFileSync(join(MONITORING, 'dashboards', f), 'utf8')) as { panels: Panel[] },
}));

/** Metric names in a PromQL expression: the series Jiesu and prom-client's defaults export, and `up`. */
function metricNames(expr: string): string[] {
  const names =
    expr.replace(/"[^"]*"/g, '""').match(/\b(jiesu_[a-z0-9_]+|nodejs_[a-z0-9_]+|process_[a-z0-9_]+|up)\b(?=\s*[{[)\s]|$)/g) ?? [];
  return [...new Set(names)];
}

/** `# TYPE name kind` lines of every service: the metric families it exposes. */
function families(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1], m[2]);
  return out;
}

/** A histogram's series: name_bucket / _sum / _count belong to the family `name`. */
function exposed(name: string, all: Map<string, string>): boolean {
  if (all.has(name)) return true;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && ['histogram', 'summary'].includes(all.get(base) ?? '');
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      m[1]
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

let p: Platform;
const scraped = new Map<ServiceName, string>();

async function scrape(s: ServiceName): Promise<string> {
  const res = await p.http(s).get('/metrics').expect(200);
  scraped.set(s, res.text);
  return res.text;
}

beforeAll(async () => {
  p = await bootPlatform();
  // Traffic first, so the per-route and per-durable series have values.
  await p.http('intake').get('/categories').expect(200);
  const t = await submitTicket(p);
  await p.as('operator', 'intake').get(`/tickets/${t.id}`).expect(200);
  await p.http('intake').get('/no-such-route').expect(404);
  await consumersSettled(p, 'dispatch');
  for (const s of SERVICES) await scrape(s);
});

afterAll(async () => {
  await p?.close();
});

describe('dashboards and alerts name only metrics the services expose', () => {
  it('finds panels and alerts to check', () => {
    expect(dashboards.length).toBeGreaterThanOrEqual(2);
    expect(alerts.length).toBeGreaterThanOrEqual(10);
  });

  it('every metric in a dashboard panel is on /metrics of a running service', () => {
    const all = new Map([...scraped.values()].flatMap((t) => [...families(t)]));
    const missing: string[] = [];
    let checked = 0;
    for (const d of dashboards)
      for (const panel of d.json.panels)
        for (const t of panel.targets ?? [])
          for (const name of metricNames(t.expr)) {
            checked++;
            if (!PROMETHEUS_OWN.has(name) && !exposed(name, all)) missing.push(`${d.file} "${panel.title}": ${name}`);
          }
    expect(checked).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('every metric in an alert expression is on /metrics of a running service', () => {
    const all = new Map([...scraped.values()].flatMap((t) => [...families(t)]));
    const missing = alerts.flatMap((a) =>
      metricNames(a.expr)
        .filter((n) => !PROMETHEUS_OWN.has(n) && !exposed(n, all))
        .map((n) => `${a.alert}: ${n}`),
    );
    expect(missing).toEqual([]);
  });

  it('the metric-name check itself fails on a name no service has', () => {
    const all = new Map([...scraped.values()].flatMap((t) => [...families(t)]));
    expect(metricNames('rate(jiesu_no_such_thing_total{job="x"}[5m])')).toEqual(['jiesu_no_such_thing_total']);
    expect(exposed('jiesu_no_such_thing_total', all)).toBe(false);
    expect(exposed('jiesu_http_request_duration_seconds_bucket', all)).toBe(true);
  });

  it('each alert has a runbook entry in docs/operations.md, and the compose rules equal the PrometheusRule', () => {
    const docs = anchors(readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8'));
    const noRunbook = alerts.filter((a) => {
      const [file, anchor] = a.annotations.runbook_url.split('#');
      return file !== 'docs/operations.md' || !docs.has(anchor);
    });
    expect(noRunbook.map((a) => a.alert)).toEqual([]);
    const compose = parse(readFileSync(join(MONITORING, 'prometheus', 'rules.yml'), 'utf8')) as RuleGroups;
    expect(compose.groups).toEqual(promRule.spec.groups);
  });
});

describe("docker compose's monitoring profile", () => {
  interface ComposeService {
    profiles?: string[];
    volumes?: string[];
    environment?: Record<string, string>;
  }
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };

  it('mounts committed files only, and Prometheus scrapes every app compose runs', () => {
    const monitoring = Object.entries(compose.services).filter(([, s]) => s.profiles?.includes('monitoring'));
    expect(monitoring.map(([n]) => n).sort()).toEqual(['grafana', 'prometheus']);
    for (const [, s] of monitoring)
      for (const v of s.volumes ?? []) {
        const host = v.split(':')[0];
        if (host.startsWith('./')) expect(existsSync(join(ROOT, host))).toBe(true);
      }
    const apps = Object.entries(compose.services)
      .filter(([, s]) => s.environment?.PORT)
      .map(([n, s]) => `${n}:${s.environment!.PORT}`)
      .sort();
    const prom = parse(readFileSync(join(MONITORING, 'prometheus', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const targets = prom.scrape_configs.flatMap((c) => c.static_configs.flatMap((x) => x.targets)).sort();
    expect(targets).toEqual(apps);
    expect(apps).toHaveLength(7);
    expect(prom.scrape_configs.every((c) => c.static_configs[0].targets[0].startsWith(`${c.job_name}:`))).toBe(true);
  });
});

describe('the series an operator reads', () => {
  it('times HTTP requests by route pattern, never by raw path', () => {
    const intake = scraped.get('intake')!;
    expect(intake).toMatch(/jiesu_http_request_duration_seconds_count\{method="GET",route="\/categories",status="200"\} [1-9]/);
    expect(intake).toMatch(/jiesu_http_request_duration_seconds_count\{method="GET",route="\/tickets\/:id",status="200"\} 1/);
    expect(intake).toMatch(/jiesu_http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} 1/);
    expect(intake).not.toMatch(/route="\/tickets\/[0-9a-f-]{36}"/);
  });

  it('shows the outbox, open dead letters and every durable consumer of a service', () => {
    for (const s of SERVICES) {
      const text = scraped.get(s)!;
      expect(text).toMatch(/^jiesu_outbox_pending \d+$/m);
      expect(text).toMatch(/^jiesu_outbox_oldest_pending_age_seconds [\d.]+$/m);
      expect(text).toContain('# TYPE jiesu_dead_letters_open gauge');
    }
    expect(scraped.get('dispatch')!).toMatch(/^jiesu_bus_consumer_pending\{consumer="dispatch__ticket_accepted_v1"\} \d+$/m);
    expect(scraped.get('dispatch')!).toMatch(/^jiesu_bus_consumer_redelivered\{consumer="dispatch__ticket_accepted_v1"\} \d+$/m);
  });

  it("shows sla's clocks and calendar and callback's queue", async () => {
    const sla = await scrape('sla');
    expect(sla).toMatch(/^jiesu_sla_clocks_due \d+$/m);
    expect(sla).toMatch(/^jiesu_sla_oldest_due_age_seconds [\d.]+$/m);
    expect(sla).toMatch(/^jiesu_sla_calendar_last_known_year 20\d\d$/m);
    expect(scraped.get('callback')!).toContain('# TYPE jiesu_callback_tasks_waiting gauge');
  });
});
