// Validates every object of the YAML files given against the Kubernetes API
// schemas of the npm package kubernetes-models, and the custom resources the
// overlays use against their CRDs' schemas: @kubernetes-models/
// prometheus-operator (ServiceMonitor, PrometheusRule) and
// @kubernetes-models/gateway-api (Gateway, TLSRoute), all pinned in
// package-lock.json: types, enumerations, required fields, patterns. An
// apiVersion or kind no package knows is an error too, so a typo in either
// cannot pass. The schemas do not reject unknown fields (the API server does,
// on apply); policy.mjs requires the fields ANTT depends on.
//
//   node validate.mjs FILE...     exit 0 when every object is valid, else 1
import { describe, readDocuments, require } from './lib.mjs';

// The API groups of custom resources, by the package that has their models.
const CRD_PACKAGES = {
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
};

function modelClass(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    throw new Error('apiVersion and kind must be strings');
  }
  let group;
  try {
    // "v1" → kubernetes-models/v1, "apps/v1" → kubernetes-models/apps/v1,
    // "monitoring.coreos.com/v1" → @kubernetes-models/prometheus-operator/
    // monitoring.coreos.com/v1.
    const crds = CRD_PACKAGES[apiVersion.split('/')[0]];
    group = require(crds ? `${crds}/${apiVersion}` : `kubernetes-models/${apiVersion}`);
  } catch (error) {
    if (error.code === 'MODULE_NOT_FOUND' || error.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      throw new Error(`unknown apiVersion ${apiVersion}`);
    }
    throw error;
  }
  const Model = group[kind];
  if (typeof Model !== 'function' || Model.kind !== kind) {
    throw new Error(`unknown kind ${kind} in ${apiVersion}`);
  }
  return Model;
}

// kustomize writes a Secret's base64 data in lines of 76 characters; the API
// server decodes with Go's base64, which skips line breaks, while the
// schemas' "byte" format does not. Line breaks go; anything else stays.
function decodedAsTheServerDoes(object) {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.fromEntries(Object.entries(object.data).map(
      ([key, value]) => [key, typeof value === 'string' ? value.replace(/[\r\n]/g, '') : value]));
  return { ...object, data };
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate.mjs FILE...');
  process.exit(2);
}
let objects = 0;
let failures = 0;
for (const file of files) {
  for (const object of readDocuments(file)) {
    objects++;
    try {
      const Model = modelClass(object.apiVersion, object.kind);
      new Model(decodedAsTheServerDoes(object)).validate();
    } catch (error) {
      failures++;
      console.error(`${file}: ${describe(object)}: ${error.message}`);
    }
  }
}
if (objects === 0) {
  console.error(`no objects in ${files.join(' ')}`);
  process.exit(1);
}
console.log(`schema: ${objects - failures} of ${objects} objects valid in ${files.join(' ')}`);
process.exit(failures === 0 ? 0 : 1);
