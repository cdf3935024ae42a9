// ANTT's deployment rules, checked on a rendered overlay (`kubectl kustomize
// deploy/overlays/NAME`). Each violation is printed as "[rule] Kind/name:
// what is wrong"; deploy/test/bad/ holds one broken overlay per rule, and
// scripts/lib/check_manifests.sh asserts that each is refused by its rule.
//
//   node policy.mjs --data=DIR --secrets=NAME,... [--runbook=FILE]
//                   [--expect=pdb,backup,monitoring,gateway] FILE
//
// --data      the repository's data/ directory: the reference-data ConfigMaps
//             must hold exactly its files
// --secrets   the Secrets deploy/scripts/make-secrets.sh makes: the only ones
//             the manifests may refer to (none may be in them)
// --runbook   docs/runbook.md: every alert's runbook_url must name one of its
//             headings
// --expect    parts an overlay must have: "pdb" (a PodDisruptionBudget per
//             service), "backup" (a verified backup CronJob per service and
//             the backups on volumes of their own), "monitoring" (a
//             ServiceMonitor per service, the PrometheusRule, the Grafana
//             dashboard), "gateway" (scoring exposed outside the cluster
//             through a Gateway)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, readDocuments } from './lib.mjs';

// The shared contract of issue 7: ports, callers and flags of each service.
const NAMESPACE = 'antt';
const USER = 10001;
const SERVICES = {
  registry: { listen: 7001, health: 7101, metrics: 9101, callers: ['scoring', 'awards'] },
  scoring: { listen: 7002, health: 7102, metrics: 9102, callers: ['awards'] },
  awards: { listen: 7003, health: 7103, metrics: 9103, callers: [] },
};
const CLIENT_LABEL = 'antt.gov.vn/client';
const MONITORING_NAMESPACE = 'monitoring';
// The label of the namespace whose pods carry a Gateway's traffic to scoring
// (deploy/overlays/gateway): only scoring's gRPC port admits it.
const GATEWAY_LABEL = 'antt.gov.vn/gateway';
const EXPOSED = { service: 'scoring', port: 7002 };  // all a Gateway may reach
const BACKUP_DIR = '/var/lib/antt/backups';
const RUNBOOK_URL = 'https://github.com/antt-gov/antt/blob/main/docs/runbook.md';
const DEFAULT_DRAIN_SECONDS = 20;  // the servers' --drain_seconds default
const DEFAULT_DRAIN_DELAY_SECONDS = 0;

function requiredFlags(service) {
  const { listen, health, metrics } = SERVICES[service];
  const flags = {
    listen: `0.0.0.0:${listen}`,
    health_listen: `0.0.0.0:${health}`,
    metrics_listen: `0.0.0.0:${metrics}`,
    db_path: '/var/lib/antt/db',
    backup_dir: '/var/lib/antt/backups',
    tls_cert: '/etc/antt/tls/tls.crt',
    tls_key: '/etc/antt/tls/tls.key',
    tls_ca: '/etc/antt/tls/ca.crt',
    principals_file: '/etc/antt/principals/principals.json',
  };
  if (service !== 'registry') {
    flags.service_token_file = '/etc/antt/token/token';
    flags.registry_addr = `antt-registry.${NAMESPACE}.svc.cluster.local:7001`;
  }
  if (service === 'scoring') {
    flags.criteria_dir = '/etc/antt/reference/criteria';
    flags.settings_file = '/etc/antt/reference/settings.json';
  }
  if (service === 'awards') {
    flags.scoring_addr = `antt-scoring.${NAMESPACE}.svc.cluster.local:7002`;
    flags.award_types_file = '/etc/antt/reference/award_types.json';
  }
  return flags;
}

// ---------------------------------------------------------------- arguments
const options = { data: null, secrets: null, runbook: null, expect: new Set() };
const PARTS = ['pdb', 'backup', 'monitoring', 'gateway'];
const files = [];
for (const arg of process.argv.slice(2)) {
  const match = /^--(data|secrets|runbook|expect)=(.*)$/.exec(arg);
  if (!match) {
    files.push(arg);
  } else if (match[1] === 'data') {
    options.data = match[2];
  } else if (match[1] === 'runbook') {
    options.runbook = match[2];
  } else if (match[1] === 'secrets') {
    options.secrets = new Set(match[2].split(',').filter(Boolean));
  } else {
    options.expect = new Set(match[2].split(',').filter(Boolean));
  }
}
if (files.length !== 1 || !options.data || !options.secrets) {
  console.error('usage: node policy.mjs --data=DIR --secrets=NAME,... [--runbook=FILE] ' +
                `[--expect=${PARTS.join(',')}] FILE`);
  process.exit(2);
}
for (const part of options.expect) {
  if (!PARTS.includes(part)) {
    console.error(`unknown --expect part ${part} (${PARTS.join(', ')})`);
    process.exit(2);
  }
}

const objects = readDocuments(files[0]);
const violations = [];
function violation(rule, object, message) {
  violations.push(`[${rule}] ${object ? describe(object) : 'manifests'}: ${message}`);
}

// ------------------------------------------------------------------ helpers
const ofKind = (kind) => objects.filter((o) => o.kind === kind);
const named = (kind, name) => ofKind(kind).find((o) => o.metadata?.name === name);

function podSpecOf(object) {
  switch (object.kind) {
    case 'Pod':
      return object.spec;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
      return object.spec?.template?.spec;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template?.spec;
    default:
      return undefined;
  }
}
function podLabelsOf(object) {
  if (object.kind === 'Pod') return object.metadata?.labels ?? {};
  if (object.kind === 'CronJob') return object.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
  return object.spec?.template?.metadata?.labels ?? {};
}
const workloads = objects.filter((o) => podSpecOf(o) !== undefined);
const containersOf = (spec) => [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];

// "--name=value" arguments of a container, by name.
function flagsOf(container) {
  const flags = new Map();
  for (const arg of [...(container.command ?? []), ...(container.args ?? [])]) {
    const match = /^--([a-z_]+)(?:=(.*))?$/.exec(String(arg));
    if (match) flags.set(match[1], match[2] ?? 'true');
  }
  return flags;
}

function labelsMatch(selector, labels) {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}
const selectorKey = (labels) =>
  Object.entries(labels ?? {}).sort().map(([k, v]) => `${k}=${v}`).join(',');

// The service's StatefulSet, its pod spec and its server container.
function serverOf(service) {
  const set = named('StatefulSet', `antt-${service}`);
  const spec = set && podSpecOf(set);
  const container = spec?.containers?.find((c) => c.name === service);
  return { set, spec, container };
}

// ------------------------------------------------------------ the workloads
function checkWorkloads() {
  for (const service of Object.keys(SERVICES)) {
    const { set, container } = serverOf(service);
    if (!set) {
      violation('workloads', null, `no StatefulSet antt-${service}`);
    } else if (!container) {
      violation('workloads', set, `no container named ${service}`);
    }
  }
  for (const object of workloads) {
    if (object.kind === 'StatefulSet') continue;
    for (const container of containersOf(podSpecOf(object))) {
      if (/^\/opt\/antt\/bin\/antt-/.test(container.command?.[0] ?? '')) {
        violation('workloads', object, `runs ${container.command[0]}: a server runs in its StatefulSet only`);
      }
    }
  }
}

function checkOneWriter() {
  for (const service of Object.keys(SERVICES)) {
    const { set, container } = serverOf(service);
    if (!set) continue;
    if (set.spec.replicas !== 1) {
      violation('one-writer', set, `replicas must be 1 (one RocksDB writer), not ${set.spec.replicas}`);
    }
    const claims = set.spec.volumeClaimTemplates ?? [];
    const data = container?.volumeMounts?.find((m) => m.mountPath === '/var/lib/antt');
    const claim = data && claims.find((c) => c.metadata?.name === data.name);
    if (!claim) {
      violation('one-writer', set, '/var/lib/antt must be a volumeClaimTemplates volume of the pod\'s own');
    } else if (JSON.stringify(claim.spec?.accessModes) !== JSON.stringify(['ReadWriteOnce'])) {
      violation('one-writer', set, `the claim ${claim.metadata.name} must be ReadWriteOnce only`);
    }
  }
}

function checkProbes() {
  for (const [service, ports] of Object.entries(SERVICES)) {
    const { set, container } = serverOf(service);
    if (!container) continue;
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      const spec = container[probe];
      if (!spec) {
        violation('probes', set, `${probe} missing`);
      } else if (spec.grpc?.port !== ports.health) {
        violation('probes', set, `${probe} must be a grpc probe of the health port ${ports.health}, ` +
                  `not ${JSON.stringify(spec.grpc ?? spec)}`);
      } else if (spec.exec || spec.httpGet || spec.tcpSocket) {
        violation('probes', set, `${probe} must be a grpc probe only`);
      }
    }
  }
}

function checkResources() {
  for (const object of workloads) {
    for (const container of containersOf(podSpecOf(object))) {
      for (const bound of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) {
          if (container.resources?.[bound]?.[resource] === undefined) {
            violation('resources', object, `container ${container.name} has no ${bound}.${resource}`);
          }
        }
      }
    }
  }
}

function checkSecurity() {
  for (const object of workloads) {
    const spec = podSpecOf(object);
    const pod = spec.securityContext ?? {};
    for (const host of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (spec[host]) violation('security', object, `${host} must not be set`);
    }
    if (spec.automountServiceAccountToken !== false) {
      violation('security', object, 'automountServiceAccountToken must be false (the servers never call the API server)');
    }
    for (const container of containersOf(spec)) {
      const own = container.securityContext ?? {};
      const effective = (field) => own[field] ?? pod[field];
      const where = `container ${container.name}`;
      if (effective('runAsNonRoot') !== true) violation('security', object, `${where}: runAsNonRoot must be true`);
      if (effective('runAsUser') !== USER) violation('security', object, `${where}: runAsUser must be ${USER}`);
      if (effective('seccompProfile')?.type !== 'RuntimeDefault') {
        violation('security', object, `${where}: seccompProfile must be RuntimeDefault`);
      }
      if (own.allowPrivilegeEscalation !== false) {
        violation('security', object, `${where}: allowPrivilegeEscalation must be false`);
      }
      if (own.readOnlyRootFilesystem !== true) {
        violation('security', object, `${where}: readOnlyRootFilesystem must be true`);
      }
      if (own.privileged) violation('security', object, `${where}: privileged must not be set`);
      if (!(own.capabilities?.drop ?? []).includes('ALL')) {
        violation('security', object, `${where}: capabilities.drop must include ALL`);
      }
      if ((own.capabilities?.add ?? []).length > 0) {
        violation('security', object, `${where}: capabilities.add must be empty`);
      }
    }
  }
}

function checkGrace() {
  for (const service of Object.keys(SERVICES)) {
    const { set, spec, container } = serverOf(service);
    if (!container) continue;
    const flags = flagsOf(container);
    const drain = Number(flags.get('drain_seconds') ?? DEFAULT_DRAIN_SECONDS);
    const delay = Number(flags.get('drain_delay_seconds') ?? DEFAULT_DRAIN_DELAY_SECONDS);
    const grace = spec.terminationGracePeriodSeconds ?? 30;  // Kubernetes' default
    if (!(grace > drain + delay)) {
      violation('grace', set, `terminationGracePeriodSeconds ${grace} must exceed ` +
                `--drain_delay_seconds + --drain_seconds (${delay} + ${drain})`);
    }
  }
}

function checkImages() {
  for (const object of workloads) {
    for (const container of containersOf(podSpecOf(object))) {
      const image = String(container.image ?? '');
      const [name, digest] = image.split('@');
      const slash = name.lastIndexOf('/');
      const colon = name.lastIndexOf(':');
      const tag = colon > slash ? name.slice(colon + 1) : '';
      if (!image) {
        violation('image', object, `container ${container.name} has no image`);
      } else if (!tag && !digest) {
        violation('image', object, `container ${container.name}: image ${image} has no tag`);
      } else if (tag === 'latest') {
        violation('image', object, `container ${container.name}: image ${image} must be pinned, not latest`);
      }
    }
  }
}

function checkFlags() {
  for (const service of Object.keys(SERVICES)) {
    const { set, container } = serverOf(service);
    if (!container) continue;
    if (JSON.stringify(container.command) !== JSON.stringify([`/opt/antt/bin/antt-${service}`])) {
      violation('flags', set, `command must be /opt/antt/bin/antt-${service}`);
    }
    const flags = flagsOf(container);
    for (const [flag, value] of Object.entries(requiredFlags(service))) {
      if (flags.get(flag) !== value) {
        violation('flags', set, `--${flag} must be ${value}, not ${flags.get(flag) ?? '(absent)'}`);
      }
    }
    if (flags.has('insecure')) violation('flags', set, '--insecure is for the local demo only');
  }
}

// Every file a flag names must come from a volume of the container.
function checkMounts() {
  for (const object of workloads) {
    for (const container of containersOf(podSpecOf(object))) {
      const mounts = container.volumeMounts ?? [];
      const paths = [...flagsOf(container).entries()];
      for (const env of container.env ?? []) {
        if (typeof env.value === 'string') paths.push([env.name, env.value]);
      }
      for (const [name, value] of paths) {
        if (!/^\/(etc\/antt|var\/lib\/antt)\//.test(value)) continue;
        const covered = mounts.some((m) => value === m.mountPath || value.startsWith(`${m.mountPath}/`));
        if (!covered) {
          violation('mounts', object, `container ${container.name}: ${name}=${value} is on no volume`);
        }
      }
    }
  }
}

function checkServices() {
  for (const [service, ports] of Object.entries(SERVICES)) {
    const { set, spec, container } = serverOf(service);
    if (!set) continue;
    const clusterIp = named('Service', `antt-${service}`);
    const grpc = clusterIp?.spec?.ports?.find((p) => p.name === 'grpc');
    if (!clusterIp || clusterIp.spec.clusterIP === 'None' || (clusterIp.spec.type ?? 'ClusterIP') !== 'ClusterIP') {
      violation('services', set, `no ClusterIP Service antt-${service}`);
    } else if (!grpc || grpc.port !== ports.listen) {
      violation('services', clusterIp, `needs a port named grpc, ${ports.listen}`);
    } else {
      const target = grpc.targetPort ?? grpc.port;
      const containerPort = container?.ports?.find((p) => p.name === target || p.containerPort === target);
      if (containerPort?.containerPort !== ports.listen) {
        violation('services', clusterIp, `port grpc must reach the container's port ${ports.listen}`);
      }
    }
    if (clusterIp && !labelsMatch(clusterIp.spec.selector, podLabelsOf(set))) {
      violation('services', clusterIp, 'its selector does not select the StatefulSet\'s pods');
    }
    const headless = named('Service', set.spec.serviceName);
    if (!headless || headless.spec.clusterIP !== 'None') {
      violation('services', set, `serviceName ${set.spec.serviceName} must be a headless Service`);
    }
    const account = named('ServiceAccount', spec.serviceAccountName);
    if (!account) {
      violation('service-account', set, `no ServiceAccount ${spec.serviceAccountName} of its own`);
    } else if (account.automountServiceAccountToken !== false) {
      violation('service-account', account, 'automountServiceAccountToken must be false');
    }
  }
}

// NetworkPolicies are additive: the callers a pod admits on a port are the
// union of the rules of every policy selecting it. Each service must admit
// exactly its real callers on its gRPC port, the monitoring namespace on its
// metrics port, and nothing else.
function peerKey(peer) {
  if (peer.ipBlock) return `ip:${peer.ipBlock.cidr}`;
  const parts = [];
  for (const [kind, selector] of [['pod', peer.podSelector], ['ns', peer.namespaceSelector]]) {
    if (!selector) continue;
    if (selector.matchExpressions?.length) return `unsupported:${JSON.stringify(peer)}`;
    parts.push(`${kind}:${selectorKey(selector.matchLabels)}`);
  }
  return parts.join('+');
}

function checkNetwork() {
  const policies = ofKind('NetworkPolicy');
  const denyAll = policies.find((p) =>
    selectorKey(p.spec?.podSelector?.matchLabels) === '' && !p.spec?.podSelector?.matchExpressions &&
    (p.spec?.policyTypes ?? []).includes('Ingress') && (p.spec?.ingress ?? []).length === 0);
  if (!denyAll) violation('network', null, 'no default-deny ingress NetworkPolicy (podSelector {}, no rules)');

  const clientPeers = [`pod:${CLIENT_LABEL}=true`, `ns:${CLIENT_LABEL}=true`];
  for (const [service, ports] of Object.entries(SERVICES)) {
    const { set, container } = serverOf(service);
    if (!set) continue;
    const labels = podLabelsOf(set);
    const own = policies.filter((p) =>
      selectorKey(p.spec?.podSelector?.matchLabels) === `app.kubernetes.io/name=antt-${service}`);
    if (own.length !== 1) {
      violation('network', set, `needs exactly one NetworkPolicy of its own, has ${own.length}`);
    }
    const callers = [...ports.callers.map((c) => `pod:app.kubernetes.io/name=antt-${c}`), ...clientPeers];
    if (options.expect.has('gateway') && service === EXPOSED.service) callers.push(`ns:${GATEWAY_LABEL}=true`);
    const expected = new Map([
      [ports.listen, new Set(callers)],
      [ports.metrics, new Set([`ns:kubernetes.io/metadata.name=${MONITORING_NAMESPACE}`])],
    ]);
    const admitted = new Map();
    for (const policy of policies) {
      const selector = policy.spec?.podSelector ?? {};
      if (selector.matchExpressions?.length || !labelsMatch(selector.matchLabels, labels)) continue;
      if (!(policy.spec?.policyTypes ?? ['Ingress']).includes('Ingress')) continue;
      for (const rule of policy.spec?.ingress ?? []) {
        if (!rule.ports?.length) {
          violation('network', policy, `a rule opens every port of antt-${service}`);
          continue;
        }
        if (!rule.from?.length) {
          violation('network', policy, `a rule admits anyone to antt-${service}`);
          continue;
        }
        for (const { port } of rule.ports) {
          const number = typeof port === 'number'
            ? port : container?.ports?.find((p) => p.name === port)?.containerPort;
          if (!admitted.has(number)) admitted.set(number, new Set());
          for (const peer of rule.from) admitted.get(number).add(peerKey(peer));
        }
      }
    }
    for (const [port, peers] of admitted) {
      const want = expected.get(port);
      if (!want) {
        violation('network', set, `port ${port} is open, but only ${[...expected.keys()].join(' and ')} may be`);
        continue;
      }
      for (const peer of peers) {
        if (!want.has(peer)) violation('network', set, `port ${port} admits ${peer}, which is not a caller`);
      }
    }
    for (const [port, want] of expected) {
      for (const peer of want) {
        if (!admitted.get(port)?.has(peer)) violation('network', set, `port ${port} does not admit ${peer}`);
      }
    }
    if (labels[CLIENT_LABEL] !== undefined) {
      violation('network', set, `its pods must not carry ${CLIENT_LABEL}: that label opens every service`);
    }
  }
}

function secretsReferencedBy(spec) {
  const names = [];
  for (const volume of spec.volumes ?? []) {
    if (volume.secret) names.push(volume.secret.secretName);
    for (const source of volume.projected?.sources ?? []) if (source.secret) names.push(source.secret.name);
  }
  for (const container of containersOf(spec)) {
    for (const env of container.env ?? []) {
      if (env.valueFrom?.secretKeyRef) names.push(env.valueFrom.secretKeyRef.name);
    }
    for (const from of container.envFrom ?? []) if (from.secretRef) names.push(from.secretRef.name);
  }
  return names;
}

function checkSecrets() {
  for (const secret of ofKind('Secret')) {
    violation('secrets', secret, 'Secrets are never committed: deploy/scripts/make-secrets.sh makes them');
  }
  for (const object of workloads) {
    for (const name of secretsReferencedBy(podSpecOf(object))) {
      if (!options.secrets.has(name)) {
        violation('secrets', object, `refers to Secret ${name}, which make-secrets.sh does not make`);
      }
    }
  }
}

function checkReferenceData() {
  const configMaps = ofKind('ConfigMap');
  const find = (base) => configMaps.find((c) => new RegExp(`^${base}(-[a-z0-9]{10})?$`).test(c.metadata?.name));
  const wanted = [
    ['antt-criteria', Object.fromEntries(readdirSync(join(options.data, 'criteria'))
      .filter((f) => f.endsWith('.json')).map((f) => [f, join(options.data, 'criteria', f)]))],
    ['antt-reference', {
      'settings.json': join(options.data, 'scoring', 'settings.json'),
      'award_types.json': join(options.data, 'awards', 'award_types.json'),
    }],
  ];
  for (const [base, files] of wanted) {
    const configMap = find(base);
    if (!configMap) {
      violation('reference-data', null, `no ConfigMap ${base}`);
      continue;
    }
    const data = configMap.data ?? {};
    for (const key of Object.keys(data)) {
      if (!(key in files)) violation('reference-data', configMap, `${key} is not in data/`);
    }
    for (const [key, path] of Object.entries(files)) {
      if (!(key in data)) {
        violation('reference-data', configMap, `${key} of data/ is missing`);
      } else if (data[key] !== readFileSync(path, 'utf8')) {
        violation('reference-data', configMap, `${key} differs from ${path}`);
      }
    }
  }
  // Every ConfigMap a pod mounts is in the output (a hashed name that was not
  // rewritten would leave the pod waiting for a volume forever).
  for (const object of workloads) {
    for (const volume of podSpecOf(object).volumes ?? []) {
      const name = volume.configMap?.name;
      if (name && !configMaps.some((c) => c.metadata?.name === name)) {
        violation('reference-data', object, `mounts ConfigMap ${name}, which is not in the manifests`);
      }
    }
  }
}

function checkNamespace() {
  const namespace = named('Namespace', NAMESPACE);
  if (!namespace) {
    violation('namespace', null, `no Namespace ${NAMESPACE}`);
  } else if (namespace.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted') {
    violation('namespace', namespace, 'must enforce the restricted Pod Security Standard');
  }
  for (const object of objects) {
    if (object.kind === 'Namespace') continue;
    if (object.metadata?.namespace !== NAMESPACE) {
      violation('namespace', object, `must be in namespace ${NAMESPACE}, not ${object.metadata?.namespace}`);
    }
  }
}

function checkDisruptionBudgets() {
  const budgets = ofKind('PodDisruptionBudget');
  for (const service of Object.keys(SERVICES)) {
    const { set } = serverOf(service);
    if (!set) continue;
    const own = budgets.filter((b) => labelsMatch(b.spec?.selector?.matchLabels, podLabelsOf(set)) &&
                                      Object.keys(b.spec?.selector?.matchLabels ?? {}).length > 0);
    if (options.expect.has('pdb') && own.length !== 1) {
      violation('pdb', set, `needs one PodDisruptionBudget, has ${own.length}`);
    }
  }
}

// anttctl's global --timeout may come first: a backup outlasts the default
// 30 s per call.
const anttctl = (service, command, extra = '') => new RegExp(
    `^/opt/antt/bin/anttctl (--timeout \\d+ )?admin ${command} --service ${service}${extra}$`);
const commandLine = (container) => [...(container.command ?? []), ...(container.args ?? [])].join(' ');

function checkBackups() {
  const jobs = ofKind('CronJob');
  for (const [service, ports] of Object.entries(SERVICES)) {
    // --verify: the server reads the new backup back, and deletes and
    // counts (antt_backup_failures_total) a damaged one.
    const backupCommand = anttctl(service, 'backup', '( --verify)?');
    const verifiedBackup = anttctl(service, 'backup', ' --verify');
    const verifyCommand = anttctl(service, 'verify-backup');
    const job = jobs.find((j) => containersOf(podSpecOf(j)).some((c) => backupCommand.test(commandLine(c))));
    if (!job) {
      if (options.expect.has('backup')) {
        violation('backup', null, `no CronJob runs \`anttctl admin backup --service ${service}\``);
      }
      continue;
    }
    // The backup, then its verification, by the pod's own ordering (the image
    // has no shell): an init container backs up, the container verifies.
    const spec = podSpecOf(job);
    const backup = (spec.initContainers ?? []).find((c) => backupCommand.test(commandLine(c)));
    const verify = (spec.containers ?? []).find((c) => verifyCommand.test(commandLine(c)));
    if (!backup || !verify || !verifiedBackup.test(commandLine(backup))) {
      violation('backup', job, 'the backup is not verified: `anttctl admin backup --verify` must run in an ' +
                `init container and \`anttctl admin verify-backup --service ${service}\` in the container`);
    }
    // A damaged backup (exit 4) fails the Job at once, rather than a retry
    // taking another backup that hides it.
    const failOn4 = (job.spec?.jobTemplate?.spec?.podFailurePolicy?.rules ?? []).some(
      (r) => r.action === 'FailJob' && r.onExitCodes?.operator === 'In' && r.onExitCodes.values?.includes(4));
    if (!failOn4) {
      violation('backup', job, 'podFailurePolicy must fail the Job on exit code 4 (a damaged backup)');
    }
    for (const container of containersOf(spec).filter((c) => c.command?.[0] === '/opt/antt/bin/anttctl')) {
      const env = new Map((container.env ?? []).map((e) => [e.name, e]));
      const address = `antt-${service}.${NAMESPACE}.svc.cluster.local:${ports.listen}`;
      if (env.get(`ANTT_${service.toUpperCase()}`)?.value !== address) {
        violation('backup', job, `ANTT_${service.toUpperCase()} must be ${address} (container ${container.name})`);
      }
      if (!env.get('ANTT_TOKEN')?.valueFrom?.secretKeyRef) {
        violation('backup', job, `ANTT_TOKEN must come from a Secret (container ${container.name})`);
      }
    }
    if (job.spec.concurrencyPolicy !== 'Forbid') {
      violation('backup', job, 'concurrencyPolicy must be Forbid: two backups of one store at once');
    }
  }
  if (!options.expect.has('backup')) return;
  // The backups on a volume of their own, so that losing the store's volume
  // does not lose them too: a claim of the pod's own mounted at the
  // --backup_dir, not the volumeClaimTemplate of the store.
  const claimsUsed = new Map();
  for (const service of Object.keys(SERVICES)) {
    const { set, spec, container } = serverOf(service);
    if (!container) continue;
    const mount = container.volumeMounts?.find((m) => m.mountPath === BACKUP_DIR);
    const volume = mount && (spec.volumes ?? []).find((v) => v.name === mount.name);
    const claimName = volume?.persistentVolumeClaim?.claimName;
    if (!claimName) {
      violation('backup', set, `${BACKUP_DIR} must be a PersistentVolumeClaim of its own, ` +
                'not a directory of the data volume');
      continue;
    }
    const claim = named('PersistentVolumeClaim', claimName);
    if (!claim) {
      violation('backup', set, `mounts the claim ${claimName}, which is not in the manifests`);
    } else if (JSON.stringify(claim.spec?.accessModes) !== JSON.stringify(['ReadWriteOnce'])) {
      violation('backup', claim, 'must be ReadWriteOnce only: one server writes its backups');
    }
    if (claimsUsed.has(claimName)) {
      violation('backup', set, `shares the backup claim ${claimName} with antt-${claimsUsed.get(claimName)}`);
    }
    claimsUsed.set(claimName, service);
  }
}

// ------------------------------------------------------------- monitoring
// GitHub's anchor of a Markdown heading.
const anchorOf = (heading) =>
  heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

function checkMonitoring() {
  const monitors = ofKind('ServiceMonitor');
  const services = ofKind('Service');
  for (const monitor of monitors) {
    const selector = monitor.spec?.selector ?? {};
    if (selector.matchExpressions?.length || !Object.keys(selector.matchLabels ?? {}).length) {
      violation('monitoring', monitor, 'needs a selector of matchLabels only');
      continue;
    }
    const namespaces = monitor.spec?.namespaceSelector;
    if (namespaces && !namespaces.any && !(namespaces.matchNames ?? []).includes(NAMESPACE)) {
      violation('monitoring', monitor, `its namespaceSelector leaves out ${NAMESPACE}`);
    }
    // A headless Service has no metrics port: selecting it too gives
    // Prometheus a second, broken set of targets under the same job.
    for (const service of services) {
      if (service.spec?.clusterIP === 'None' && labelsMatch(selector.matchLabels, service.metadata?.labels ?? {})) {
        violation('monitoring', monitor, `selects the headless Service ${service.metadata.name} too, ` +
                  'which has no metrics port');
      }
    }
  }
  if (options.expect.has('monitoring')) {
    for (const [service, ports] of Object.entries(SERVICES)) {
      const clusterIp = named('Service', `antt-${service}`);
      if (!clusterIp) continue;  // checkServices says so
      const metricsPort = clusterIp.spec?.ports?.find((p) => p.port === ports.metrics);
      const scraping = monitors.filter((m) =>
        labelsMatch(m.spec?.selector?.matchLabels, clusterIp.metadata?.labels ?? {}) &&
        (m.spec?.endpoints ?? []).some((e) => metricsPort && e.port === metricsPort.name &&
                                              (e.path ?? '/metrics') === '/metrics'));
      if (scraping.length !== 1) {
        violation('monitoring', null, `${scraping.length} ServiceMonitors scrape /metrics on the metrics ` +
                  `port of Service antt-${service}; there must be one`);
      }
    }
    if (!ofKind('ConfigMap').some((c) => c.metadata?.labels?.grafana_dashboard === '1')) {
      violation('monitoring', null, 'no Grafana dashboard ConfigMap (label grafana_dashboard: "1")');
    }
  }
  const alerts = ofKind('PrometheusRule').flatMap((rule) =>
    (rule.spec?.groups ?? []).flatMap((g) => g.rules ?? []).filter((r) => r.alert).map((r) => [rule, r]));
  if (options.expect.has('monitoring') && alerts.length === 0) {
    violation('monitoring', null, 'no PrometheusRule with alerts');
  }
  // The headings of the runbook, outside its code blocks (where "#" starts a
  // shell comment).
  let inCode = false;
  const anchors = options.runbook && new Set(readFileSync(options.runbook, 'utf8').split('\n')
      .filter((line) => {
        if (/^\s*```/.test(line)) inCode = !inCode;
        return !inCode && /^#{1,6}\s/.test(line);
      })
      .map((line) => anchorOf(line.replace(/^#+/, ''))));
  for (const [rule, alert] of alerts) {
    const annotations = alert.annotations ?? {};
    for (const key of ['summary', 'description', 'runbook_url']) {
      if (!annotations[key]) violation('monitoring', rule, `alert ${alert.alert} has no ${key} annotation`);
    }
    const url = annotations.runbook_url;
    if (!url) continue;
    const [page, anchor] = String(url).split('#');
    if (page !== RUNBOOK_URL || !anchor) {
      violation('monitoring', rule, `alert ${alert.alert}: runbook_url must be ${RUNBOOK_URL}#HEADING, not ${url}`);
    } else if (anchors && !anchors.has(anchor)) {
      violation('monitoring', rule, `alert ${alert.alert}: runbook_url ${url} names no heading of docs/runbook.md`);
    }
  }
}

// ---------------------------------------------------------------- gateway
// What faces the outside: TLS only, and nothing but scoring's gRPC port. The
// servers check each caller's certificate and token themselves, so a route
// must keep the TLS session theirs (TLSRoute, passthrough) or end it at the
// Gateway and speak gRPC on (GRPCRoute, HTTPS).
const ROUTE_KINDS = ['TLSRoute', 'GRPCRoute'];
const GATEWAY_KINDS = ['Gateway', 'HTTPRoute', 'TCPRoute', 'UDPRoute', ...ROUTE_KINDS];

function checkGateway() {
  const gatewayObjects = objects.filter((o) => GATEWAY_KINDS.includes(o.kind) &&
                                               String(o.apiVersion).startsWith('gateway.networking.k8s.io/'));
  for (const object of gatewayObjects) {
    if (object.kind !== 'Gateway' && !ROUTE_KINDS.includes(object.kind)) {
      violation('gateway', object, `a ${object.kind} would expose a service without ANTT's TLS; ` +
                `use ${ROUTE_KINDS.join(' or ')}`);
    }
  }
  const gateways = gatewayObjects.filter((o) => o.kind === 'Gateway');
  for (const gateway of gateways) {
    for (const listener of gateway.spec?.listeners ?? []) {
      const mode = listener.tls?.mode ?? 'Terminate';
      if (listener.protocol === 'TLS' && mode === 'Passthrough') continue;
      if (listener.protocol === 'HTTPS' && mode === 'Terminate' && listener.tls?.certificateRefs?.length) continue;
      violation('gateway', gateway, `listener ${listener.name} speaks ${listener.protocol}` +
                `${listener.tls ? ` (${mode})` : ''}: only TLS passthrough or HTTPS may face the outside`);
    }
  }
  const routes = gatewayObjects.filter((o) => ROUTE_KINDS.includes(o.kind));
  let exposed = false;
  for (const route of routes) {
    for (const rule of route.spec?.rules ?? []) {
      for (const ref of rule.backendRefs ?? []) {
        const kind = ref.kind ?? 'Service';
        if (kind !== 'Service' || ref.name !== `antt-${EXPOSED.service}` || ref.port !== EXPOSED.port) {
          violation('gateway', route, `routes to ${kind} ${ref.name}:${ref.port}: only ` +
                    `antt-${EXPOSED.service}:${EXPOSED.port} may be reached from outside`);
        } else {
          exposed = true;
        }
      }
    }
    for (const parent of route.spec?.parentRefs ?? []) {
      if ((parent.kind ?? 'Gateway') === 'Gateway' &&
          !gateways.some((g) => g.metadata?.name === parent.name)) {
        violation('gateway', route, `its parent Gateway ${parent.name} is not in the manifests`);
      }
    }
  }
  if (options.expect.has('gateway') && (gateways.length === 0 || !exposed)) {
    violation('gateway', null, `no Gateway route reaches antt-${EXPOSED.service}:${EXPOSED.port}`);
  }
}

checkWorkloads();
checkOneWriter();
checkProbes();
checkResources();
checkSecurity();
checkGrace();
checkImages();
checkFlags();
checkMounts();
checkServices();
checkNetwork();
checkSecrets();
checkReferenceData();
checkNamespace();
checkDisruptionBudgets();
checkBackups();
checkMonitoring();
checkGateway();

for (const line of violations) console.error(line);
console.log(`policy: ${objects.length} objects, ${violations.length} violations in ${files[0]}`);
process.exit(violations.length === 0 ? 0 : 1);
