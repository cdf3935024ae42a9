// Checks the monitoring objects of a rendered overlay and hands its rules to
// promtool:
//   - writes the .spec.groups of every PrometheusRule to RULES_OUT, a plain
//     Prometheus rule file (promtool reads no PrometheusRule object; the
//     PrometheusRule stays the one source of the rules);
//   - every Grafana dashboard ConfigMap (label grafana_dashboard: "1") holds
//     JSON whose every panel has a data source and queries;
//   - every metric named in a dashboard query or a rule is one of the metrics
//     contract of issue 16 (what ANTT's servers export), a standard kubelet
//     or Prometheus one, or a rule recorded in the same manifests: a typo in
//     a name would otherwise give an empty graph or an alert that never fires;
//   - given promtool test files too: every alert is expected to fire in one of
//     them, so that no alert goes untested.
//
//   node monitoring.mjs RENDERED.yaml RULES_OUT [TEST.yaml...]
//                                               exit 0 when all is well
import { writeFileSync } from 'node:fs';
import { describe, readDocuments, require } from './lib.mjs';

const yaml = require('js-yaml');

// The metrics contract (issue 16). Histograms are named by their base name.
const HISTOGRAMS = ['grpc_server_handling_seconds', 'grpc_client_handling_seconds'];
const CONTRACT = [
  'grpc_server_started_total', 'grpc_server_handled_total',
  'grpc_client_started_total', 'grpc_client_handled_total',
  'antt_grpc_server_calls_in_flight', 'antt_build_info',
  'process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_virtual_memory_bytes',
  'process_open_fds', 'process_max_fds', 'process_start_time_seconds',
  'antt_rocksdb_live_data_bytes', 'antt_rocksdb_estimated_keys', 'antt_rocksdb_pending_compaction_bytes',
  'antt_rocksdb_write_stopped', 'antt_rocksdb_write_stalls_total',
  'antt_registry_follower_lag', 'antt_registry_follower_last_success_timestamp_seconds',
  'antt_registry_follower_skips_total', 'antt_registry_follower_unreadable_units',
  'antt_backup_last_success_timestamp_seconds', 'antt_backup_last_size_bytes', 'antt_backup_failures_total',
];
// Prometheus' own, the kubelet's volume statistics and kube-state-metrics'
// Job condition (all in kube-prometheus-stack).
const STANDARD = [
  'up',
  'kubelet_volume_stats_used_bytes', 'kubelet_volume_stats_capacity_bytes',
  'kubelet_volume_stats_available_bytes',
  'kube_cronjob_status_last_schedule_time', 'kube_cronjob_status_last_successful_time',
];
const KNOWN = new Set([
  ...CONTRACT, ...STANDARD,
  ...HISTOGRAMS.flatMap((h) => [`${h}_bucket`, `${h}_sum`, `${h}_count`]),
]);
// PromQL words that look like names: operators, modifiers, and time().
const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left',
  'group_right', 'offset', 'bool', 'inf', 'nan']);

// The metric names an expression reads: what is left once strings, label
// matchers, ranges and label lists are gone, and a name is not a call.
export function metricNames(expr) {
  const bare = String(expr)
      .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
      .replace(/\{[^}]*\}/g, ' ')
      .replace(/\[[^\]]*\]/g, ' ')
      .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
      .replace(/\$__\w+|\$\w+/g, ' ');
  const names = new Set();
  for (const match of bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const name = match[0];
    const after = bare.slice(match.index + name.length);
    if (/^\s*\(/.test(after) || KEYWORDS.has(name.toLowerCase())) continue;
    // A duration's unit (5m, 1h) or a number's exponent.
    if (match.index > 0 && /[0-9.]/.test(bare[match.index - 1])) continue;
    names.add(name);
  }
  return [...names];
}

const [file, rulesOut, ...testFiles] = process.argv.slice(2);
if (!file || !rulesOut) {
  console.error('usage: node monitoring.mjs RENDERED.yaml RULES_OUT [TEST.yaml...]');
  process.exit(2);
}
const objects = readDocuments(file);
const problems = [];
const problem = (object, message) => problems.push(`[monitoring] ${describe(object)}: ${message}`);

const rules = objects.filter((o) => o.kind === 'PrometheusRule');
const groups = rules.flatMap((r) => r.spec?.groups ?? []);
const recorded = new Set(groups.flatMap((g) => g.rules ?? []).map((r) => r.record).filter(Boolean));
const known = (name) => KNOWN.has(name) || recorded.has(name);

for (const rule of rules) {
  for (const group of rule.spec?.groups ?? []) {
    for (const r of group.rules ?? []) {
      for (const name of metricNames(r.expr)) {
        if (!known(name)) problem(rule, `${r.alert ?? r.record} reads ${name}, which no ANTT server exports`);
      }
    }
  }
}
writeFileSync(rulesOut, yaml.dump({ groups }, { lineWidth: -1, noRefs: true }));

if (testFiles.length > 0) {
  const tested = new Set();
  for (const testFile of testFiles) {
    for (const test of readDocuments(testFile)[0]?.tests ?? []) {
      for (const check of test.alert_rule_test ?? []) {
        if ((check.exp_alerts ?? []).length > 0) tested.add(check.alertname);
      }
    }
  }
  for (const rule of rules) {
    for (const r of (rule.spec?.groups ?? []).flatMap((g) => g.rules ?? []).filter((r) => r.alert)) {
      if (!tested.has(r.alert)) problem(rule, `alert ${r.alert} fires in no test of ${testFiles.join(' ')}`);
    }
  }
}

function panelsOf(dashboard) {
  return (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
}
const dashboards = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata?.labels?.grafana_dashboard === '1');
for (const map of dashboards) {
  const entries = Object.entries(map.data ?? {});
  if (entries.length === 0) problem(map, 'holds no dashboard');
  for (const [key, text] of entries) {
    let dashboard;
    try {
      dashboard = JSON.parse(text);
    } catch (error) {
      problem(map, `${key} is not JSON: ${error.message}`);
      continue;
    }
    if (!dashboard.uid || !dashboard.title) problem(map, `${key} has no uid or title`);
    const panels = panelsOf(dashboard).filter((p) => p.type !== 'row');
    if (panels.length === 0) problem(map, `${key} has no panels`);
    for (const panel of panels) {
      const where = `${key}: panel "${panel.title}"`;
      if (!panel.datasource) problem(map, `${where} has no datasource`);
      const targets = panel.targets ?? [];
      if (targets.length === 0) problem(map, `${where} has no targets`);
      for (const target of targets) {
        if (!target.expr) {
          problem(map, `${where}: target ${target.refId} has no expr`);
          continue;
        }
        const names = metricNames(target.expr);
        if (names.length === 0) problem(map, `${where}: ${target.expr} reads no metric`);
        for (const name of names) {
          if (!known(name)) problem(map, `${where} reads ${name}, which no ANTT server exports`);
        }
      }
    }
  }
}

for (const line of problems) console.error(line);
console.log(`monitoring: ${rules.length} PrometheusRule (${groups.length} groups), ` +
            `${dashboards.length} dashboard ConfigMaps, ${problems.length} problems in ${file}`);
process.exit(problems.length === 0 ? 0 : 1);
