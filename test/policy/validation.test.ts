import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Cidr,
  cidrContainsCidr,
  fail,
  isDns1123Label,
  isDns1123Subdomain,
  isWholeFamily,
  joinField,
  parseCidr,
  portNameProblem,
  suggestDnsLabel,
} from '../../src/core';
import {
  checkAnnotations,
  checkCidr,
  checkDnsLabel,
  checkDnsSubdomain,
  checkLabels,
  checkLabelValue,
  checkOrder,
  checkPolicyName,
  checkPortName,
  checkQualifiedName,
  checkTierName,
  describeConstruct,
} from '../../src/policy/validation';

const OWNER = 'NetworkPolicy "chart/p"';

describe('error messages', () => {
  test('describeConstruct names the kind and the construct path', () => {
    const chart = Testing.chart();
    const c = new Construct(chart, 'allow-web');
    expect(describeConstruct('NetworkPolicy', c)).toBe(`NetworkPolicy "${c.node.path}"`);
  });

  test('fail names owner and field', () => {
    expect(() => fail(OWNER, 'ingress[0].protocol', 'bad')).toThrow('NetworkPolicy "chart/p": ingress[0].protocol: bad');
    expect(() => fail(OWNER, '', 'bad')).toThrow('NetworkPolicy "chart/p": bad');
  });

  test('joinField', () => {
    expect(joinField('ingress[0]', 'source')).toBe('ingress[0].source');
    expect(joinField('', 'source')).toBe('source');
  });
});

describe('DNS names', () => {
  test('labels', () => {
    expect(isDns1123Label('prod-1')).toBe(true);
    expect(isDns1123Label('a'.repeat(63))).toBe(true);
    expect(isDns1123Label('a'.repeat(64))).toBe(false);
    expect(isDns1123Label('Prod')).toBe(false);
    expect(isDns1123Label('-prod')).toBe(false);
    expect(isDns1123Label('a.b')).toBe(false);
    expect(isDns1123Label('')).toBe(false);
  });

  test('subdomains', () => {
    expect(isDns1123Subdomain('a.b-c.d')).toBe(true);
    expect(isDns1123Subdomain('a..b')).toBe(false);
    expect(isDns1123Subdomain(`${'a'.repeat(63)}.`.repeat(4) + 'a')).toBe(false);
  });

  test('suggestions', () => {
    expect(suggestDnsLabel('My_Namespace!')).toBe('my-namespace');
    expect(suggestDnsLabel('---')).toBe('name');
    expect(suggestDnsLabel('a.b')).toBe('a-b');
  });

  test('checkDnsLabel explains the rule and suggests a name', () => {
    expect(() => checkDnsLabel(OWNER, 'metadata.namespace', 'Prod_NS', 'namespace')).toThrow(
      'NetworkPolicy "chart/p": metadata.namespace: "Prod_NS" is not a valid namespace: use at most 63 lower-case letters, digits and \'-\', ' +
        'starting and ending with a letter or digit; for example "prod-ns"',
    );
    expect(() => checkDnsLabel(OWNER, 'x', 'ok', 'namespace')).not.toThrow();
  });

  test('checkDnsSubdomain', () => {
    expect(() => checkDnsSubdomain(OWNER, 'metadata.name', 'web.example', 'object name')).not.toThrow();
    expect(() => checkDnsSubdomain(OWNER, 'metadata.name', 'Web', 'object name')).toThrow(/"Web" is not a valid object name: use at most 253 characters/);
  });
});

describe('checkPolicyName', () => {
  const NP = 'NetworkPolicy';
  const GNP = 'GlobalNetworkPolicy';

  test('default tier accepts plain names and default.<name>', () => {
    expect(() => checkPolicyName(OWNER, 'metadata.name', 'allow-web', 'default', NP)).not.toThrow();
    expect(() => checkPolicyName(OWNER, 'metadata.name', 'default.allow-web', 'default', GNP)).not.toThrow();
  });

  test('other tiers need the tier prefix', () => {
    expect(() => checkPolicyName(OWNER, 'metadata.name', 'security.allow-dns', 'security', NP)).not.toThrow();
    expect(() => checkPolicyName(OWNER, 'metadata.name', 'allow-dns', 'security', NP)).toThrow(
      'NetworkPolicy "chart/p": metadata.name: "allow-dns" must start with the tier name: use "security.allow-dns"',
    );
  });

  test('a dotted name in the default tier reads as another tier', () => {
    expect(() => checkPolicyName(OWNER, 'metadata.name', 'security.allow', 'default', NP)).toThrow(
      '"security.allow" reads as a policy of tier "security", but the policy is in the default tier: name it "allow" (or "default.allow"), ' +
        "or set tier: Tier.fromName('security')",
    );
  });

  test('names are read as Calico reads them (more than one dot, bad characters)', () => {
    expect(() => checkPolicyName(OWNER, 'metadata.name', 'security.a.b', 'security', GNP)).toThrow(
      /"security.a.b" is not a valid policy name: Calico expects "<name>" or "<tier>.<name>", where each part is a DNS-1123 label .*for example "security-a-b"/,
    );
    expect(() => checkPolicyName(OWNER, 'metadata.name', 'Allow_Web', 'default', NP)).toThrow(/Calico expects "<name>".*for example "allow-web"/);
  });

  test('length and emptiness', () => {
    expect(() => checkPolicyName(OWNER, 'metadata.name', '', 'default', NP)).toThrow(/the policy name is empty/);
    expect(() => checkPolicyName(OWNER, 'metadata.name', `t.${'a'.repeat(252)}`, 't', NP)).toThrow(/is 254 characters long; use at most 253/);
  });
});

describe('tier and port names', () => {
  test('checkTierName: DNS labels, no dots', () => {
    expect(() => checkTierName(OWNER, 'tier', 'security')).not.toThrow();
    expect(() => checkTierName(OWNER, 'tier', 'sec.ops')).toThrow(/NetworkPolicy "chart\/p": tier: "sec.ops" is not a valid tier name: .*\(no dots\); for example "sec-ops"/);
  });

  test('checkPortName: Kubernetes port names', () => {
    expect(() => checkPortName(OWNER, 'port', 'http')).not.toThrow();
    expect(() => checkPortName(OWNER, 'port', 'HTTP')).toThrow('NetworkPolicy "chart/p": port: port name "HTTP" may only contain lower-case letters, digits and \'-\'');
  });
});

describe('labels and annotations', () => {
  test('qualified names', () => {
    expect(() => checkQualifiedName(OWNER, 'metadata.labels', 'app.kubernetes.io/name', 'label key')).not.toThrow();
    expect(() => checkQualifiedName(OWNER, 'metadata.labels', 'a/b/c', 'label key')).toThrow(/use at most one '\/'/);
    expect(() => checkQualifiedName(OWNER, 'metadata.labels', 'Example.com/x', 'label key')).toThrow(/the prefix "Example.com" must be a DNS-1123 subdomain/);
    expect(() => checkQualifiedName(OWNER, 'metadata.labels', 'x'.repeat(64), 'label key')).toThrow(/longer than 63 characters/);
    expect(() => checkQualifiedName(OWNER, 'metadata.labels', '-x', 'label key')).toThrow(/must consist of letters, digits/);
    expect(() => checkQualifiedName(OWNER, 'metadata.labels', '', 'label key')).toThrow(/"" is not a valid label key: it is empty/);
  });

  test('label values', () => {
    expect(() => checkLabels(OWNER, 'metadata.labels', { app: 'web', empty: '' })).not.toThrow();
    expect(() => checkLabels(OWNER, 'metadata.labels', { app: 'web app' })).toThrow(
      /metadata.labels\["app"\]: "web app" is not a valid label value/,
    );
    expect(() => checkLabelValue(OWNER, 'v', 'x'.repeat(64))).toThrow(/at most 63/);
    expect(() => checkLabels(OWNER, 'metadata.labels', undefined)).not.toThrow();
  });

  test('annotations', () => {
    expect(() => checkAnnotations(OWNER, 'metadata', { 'example.com/owner': 'Team A, with spaces' })).not.toThrow();
    expect(() => checkAnnotations(OWNER, 'metadata', { 'bad key': 'x' })).toThrow(/"bad key" is not a valid annotation key/);
    expect(() => checkAnnotations(OWNER, 'metadata', { k: 5 as any })).toThrow(/annotation values must be strings, got 5/);
  });
});

describe('checkOrder', () => {
  test('finite numbers pass', () => {
    expect(() => checkOrder(OWNER, 'order', 100)).not.toThrow();
    expect(() => checkOrder(OWNER, 'order', 10.5)).not.toThrow();
    expect(() => checkOrder(OWNER, 'order', undefined)).not.toThrow();
  });

  test.each([Infinity, NaN, '100' as any])('%p is rejected', (order) => {
    expect(() => checkOrder(OWNER, 'order', order)).toThrow(/order: .* is not a usable order; use a finite number/);
  });
});

describe('portNameProblem', () => {
  test.each(['http', 'http-alt', 'a1', 'abcdefghijklmno'])('%s is a valid port name', (name) => {
    expect(portNameProblem(name)).toBeUndefined();
  });

  test.each([
    ['', /cannot be empty/],
    ['abcdefghijklmnop', /is 16 characters long; port names have at most 15/],
    ['HTTP', /may only contain lower-case letters, digits and '-'/],
    ['web_1', /may only contain/],
    ['8080', /must contain at least one letter/],
    ['-http', /cannot start or end with '-' or contain '--'/],
    ['http-', /cannot start or end/],
    ['ht--tp', /contain '--'/],
  ])('%p is rejected', (name, message) => {
    expect(portNameProblem(name)).toMatch(message);
  });
});

describe('CIDRs (core, as the wrappers read them)', () => {
  const p = (t: string) => parseCidr(t) as Cidr;

  test('IPv4', () => {
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ version: 4, prefix: 8, masked: true, canonical: '10.0.0.0/8', bareAddress: false });
    expect(parseCidr('10.0.0.1/8')).toMatchObject({ masked: false, canonical: '10.0.0.0/8' });
    expect(isWholeFamily(p('0.0.0.0/0'))).toBe(true);
    expect(isWholeFamily(p('10.0.0.0/8'))).toBe(false);
    expect(parseCidr('192.0.2.7')).toMatchObject({ prefix: 32, masked: true, bareAddress: true, canonical: '192.0.2.7/32' });
    // Go's net.ParseCIDR reads the prefix length with dtoi, which takes leading zeros.
    expect(parseCidr('10.0.0.0/08')).toMatchObject({ prefix: 8, canonical: '10.0.0.0/8' });
  });

  test('IPv6', () => {
    expect(parseCidr('fd00::/8')).toMatchObject({ version: 6, prefix: 8, masked: true, canonical: 'fd00::/8' });
    expect(parseCidr('FD00:0:0:0:0:0:0:1/64')).toMatchObject({ masked: false, canonical: 'fd00::/64' });
    expect(parseCidr('::/0')).toMatchObject({ prefix: 0, canonical: '::/0' });
    expect(parseCidr('2001:db8:0:0:1:0:0:1/128')).toMatchObject({ canonical: '2001:db8::1:0:0:1/128' });
    expect(parseCidr('1:0:1:0:1:0:1:0/128')).toMatchObject({ canonical: '1:0:1:0:1:0:1:0/128' });
    expect(parseCidr('::ffff:192.0.2.1/128')).toMatchObject({ version: 6, canonical: '::ffff:c000:201/128' });
    expect(parseCidr('1::/16')).toMatchObject({ canonical: '1::/16' });
  });

  test.each([
    ['', /empty/],
    ['10.0.0/8', /is not an IPv4 or IPv6 address/],
    ['10.0.0.256/8', /not an IPv4 or IPv6 address/],
    ['010.0.0.0/8', /not an IPv4 or IPv6 address/],
    ['10.0.0.0/33', /"\/33" is not a valid prefix length for IPv4; use \/0 to \/32/],
    ['fd00::/129', /use \/0 to \/128/],
    ['fd00::1::2/64', /not an IPv4 or IPv6 address/],
    ['fe80::1%eth0/64', /not an IPv4 or IPv6 address/],
    ['1:2:3:4:5:6:7/64', /not an IPv4 or IPv6 address/],
    ['1:2:3:4:5:6:7:8::/64', /not an IPv4 or IPv6 address/],
    ['12345::/16', /not an IPv4 or IPv6 address/],
    ['::ffff:1.2.3/128', /not an IPv4 or IPv6 address/],
  ])('%p does not parse', (text, reason) => {
    expect(parseCidr(text)).toMatch(reason);
  });

  test('checkCidr in strict mode wants a masked prefix', () => {
    expect(checkCidr(OWNER, 'nets[0]', '10.0.0.0/8', true).canonical).toBe('10.0.0.0/8');
    expect(() => checkCidr(OWNER, 'ingress[0].source.nets[0]', '10.0.0.1/8', true)).toThrow(
      'NetworkPolicy "chart/p": ingress[0].source.nets[0]: "10.0.0.1/8" is not correctly masked (host bits are set): use "10.0.0.0/8" for the network, or "10.0.0.1/32" for the single address',
    );
    expect(() => checkCidr(OWNER, 'n', 'fd00::1/8', true)).toThrow(/use "fd00::\/8" for the network, or "fd00::1\/128" for the single address/);
    expect(() => checkCidr(OWNER, 'n', '10.0.0.1', true)).toThrow('"10.0.0.1" has no prefix length; write "10.0.0.1/32" for this single address');
    expect(() => checkCidr(OWNER, 'n', 'ten', true)).toThrow(/"ten" is not a valid CIDR: "ten" is not an IPv4 or IPv6 address; write a network such as "10.0.0.0\/8"/);
  });

  test('checkCidr in lenient mode accepts bare and unmasked addresses', () => {
    expect(checkCidr(OWNER, 'n', '10.0.0.1', false).bareAddress).toBe(true);
    expect(checkCidr(OWNER, 'n', '10.0.0.1/8', false).masked).toBe(false);
  });

  test('cidrContainsCidr', () => {
    expect(cidrContainsCidr(p('10.0.0.0/8'), p('10.1.0.0/16'))).toBe(true);
    expect(cidrContainsCidr(p('10.0.0.0/8'), p('10.0.0.0/8'))).toBe(true);
    expect(cidrContainsCidr(p('10.0.0.0/8'), p('11.0.0.0/16'))).toBe(false);
    expect(cidrContainsCidr(p('10.1.0.0/16'), p('10.0.0.0/8'))).toBe(false);
    expect(cidrContainsCidr(p('10.0.0.0/8'), p('fd00::/16'))).toBe(false);
    expect(cidrContainsCidr(p('fd00::/8'), p('fd12::/16'))).toBe(true);
    expect(cidrContainsCidr(p('0.0.0.0/0'), p('192.0.2.1/32'))).toBe(true);
  });
});
