// ANTT's deployment rules, checked on a rendered overlay (`kubectl kustomize
// deploy/overlays/NAME`). Each violation is printed as "[rule] Kind/name:
// what is wrong"; deploy/test/bad/ holds one broken overlay per rule, and
// scripts/lib/check_manifests.sh asserts that each is refused by its rule.
//
//   node policy.mjs --data=DIR --secrets=NAME,... [--expect=pdb,backup] FILE
//
// --data      the repository's data/ directory: the reference-data ConfigMaps
//             must hold exactly its files
// --secrets   the Secrets deploy/scripts/make-secrets.sh makes: the only ones
//             the manifests may refer to (none may be in them)
// --expect    parts an overlay must have: "pdb" (a PodDisruptionBudget per
//             service), "backup" (a backup CronJob per service)
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
const options = { data: null, secrets: null, expect: new Set() };
const files = [];
for (const arg of process.argv.slice(2)) {
  const match = /^--(data|secrets|expect)=(.*)$/.exec(arg);
  if (!match) {
    files.push(arg);
  } else if (match[1] === 'data') {
    options.data = match[2];
  } else if (match[1] === 'secrets') {
    options.secrets = new Set(match[2].split(',').filter(Boolean));
  } else {
    options.expect = new Set(match[2].split(',').filter(Boolean));
  }
}
if (files.length !== 1 || !options.data || !options.secrets) {
  console.error('usage: node policy.mjs --data=DIR --secrets=NAME,... [--expect=pdb,backup] FILE');
  process.exit(2);
}
for (const part of options.expect) {
  if (part !== 'pdb' && part !== 'backup') {
    console.error(`unknown --expect part ${part} (pdb, backup)`);
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
    const expected = new Map([
      [ports.listen, new Set([...ports.callers.map((c) => `pod:app.kubernetes.io/name=antt-${c}`), ...clientPeers])],
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

function checkBackups() {
  const jobs = ofKind('CronJob');
  for (const [service, ports] of Object.entries(SERVICES)) {
    // anttctl's global --timeout may come first: a backup outlasts the
    // default 30 s per call.
    const backupCommand = new RegExp(
        `^/opt/antt/bin/anttctl (--timeout \\d+ )?admin backup --service ${service}$`);
    const job = jobs.find((j) => (podSpecOf(j).containers ?? []).some((c) =>
      backupCommand.test([...(c.command ?? []), ...(c.args ?? [])].join(' '))));
    if (!job) {
      if (options.expect.has('backup')) {
        violation('backup', null, `no CronJob runs \`anttctl admin backup --service ${service}\``);
      }
      continue;
    }
    const container = podSpecOf(job).containers.find((c) => c.command?.[0] === '/opt/antt/bin/anttctl');
    const env = new Map((container.env ?? []).map((e) => [e.name, e]));
    const address = `antt-${service}.${NAMESPACE}.svc.cluster.local:${ports.listen}`;
    if (env.get(`ANTT_${service.toUpperCase()}`)?.value !== address) {
      violation('backup', job, `ANTT_${service.toUpperCase()} must be ${address}`);
    }
    if (!env.get('ANTT_TOKEN')?.valueFrom?.secretKeyRef) {
      violation('backup', job, 'ANTT_TOKEN must come from a Secret');
    }
    if (job.spec.concurrencyPolicy !== 'Forbid') {
      violation('backup', job, 'concurrencyPolicy must be Forbid: two backups of one store at once');
    }
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

for (const line of violations) console.error(line);
console.log(`policy: ${objects.length} objects, ${violations.length} violations in ${files[0]}`);
process.exit(violations.length === 0 ? 0 : 1);
