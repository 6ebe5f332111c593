/**
 * Argument parsing of every command: what each command line means, and the exact usage error
 * (exit 2, message, pointer at the right --help) for each mistake.
 */
import { parse, run, usageError } from './cli-run';
import { parsePort, parseProtocolPort, parseResource, UsageError } from '../../src/cli';

const GENERAL_POINTER = 'Run "cdk8s-calico --help" for usage.';

describe('help', () => {
  test.each([[['--help']], [['-h']], [['help']], [['-h', 'check', '--bogus']]])('%j prints the general usage', (argv) => {
    const result = run(argv);
    expect(result.code).toBe(0);
    expect(result.err).toBe('');
    expect(result.out.startsWith('Usage: cdk8s-calico <command> [options]\n')).toBe(true);
  });

  test.each(['check', 'can-i', 'matrix'])('%s: "<command> --help", "<command> -h" and "help <command>" print the command usage', (command) => {
    const heading = `Usage: cdk8s-calico ${command} --manifests`;
    for (const argv of [[command, '--help'], [command, '-h'], ['help', command]]) {
      const result = run(argv);
      expect({ argv, code: result.code, err: result.err, heading: result.out.startsWith(heading) })
        .toEqual({ argv, code: 0, err: '', heading: true });
    }
  });

  test('--help wins over missing required options, but not over unknown options', () => {
    expect(run(['check', '--from', 'a/b', '--help']).out).toMatch(/^Usage: cdk8s-calico check /);
    expect(usageError(['check', '--form', 'a/b', '--help']).message).toMatch(/Unknown option '--form'/);
  });

  test('help with an unknown or extra topic is a usage error', () => {
    expect(usageError(['help', 'nope'])).toEqual({
      message: '"help" takes at most one command name (check, can-i, who-can, matrix, audit, diff, report), got "nope"',
      pointer: GENERAL_POINTER,
    });
    expect(usageError(['help', 'check', 'matrix']).message)
      .toBe('"help" takes at most one command name (check, can-i, who-can, matrix, audit, diff, report), got "check" "matrix"');
  });

  test('every usage text names its options', () => {
    expect(run(['--help']).out).toMatch(/check[\s\S]*can-i[\s\S]*matrix/);
    expect(run(['check', '--help']).out).toMatch(/--from[\s\S]*--to[\s\S]*--protocol[\s\S]*--port[\s\S]*--include-staged/);
    expect(run(['can-i', '--help']).out).toMatch(/--as <user>[\s\S]*--as-group[\s\S]*--namespace[\s\S]*--tier/);
    expect(run(['matrix', '--help']).out).toMatch(/--port[\s\S]*--protocol[\s\S]*--endpoint[\s\S]*--external[\s\S]*--include-staged/);
  });
});

describe('commands', () => {
  test('no command', () => {
    expect(usageError([])).toEqual({ message: 'missing command; expected one of check, can-i, who-can, matrix, audit, diff, report', pointer: GENERAL_POINTER });
  });

  test('unknown command', () => {
    expect(usageError(['allow'])).toEqual({
      message: 'unknown command "allow"; expected one of check, can-i, who-can, matrix, audit, diff, report',
      pointer: GENERAL_POINTER,
    });
  });

  test('an option before the command', () => {
    expect(usageError(['--manifests', 'x.yaml', 'check']).message)
      .toBe('expected a command (check, can-i, who-can, matrix, audit, diff, report) before any option, got "--manifests"');
  });

  test('unknown option names the option and points at the command help', () => {
    const error = usageError(['check', '--manifests', 'a.yaml', '--form', 'a/b']);
    expect(error.message).toMatch(/Unknown option '--form'/);
    expect(error.pointer).toBe('Run "cdk8s-calico check --help" for usage.');
  });

  test('an option of another command is unknown', () => {
    expect(usageError(['check', '-f', 'a.yaml', '--as', 'alice']).message).toMatch(/Unknown option '--as'/);
    expect(usageError(['can-i', 'get', 'pods', '-f', 'a.yaml', '--as', 'alice', '--include-staged']).message)
      .toMatch(/Unknown option '--include-staged'/);
  });

  test('missing option value', () => {
    expect(usageError(['check', '-f', 'a.yaml', '--from']).message).toMatch(/Option '--from <value>' argument missing/);
  });

  test.each([
    ['check', ['--from', 'a/b', '--to', 'c/d']],
    ['can-i', ['get', 'pods', '--as', 'alice']],
    ['matrix', []],
  ])('%s without --manifests', (command, rest) => {
    expect(usageError([command, ...rest])).toEqual({
      message: `${command} needs --manifests <path>... (YAML/JSON files, directories, or - for standard input)`,
      pointer: `Run "cdk8s-calico ${command} --help" for usage.`,
    });
  });
});

describe('check', () => {
  test('all options', () => {
    expect(parse('check', [
      '--manifests', 'a.yaml', 'dir', '-', '--from', 'default/a', '--to', 'ip:10.0.0.1',
      '--protocol', 'udp', '--port', '53', '--include-staged',
    ])).toEqual({
      manifests: ['a.yaml', 'dir', '-'],
      from: 'default/a',
      to: 'ip:10.0.0.1',
      protocol: 'udp',
      port: 53,
      includeStaged: true,
      tiers: [],
      output: 'text',
    });
  });

  test('a named port', () => {
    expect(parse('check', ['-f', 'a.yaml', '--from', 'a/b', '--to', 'c/d', '--port', 'http'])).toMatchObject({ port: 'http' });
  });

  test('defaults; -f and --manifests= may be repeated', () => {
    expect(parse('check', ['--from', 'a/b', '-f', 'x.yaml', '--to', 'c/d', '--manifests=y.yaml', 'z.yaml'])).toEqual({
      manifests: ['x.yaml', 'y.yaml', 'z.yaml'],
      from: 'a/b',
      to: 'c/d',
      protocol: undefined,
      port: undefined,
      includeStaged: false,
      tiers: [],
      output: 'text',
    });
  });

  test('missing --from / --to', () => {
    expect(usageError(['check', '-f', 'a.yaml', '--to', 'c/d']).message)
      .toBe('check needs --from <from>: the source endpoint, <namespace>/<name> or ip:<address>');
    expect(usageError(['check', '-f', 'a.yaml', '--from', 'c/d']).message)
      .toBe('check needs --to <to>: the destination endpoint, <namespace>/<name> or ip:<address>');
  });

  test('empty option values', () => {
    expect(usageError(['check', '-f', 'a.yaml', '--from=', '--to', 'c/d']).message).toBe('--from must not be empty');
    expect(usageError(['check', '-f', 'a.yaml', '--from', 'a/b', '--to', 'c/d', '--protocol=']).message).toBe('--protocol must not be empty');
  });

  test.each(['0', '65536', 'HTTP', '8.5', '-1', 'a--b', 'web-', '1-2', 'averyveryverylongname'])('bad --port=%s', (port) => {
    expect(usageError(['check', '-f', 'a.yaml', '--from', 'a/b', '--to', 'c/d', `--port=${port}`]).message)
      .toBe(`--port must be a port number from 1 to 65535 or a container port name (e.g. http), got "${port}"`);
  });

  test('positionals after --  are rejected', () => {
    expect(usageError(['check', '-f', 'a.yaml', '--from', 'a/b', '--to', 'c/d', '--', 'extra']).message)
      .toBe('check takes no positional arguments, got "extra"');
  });
});

describe('can-i', () => {
  test('all options', () => {
    expect(parse('can-i', [
      'create', 'networkpolicies.projectcalico.org', 'security.allow-dns', '--manifests', 'rbac.yaml',
      '--as', 'alice', '--as-group', 'sec', '--as-group', 'ops', '-n', 'be', '--tier', 'security',
    ])).toEqual({
      manifests: ['rbac.yaml'],
      user: 'alice',
      groups: ['sec', 'ops'],
      verb: 'create',
      apiGroup: 'projectcalico.org',
      resource: 'networkpolicies',
      subresource: undefined,
      name: 'security.allow-dns',
      namespace: 'be',
      tier: 'security',
      output: 'text',
    });
  });

  test('verb and resource after another option; service account user; subresource', () => {
    expect(parse('can-i', ['-f', 'a.yaml', 'b.yaml', '--as', 'system:serviceaccount:be:ci', 'get', 'pods/log', '--namespace', 'be']))
      .toEqual({
        manifests: ['a.yaml', 'b.yaml'],
        user: 'system:serviceaccount:be:ci',
        groups: [],
        verb: 'get',
        apiGroup: '',
        resource: 'pods',
        subresource: 'log',
        name: undefined,
        namespace: 'be',
        tier: undefined,
        output: 'text',
      });
  });

  test('verb and resource swallowed by --manifests', () => {
    expect(usageError(['can-i', '--as', 'alice', '--manifests', 'a.yaml', 'create', 'pods']).message)
      .toMatch(/^can-i needs <verb> <resource> \[name\], got none; note that --manifests takes every following argument/);
    expect(usageError(['can-i', 'create', '--as', 'alice', '--manifests', 'a.yaml', 'pods']).message)
      .toMatch(/got only "create"/);
  });

  test('too many positionals', () => {
    expect(usageError(['can-i', 'get', 'pods', 'a', 'b', '-f', 'x.yaml', '--as', 'u']).message)
      .toBe('can-i takes <verb> <resource> [name], got 4 arguments: "get" "pods" "a" "b"');
  });

  test('missing --as', () => {
    expect(usageError(['can-i', 'get', 'pods', '-f', 'x.yaml'])).toEqual({
      message: 'can-i needs --as <as>: the user, e.g. alice or system:serviceaccount:<namespace>:<name>',
      pointer: 'Run "cdk8s-calico can-i --help" for usage.',
    });
  });

  test('empty verb, name and group', () => {
    expect(usageError(['can-i', '', 'pods', '-f', 'x.yaml', '--as', 'u']).message).toBe('can-i: the verb must not be empty, e.g. create');
    expect(usageError(['can-i', 'get', 'pods', '', '-f', 'x.yaml', '--as', 'u']).message).toMatch(/the object name must not be empty/);
    expect(usageError(['can-i', 'get', 'pods', '-f', 'x.yaml', '--as', 'u', '--as-group=']).message).toBe('--as-group must not be empty');
  });

  test('malformed resource', () => {
    expect(usageError(['can-i', 'get', '.apps', '-f', 'x.yaml', '--as', 'u'])).toEqual({
      message: expect.stringMatching(/^resource ".apps" is malformed/),
      pointer: 'Run "cdk8s-calico can-i --help" for usage.',
    });
  });
});

describe('matrix', () => {
  test('all options; ports with and without protocol', () => {
    expect(parse('matrix', [
      '-f', 'a.yaml', '--port', '80', '--port', 'UDP/53', '--port', 'tcp/http', '--protocol', 'sctp', '--include-staged',
      '--endpoint', 'shop/web', '--endpoint', 'shop/db', '--external', 'ip:203.0.113.7',
    ])).toEqual({
      manifests: ['a.yaml'],
      ports: [{ port: 80 }, { protocol: 'UDP', port: 53 }, { protocol: 'tcp', port: 'http' }],
      protocol: 'sctp',
      endpoints: ['shop/web', 'shop/db'],
      external: ['ip:203.0.113.7'],
      includeStaged: true,
      tiers: [],
      output: 'text',
    });
  });

  test('defaults', () => {
    expect(parse('matrix', ['-f', 'a.yaml'])).toEqual({
      manifests: ['a.yaml'], ports: [], protocol: undefined, endpoints: [], external: [], includeStaged: false, tiers: [], output: 'text',
    });
  });

  test('bad ports, empty endpoints, positionals', () => {
    expect(usageError(['matrix', '-f', 'a.yaml', '--port', 'X'])).toEqual({
      message: '--port must be a port number from 1 to 65535 or a container port name (e.g. http), got "X"',
      pointer: 'Run "cdk8s-calico matrix --help" for usage.',
    });
    expect(usageError(['matrix', '-f', 'a.yaml', '--port', 'UDP/0']).message)
      .toBe('--port must be a port number from 1 to 65535 or a container port name (e.g. http), got "0"');
    expect(usageError(['matrix', '-f', 'a.yaml', '--port', '/53']).message)
      .toBe('--port "/53" has an empty protocol; write [<protocol>/]<port>, e.g. UDP/53');
    expect(usageError(['matrix', '-f', 'a.yaml', '--endpoint=']).message).toBe('--endpoint must not be empty');
    expect(usageError(['matrix', '-f', 'a.yaml', '--external=']).message).toBe('--external must not be empty');
    expect(usageError(['matrix', '-f', 'a.yaml', '--include-staged', 'b.yaml']).message).toBe('matrix takes no positional arguments, got "b.yaml"');
  });
});

describe('parseResource', () => {
  test.each([
    ['pods', { apiGroup: '', resource: 'pods' }],
    ['pods/log', { apiGroup: '', resource: 'pods', subresource: 'log' }],
    ['deployments.apps', { apiGroup: 'apps', resource: 'deployments' }],
    ['deployments.apps/scale', { apiGroup: 'apps', resource: 'deployments', subresource: 'scale' }],
    ['networkpolicies.networking.k8s.io', { apiGroup: 'networking.k8s.io', resource: 'networkpolicies' }],
    ['networkpolicies.projectcalico.org', { apiGroup: 'projectcalico.org', resource: 'networkpolicies' }],
    ['globalnetworkpolicies.crd.projectcalico.org', { apiGroup: 'crd.projectcalico.org', resource: 'globalnetworkpolicies' }],
    ['*', { apiGroup: '', resource: '*' }],
    ['*.projectcalico.org', { apiGroup: 'projectcalico.org', resource: '*' }],
    ['networkpolicies', { apiGroup: 'networking.k8s.io', resource: 'networkpolicies' }],
    ['globalnetworkpolicies', { apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies' }],
    ['deployments/scale', { apiGroup: 'apps', resource: 'deployments', subresource: 'scale' }],
    ['clusterroles', { apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles' }],
  ])('%s', (text, expected) => {
    expect(parseResource(text)).toEqual(expected);
  });

  test('a resource that is not well known must name its group', () => {
    expect(() => parseResource('widgets')).toThrow(UsageError);
    expect(() => parseResource('widgets')).toThrow('resource "widgets" is not a well-known resource and has no API group; name its group as kubectl does, e.g. widgets.example.com');
    expect(parseResource('widgets.example.com')).toEqual({ apiGroup: 'example.com', resource: 'widgets' });
  });

  test.each(['', '.apps', 'pods.', 'pods..apps', 'pods.apps.', 'pods/', 'pods/a/b', '/log'])('malformed "%s"', (text) => {
    expect(() => parseResource(text)).toThrow(UsageError);
    expect(() => parseResource(text)).toThrow(`resource "${text}"`);
  });
});

describe('parsePort', () => {
  test('bounds', () => {
    expect(parsePort('1', 'check')).toBe(1);
    expect(parsePort('65535', 'check')).toBe(65535);
    expect(parsePort('http-alt', 'check')).toBe('http-alt');
    expect(parsePort('h2c', 'check')).toBe('h2c');
    expect(() => parsePort('65536', 'matrix')).toThrow('--port must be a port number from 1 to 65535 or a container port name (e.g. http), got "65536"');
  });
});

describe('parseProtocolPort', () => {
  test.each([
    ['443', { port: 443 }],
    ['http', { port: 'http' }],
    ['UDP/53', { protocol: 'UDP', port: 53 }],
    ['17/53', { protocol: '17', port: 53 }],
  ])('%s', (text, expected) => {
    expect(parseProtocolPort(text, 'matrix')).toEqual(expected);
  });

  test('the error names the command it belongs to', () => {
    let error: unknown;
    try {
      parseProtocolPort('/53', 'matrix');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).command).toBe('matrix');
  });
});
