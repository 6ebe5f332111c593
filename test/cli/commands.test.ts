import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Run, run } from './cli-run';
import { RBAC_YAML, SHOP_YAML, STAGED_LOCKDOWN_YAML } from './fixtures';
import { CheckOptions, FlowQuery, MatrixOptions, NetworkModel } from '../../src/analysis';
import { EXIT_DENIED, EXIT_ERROR, EXIT_OK } from '../../src/cli';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-calico-cli-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(relative: string, text: string): string {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** The model's own explanation of a flow, as the CLI must print it. */
function explain(manifests: string[], flow: FlowQuery, options?: CheckOptions): string {
  return `${NetworkModel.fromManifests(manifests.flatMap((text) => parseAllDocuments(text).map((d) => d.toJS()))).check(flow, options).explanation}\n`;
}

/** The model's own Markdown matrix, as the CLI must print it. */
function markdown(manifests: string[], options: MatrixOptions): string {
  return NetworkModel.fromManifests(manifests.flatMap((text) => parseAllDocuments(text).map((d) => d.toJS()))).matrix(options).toMarkdown();
}

function expectError(result: Run, message: string | RegExp): void {
  expect(result.code).toBe(EXIT_ERROR);
  expect(result.out).toBe('');
  if (typeof message === 'string') {
    expect(result.err).toContain(`cdk8s-calico: error: ${message}`);
  } else {
    expect(result.err).toMatch(message);
  }
}

describe('help and usage errors', () => {
  test('--help prints the general usage', () => {
    const result = run(['--help']);
    expect(result).toEqual({ code: EXIT_OK, out: expect.stringContaining('Usage: cdk8s-calico <command> [options]'), err: '' });
    expect(result.out).toMatch(/check[\s\S]*can-i[\s\S]*matrix/);
  });

  test.each([
    [['check', '--help'], 'Usage: cdk8s-calico check --manifests'],
    [['help', 'can-i'], 'Usage: cdk8s-calico can-i --manifests'],
    [['matrix', '-h'], 'Usage: cdk8s-calico matrix --manifests'],
  ])('%j prints the command usage', (argv, heading) => {
    const result = run(argv);
    expect(result.code).toBe(EXIT_OK);
    expect(result.out.startsWith(heading)).toBe(true);
  });

  test('no arguments', () => {
    const result = run([]);
    expectError(result, 'missing command; expected one of check, can-i, who-can, matrix, audit, diff, report');
    expect(result.err).toContain('Run "cdk8s-calico --help" for usage.');
  });

  test('a command usage error points at the command help', () => {
    const result = run(['check', '--manifests', 'x.yaml', '--to', 'a/b']);
    expectError(result, 'check needs --from <from>');
    expect(result.err).toContain('Run "cdk8s-calico check --help" for usage.');
  });
});

describe('check', () => {
  let shop: string;

  beforeEach(() => {
    shop = write('shop.yaml', SHOP_YAML);
  });

  test('allowed: exit 0 and the explanation', () => {
    const result = run(['check', '--manifests', shop, '--from', 'shop/api', '--to', 'shop/db', '--protocol', 'TCP', '--port', '5432']);
    expect(result.code).toBe(EXIT_OK);
    expect(result.err).toBe('');
    expect(result.out).toBe(explain([SHOP_YAML], { from: 'shop/api', to: 'shop/db', protocol: 'TCP', port: 5432 }));
    expect(result.out).toContain('ALLOWED');
  });

  test('denied: exit 1 and the explanation', () => {
    const result = run(['check', '-f', shop, '--from', 'shop/web', '--to', 'shop/db', '--port', '5432']);
    expect(result.code).toBe(EXIT_DENIED);
    expect(result.err).toBe('');
    expect(result.out).toBe(explain([SHOP_YAML], { from: 'shop/web', to: 'shop/db', port: 5432 }));
    expect(result.out).toContain('DENIED');
  });

  test('named port and lower-case protocol', () => {
    const result = run(['check', '-f', shop, '--from', 'shop/web', '--to', 'shop/api', '--protocol', 'tcp', '--port', 'http']);
    expect(result.code).toBe(EXIT_OK);
    expect(result.out).toBe(explain([SHOP_YAML], { from: 'shop/web', to: 'shop/api', protocol: 'tcp', port: 'http' }));
    expect(result.out).toContain('8080');
  });

  test('--include-staged evaluates staged policies', () => {
    const staged = write('staged.yaml', STAGED_LOCKDOWN_YAML);
    const enforced = run(['check', '-f', shop, staged, '--from', 'shop/web', '--to', 'shop/api', '--port', '8080']);
    expect(enforced.code).toBe(EXIT_OK);
    expect(enforced.out).toBe(explain([SHOP_YAML, STAGED_LOCKDOWN_YAML], { from: 'shop/web', to: 'shop/api', port: 8080 }));
    const withStaged = run(['check', '-f', shop, staged, '--from', 'shop/web', '--to', 'shop/api', '--port', '8080', '--include-staged']);
    expect(withStaged.code).toBe(EXIT_DENIED);
    expect(withStaged.out).toBe(explain([SHOP_YAML, STAGED_LOCKDOWN_YAML], { from: 'shop/web', to: 'shop/api', port: 8080 }, { includeStaged: true }));
  });

  test('external address', () => {
    const result = run(['check', '-f', shop, '--from', 'ip:203.0.113.7', '--to', 'shop/db', '--port', '5432']);
    expect(result.code).toBe(EXIT_DENIED);
    expect(result.out).toBe(explain([SHOP_YAML], { from: 'ip:203.0.113.7', to: 'shop/db', port: 5432 }));
  });

  test('manifests from a directory: multi-document YAML, a JSON List, nested folders', () => {
    const [namespace, ...rest] = SHOP_YAML.split('---\n');
    write('tree/00-namespace.yaml', namespace);
    write('tree/pods/pods.yml', rest.slice(0, 3).join('---\n'));
    write('tree/policies/policy.json', JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [{
        apiVersion: 'projectcalico.org/v3',
        kind: 'NetworkPolicy',
        metadata: { name: 'db-from-api', namespace: 'shop' },
        spec: { selector: "app == 'db'", types: ['Ingress'], ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: "app == 'api'" } }] },
      }],
    }));
    write('tree/README.md', '# not a manifest');
    expect(run(['check', '-f', path.join(dir, 'tree'), '--from', 'shop/api', '--to', 'shop/db']).code).toBe(EXIT_OK);
    expect(run(['check', '-f', path.join(dir, 'tree'), '--from', 'shop/web', '--to', 'shop/db']).code).toBe(EXIT_DENIED);
  });

  test('manifests from standard input', () => {
    const result = run(['check', '-f', '-', '--from', 'shop/web', '--to', 'shop/db'], SHOP_YAML);
    expect(result.code).toBe(EXIT_DENIED);
    expect(result.out).toBe(explain([SHOP_YAML], { from: 'shop/web', to: 'shop/db' }));
  });

  describe('errors (exit 2)', () => {
    test('unknown endpoint', () => {
      expectError(run(['check', '-f', shop, '--from', 'shop/wbe', '--to', 'shop/db']),
        'NetworkModel: from: unknown endpoint "shop/wbe"; did you mean');
    });

    test('unknown protocol', () => {
      expectError(run(['check', '-f', shop, '--from', 'shop/web', '--to', 'shop/db', '--protocol', 'HTTP']), /"HTTP" is not a protocol/);
    });

    test('unknown named port', () => {
      expectError(run(['check', '-f', shop, '--from', 'shop/web', '--to', 'shop/db', '--port', 'metrics']),
        /port: shop\/db has no TCP container port named "metrics"/);
    });

    test('bad port argument', () => {
      expectError(run(['check', '-f', shop, '--from', 'shop/web', '--to', 'shop/db', '--port', '70000']),
        '--port must be a port number from 1 to 65535 or a container port name (e.g. http), got "70000"');
    });

    test('missing manifest file', () => {
      const missing = path.join(dir, 'missing.yaml');
      expectError(run(['check', '-f', missing, '--from', 'a/b', '--to', 'c/d']), `cannot read ${missing}: no such file or directory`);
    });

    test('malformed YAML', () => {
      const bad = write('bad.yaml', 'kind: [\n');
      expectError(run(['check', '-f', bad, '--from', 'a/b', '--to', 'c/d']), `${bad}: invalid YAML:`);
    });

    test('a manifest the model rejects', () => {
      const bad = write('bad-policy.yaml', `${SHOP_YAML}---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: broken, namespace: shop }
spec: { selector: "app ==" }
`);
      expectError(run(['check', '-f', bad, '--from', 'shop/web', '--to', 'shop/db']), /NetworkPolicy shop\/broken/);
    });

    test('standard input requested but not available', () => {
      expectError(run(['check', '-f', '-', '--from', 'a/b', '--to', 'c/d']),
        'cannot read manifests from standard input (-): no standard input available');
    });
  });
});

describe('can-i', () => {
  let rbac: string;

  beforeEach(() => {
    rbac = write('rbac.yaml', RBAC_YAML);
  });

  test('yes: exit 0, the reason and the grants', () => {
    const result = run([
      'can-i', 'create', 'globalnetworkpolicies.projectcalico.org', '--tier', 'security',
      '--manifests', rbac, '--as', 'alice', '--as-group', 'security-team',
    ]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.err).toBe('');
    const lines = result.out.split('\n');
    expect(lines[0]).toBe('yes');
    expect(lines[1]).toMatch(/^allowed: tier authorization for tier security: get on tiers 'security' granted by ClusterRole security-calico via ClusterRoleBinding security-team/);
    expect(lines.slice(2)).toEqual(['granted by:', '  - ClusterRole security-calico via ClusterRoleBinding security-team', '']);
  });

  test('no: exit 1 and the reason', () => {
    const result = run(['can-i', 'create', 'globalnetworkpolicies.projectcalico.org', '-f', rbac, '--as', 'alice', '--as-group', 'security-team']);
    expect(result.code).toBe(EXIT_DENIED);
    const lines = result.out.split('\n');
    expect(lines[0]).toBe('no');
    expect(lines[1]).toMatch(/^denied: tier authorization for tier default: missing get on tiers 'default'/);
    expect(lines.slice(2)).toEqual(['']);
  });

  test('the tier comes from --tier (the policy\'s spec.tier), never from the policy name', () => {
    const argv = ['-n', 'be', '-f', rbac, '--as', 'bob', '--as-group', 'security-team'];
    expect(run(['can-i', 'delete', 'networkpolicies.projectcalico.org', 'allow-dns', '--tier', 'security', ...argv]).code).toBe(EXIT_OK);
    expect(run(['can-i', 'delete', 'networkpolicies.projectcalico.org', 'allow-dns', '--tier', 'platform', ...argv]).code).toBe(EXIT_DENIED);
    expect(run(['can-i', 'delete', 'networkpolicies.projectcalico.org', 'security.allow-dns', ...argv]).code).toBe(EXIT_DENIED);
  });

  test('a user without the group is denied', () => {
    const result = run(['can-i', 'get', 'networkpolicies.projectcalico.org', 'security.x', '-n', 'be', '-f', rbac, '--as', 'mallory']);
    expect(result.code).toBe(EXIT_DENIED);
    expect(result.out).toMatch(/^no\ndenied: /);
  });

  test('service account user, core resource, subresource', () => {
    const argv = ['-f', rbac, '--as', 'system:serviceaccount:be:ci'];
    const logs = run(['can-i', 'get', 'pods/log', '-n', 'be', ...argv]);
    expect(logs.code).toBe(EXIT_OK);
    expect(logs.out).toContain('Role pod-reader via RoleBinding be/ci-reads-pods');
    expect(run(['can-i', 'get', 'pods', 'web-0', '-n', 'be', ...argv]).code).toBe(EXIT_OK);
    expect(run(['can-i', 'delete', 'pods', '-n', 'be', ...argv]).code).toBe(EXIT_DENIED);
    expect(run(['can-i', 'get', 'pods', '-n', 'fe', ...argv]).code).toBe(EXIT_DENIED);
    expect(run(['can-i', 'get', 'pods/exec', '-n', 'be', ...argv]).code).toBe(EXIT_DENIED);
  });

  test('manifests from standard input', () => {
    const result = run(['can-i', 'list', 'pods', '-n', 'be', '--as', 'system:serviceaccount:be:ci', '-f', '-'], RBAC_YAML);
    expect(result.code).toBe(EXIT_OK);
  });

  describe('errors (exit 2)', () => {
    test('missing verb and resource', () => {
      expectError(run(['can-i', '--as', 'alice', '-f', rbac]), /can-i needs <verb> <resource> \[name\], got none/);
    });

    test('malformed resource', () => {
      expectError(run(['can-i', 'get', 'pods.', '--as', 'alice', '-f', rbac]), 'resource "pods." is malformed');
    });

    test('a request the model rejects', () => {
      expectError(run(['can-i', 'get', 'networkpolicies.projectcalico.org', '--tier', 'a.b', '--as', 'alice', '-f', rbac]),
        'RbacModel.check: tier "a.b" must not contain "."');
    });

    test('a malformed RBAC object', () => {
      const bad = write('bad-role.yaml', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: { name: r, namespace: be }\nrules: {}\n');
      expectError(run(['can-i', 'get', 'pods', '--as', 'alice', '-f', bad]), 'Role be/r: rules must be an array of policy rules, got an object');
    });

    test('unreadable manifests', () => {
      const empty = path.join(dir, 'empty');
      fs.mkdirSync(empty);
      expectError(run(['can-i', 'get', 'pods', '--as', 'alice', '-f', empty]), `directory ${empty} contains no manifest files`);
    });
  });
});

describe('matrix', () => {
  let shop: string;

  beforeEach(() => {
    shop = write('shop.yaml', SHOP_YAML);
  });

  test('one table per port', () => {
    const result = run(['matrix', '-f', shop, '--port', '5432', '--port', 'UDP/53']);
    expect(result.code).toBe(EXIT_OK);
    expect(result.err).toBe('');
    expect(result.out).toBe(markdown([SHOP_YAML], { ports: [{ port: 5432 }, { protocol: 'UDP', port: 53 }], includeExternal: [], includeStaged: false }));
    expect(result.out).toMatch(/5432[\s\S]*shop\/api[\s\S]*shop\/db[\s\S]*shop\/web[\s\S]*UDP[\s\S]*53/);
  });

  test('without ports: one table for the protocol; selected endpoints and an external address', () => {
    const result = run(['matrix', '-f', shop, '--protocol', 'udp', '--endpoint', 'shop/web', '--endpoint', 'shop/db', '--external', 'ip:203.0.113.7']);
    expect(result.code).toBe(EXIT_OK);
    expect(result.out).toBe(markdown([SHOP_YAML], {
      ports: [{ protocol: 'udp' }], endpoints: ['shop/web', 'shop/db'], includeExternal: ['ip:203.0.113.7'],
    }));
    expect(result.out).not.toContain('shop/api');
  });

  test('--protocol applies to ports without their own protocol', () => {
    const result = run(['matrix', '-f', shop, '--protocol', 'SCTP', '--port', '5432', '--port', 'TCP/http']);
    expect(result.out).toBe(markdown([SHOP_YAML], { ports: [{ protocol: 'SCTP', port: 5432 }, { protocol: 'TCP', port: 'http' }] }));
  });

  test('staged policies', () => {
    const staged = write('staged.yaml', STAGED_LOCKDOWN_YAML);
    const argv = ['matrix', '-f', shop, staged, '--port', '8080', '--endpoint', 'shop/web', '--endpoint', 'shop/api'];
    const options = { ports: [{ port: 8080 }], endpoints: ['shop/web', 'shop/api'] };
    const enforced = run(argv).out;
    const withStaged = run([...argv, '--include-staged']).out;
    expect(enforced).toBe(markdown([SHOP_YAML, STAGED_LOCKDOWN_YAML], options));
    expect(withStaged).toBe(markdown([SHOP_YAML, STAGED_LOCKDOWN_YAML], { ...options, includeStaged: true }));
    expect(withStaged).not.toBe(enforced);
  });

  describe('errors (exit 2)', () => {
    test('unknown endpoint', () => {
      expectError(run(['matrix', '-f', shop, '--endpoint', 'shop/nope']), /unknown endpoint "shop\/nope"/);
    });

    test('bad external address', () => {
      expectError(run(['matrix', '-f', shop, '--external', 'shop/web']), /includeExternal: "shop\/web" is not an external address/);
    });

    test('bad port', () => {
      expectError(run(['matrix', '-f', shop, '--port', '/53']), '--port "/53" has an empty protocol; write [<protocol>/]<port>, e.g. UDP/53');
    });

    test('unknown protocol', () => {
      expectError(run(['matrix', '-f', shop, '--port', 'QUIC/443']), /"QUIC" is not a protocol/);
    });
  });
});
