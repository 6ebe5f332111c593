import { cdk8s, javascript } from 'projen';

/** The Calico release whose CRDs are pinned in imports/ and compiled into src/imports/. */
const CALICO_VERSION = 'v3.32.1';
const CALICO_KINDS = [
  'networkpolicies',
  'globalnetworkpolicies',
  'tiers',
  'networksets',
  'globalnetworksets',
  'stagednetworkpolicies',
  'stagedglobalnetworkpolicies',
  'stagedkubernetesnetworkpolicies',
];
/**
 * The Kubernetes network-policy-api release whose `policy.networking.k8s.io` CRDs are pinned in
 * imports/ (the one Calico v3.32.1 depends on and enforces), compiled into the `networkPolicyApi`
 * submodule.
 */
const NETWORK_POLICY_API_VERSION = 'v0.2.0';
const NETWORK_POLICY_API_KINDS = ['clusternetworkpolicies'];

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-calico',
  description:
    'cdk8s constructs for Calico network policy and shift-left RBAC, with an offline reachability and RBAC model.',
  author: 'cdk8s-calico authors',
  authorAddress: 'noreply@example.com',
  repositoryUrl: 'https://example.invalid/cdk8s-calico.git',
  license: 'Apache-2.0',
  keywords: ['cdk8s', 'calico', 'kubernetes', 'network-policy', 'rbac', 'security'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',

  // cdk8s v2 (projen's template defaults to v1).
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.3.0',
  // cdk8s-plus-27 is what the team constructs build on (Namespace, ServiceAccount, RBAC subjects).
  // exposeService() reads any construct that synthesizes a v1 Service, so an app may use a newer
  // cdk8s-plus beside it: cdk8s-plus-33 (the cdk8s app template's) is an optional peer, tested.
  peerDeps: ['cdk8s-plus-27@^2.9.5', 'cdk8s-plus-33@^2.5.57'],
  // Runtime dependencies are bundled so that jsii consumers get them. @viz-js/viz is Graphviz
  // compiled to WebAssembly (no native code, works offline): it lays out the report's graph.
  bundledDeps: ['yaml@^2.3.4', 'ajv@^8', '@viz-js/viz@^3.31.0'],
  devDeps: ['typescript@~5.9.0', '@types/node@^20', 'cdk8s-cli@^2.200.0', 'fast-check@^3', 'ts-node', 'cdk8s-plus-27@^2.9.5', 'cdk8s-plus-33@^2.5.57'],

  // Only the JavaScript target is buildable on this machine.
  publishToPypi: undefined,
  publishToMaven: undefined,
  publishToNuget: undefined,
  publishToGo: undefined,

  // Local tooling only: no GitHub workflows are run for this project.
  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    extraCliOptions: ['--json', '--outputFile=test-reports/jest-results.json'],
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '/dist/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench'],
    ignorePatterns: ['src/imports/**', '*.d.ts', '*.generated.ts', 'node_modules/'],
  },
  gitignore: ['/dist/', '/bench-results/'],
});

// The example app and the benchmark are type-checked (by eslint and ts-node) like the tests.
for (const dir of ['examples', 'bench']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
    include: ['**/*.ts'],
    compilerOptions: { rootDir: '..', noEmit: true, isolatedModules: true },
  });
}

// The command-line tool and the jest matchers (`cdk8s-calico/testing`) ship beside the jsii API.
project.addBins({ 'cdk8s-calico': 'lib/cli/main.js' });
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './testing': { types: './lib/testing/index.d.ts', default: './lib/testing/index.js' },
  // The cdk8s validation plugin (cdk8s.yaml `validations`; see docs/plugin.md).
  './plugin': { types: './lib/plugin/index.d.ts', default: './lib/plugin/index.js' },
  './lib/*': './lib/*',
  './package.json': './package.json',
  './.jsii': './.jsii',
});

// Apps need not install cdk8s-plus-33: it is only one of the Services exposeService() accepts.
project.package.addField('peerDependenciesMeta', { 'cdk8s-plus-33': { optional: true } });

// TypeScript's `node10` resolution (the default of `module: CommonJS`, as in cdk8s's app template)
// ignores `exports`; typesVersions gives it the subpath's types.
project.package.addField('typesVersions', { '*': { testing: ['lib/testing/index.d.ts'], plugin: ['lib/plugin/index.d.ts'] } });

// `npm pack` on a fresh clone compiles first, so the tarball always ships lib/.
project.package.setScript('prepack', 'projen compile');

// API.md documents the package's own API; the generated L1 `calico.*` types are documented by their
// .d.ts files (jsii-docgen would otherwise document every submodule).
project.tasks.tryFind('docgen')!.reset('jsii-docgen -o API.md --submodule root');

// unrs-resolver 1.13.0's platform builds are missing from the registry; 1.12.2 installs.
project.package.addPackageResolutions('unrs-resolver@1.12.2');

// jsii 6 on Node 20 prints an end-of-life banner on every call.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// `npm test`: compile (jsii), then jest --ci, then eslint.
project.testTask.prependSpawn(project.compileTask);

// `npm run import`: regenerate src/imports/ from the pinned CRDs in imports/.
const importTask = project.addTask('import', {
  description:
    `Generate typed Calico ${CALICO_VERSION} and network-policy-api ${NETWORK_POLICY_API_VERSION} resources into src/imports/ from the pinned CRDs in imports/`,
});
for (const kind of CALICO_KINDS) {
  importTask.exec(
    `cdk8s import calico-${kind}:=imports/projectcalico.org_${kind}.yaml -l typescript -o src/imports --no-save --no-check-upgrade`,
  );
}
for (const kind of NETWORK_POLICY_API_KINDS) {
  importTask.exec(
    `cdk8s import network-policy-api-${kind}:=imports/policy.networking.k8s.io_${kind}.yaml -l typescript -o src/imports --no-save --no-check-upgrade`,
  );
}
// One barrel per submodule: `calico` (src/imports/index.ts) and `networkPolicyApi`
// (src/imports/network-policy-api.ts).
importTask.exec('node scripts/write-imports-index.js');

// `npm run synth`: the reference platform into dist/*.k8s.yaml.
project.addTask('synth', {
  description: 'Synthesize the reference platform example into dist/*.k8s.yaml',
  env: { TS_NODE_TRANSPILE_ONLY: '1' },
  exec: 'ts-node --project examples/tsconfig.json examples/reference-platform/main.ts',
});

// `npm run bench`: performance benchmark of the analysis engine.
project.addTask('bench', {
  description: 'Benchmark the analysis engine: every scenario with its figures, budgets and ratios (--json for one line per scenario)',
  env: { TS_NODE_TRANSPILE_ONLY: '1' },
  exec: 'ts-node --project bench/tsconfig.json bench/main.ts',
  receiveArgs: true,
});

// imports/ ships: the validation plugin checks Calico objects against the pinned CRDs at synth time.
for (const p of ['/examples/', '/bench/', '/.ci/', '/scripts/']) {
  project.addPackageIgnore(p);
}

project.synth();
