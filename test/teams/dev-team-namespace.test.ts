import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { POD_SECURITY_LABEL_PREFIX, POD_SECURITY_LEVELS } from '../../src/core/pod-security';
import { GlobalNetworkPolicy, NetworkPolicy, Peer, Port, Protocol, RuleAction, Tier } from '../../src/policy';
import { Selector } from '../../src/selector';
import { BaselineGlobalPolicies } from '../../src/teams/baseline-global-policies';
import { DevTeamNamespace, DevTeamNamespaceProps, PodSecurityLevel } from '../../src/teams/dev-team-namespace';
import { MemberServiceAccount } from '../../src/teams/member-service-account';
import { SecurityTeam } from '../../src/teams/security-team';
import { MemberBinding, NamespaceIsolation, TeamPolicyKind } from '../../src/teams/team-options';
import { networkModelOf, rbacModelOf } from '../../src/testing';
import { validateCalicoManifests } from '../policy/crd-schema';
import { findObject, simpleRules, subjectsOf, wildcardProblems } from '../rbac/rbac-manifests';

const MANAGE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const NETWORKS = { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'], nodeCidrs: ['172.16.0.0/24'] };
const PSA = {
  'pod-security.kubernetes.io/enforce': 'baseline',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
};
// Members live in a namespace of their own (test/teams/team-members.test.ts covers it).
const BE_MEMBER = 'system:serviceaccount:be-dev-team-members:be-dev-member';

function setup(props: Partial<DevTeamNamespaceProps> = {}, withSecurity = true) {
  const app = Testing.app();
  const chart = new Chart(app, 'teams');
  const securityTeam = withSecurity ? new SecurityTeam(chart, 'security', { members: ['security-member'] }) : undefined;
  const team = new DevTeamNamespace(chart, 'be', {
    name: 'be-dev-team',
    labels: { team: 'be' },
    members: ['be-dev-member'],
    securityTeam,
    ...props,
  });
  const manifests = () => validateCalicoManifests(Testing.synth(chart));
  const teamObjects = () => manifests().filter((m) => m.metadata.namespace === 'be-dev-team' || m.metadata.name === 'be-dev-team');
  return { app, chart, securityTeam, team, manifests, teamObjects };
}

function frontend(chart: Chart, namespace = 'be-dev-team'): kplus.Service {
  const service = new kplus.Service(chart, 'frontend', {
    metadata: { name: 'frontend', namespace },
    ports: [{ port: 80, targetPort: 8080 }, { port: 53, protocol: kplus.Protocol.UDP }],
  });
  service.selectLabel('app', 'frontend');
  return service;
}

function deployment(chart: Chart, namespace: string, name: string, labels: { [key: string]: string }, port = 8080): kplus.Deployment {
  return new kplus.Deployment(chart, `${namespace}-${name}`, {
    metadata: { name, namespace },
    podMetadata: { labels },
    containers: [{ image: 'registry.example/app:1', portNumber: port }],
  });
}

describe('DevTeamNamespace', () => {
  test('snapshot: the blog\'s backend team, pointing at its peers by name', () => {
    const { team, teamObjects } = setup({ policyName: 'be-security-policy' });
    team.allowIngressFrom(Peer.namespaces('fe'), [Port.tcp(443)]);
    team.allowEgressTo(Peer.namespaces('database'), [Port.tcp(27017)]);
    expect(teamObjects()).toMatchSnapshot();
  });

  test('namespace with labels, member service account, Role and RoleBinding; nothing cluster-scoped', () => {
    const { team, teamObjects } = setup();
    const all = teamObjects();
    expect(team.namespaceName).toBe('be-dev-team');
    expect(team.memberNames).toEqual(['be-dev-member']);
    expect(findObject(all, 'Namespace', 'be-dev-team').metadata).toEqual({ name: 'be-dev-team', labels: { team: 'be', ...PSA } });
    expect(team.teamLabels).toEqual({ team: 'be' });
    // Members live in their own namespace; the team namespace keeps only its tokenless default account.
    const accounts = all.filter((m) => m.kind === 'ServiceAccount' && m.metadata.namespace === 'be-dev-team');
    expect(accounts).toEqual([expect.objectContaining({ metadata: { name: 'default', namespace: 'be-dev-team' }, automountServiceAccountToken: false })]);
    expect(simpleRules(findObject(all, 'Role', 'network-policy-editor', 'be-dev-team'))).toEqual([
      { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: MANAGE },
    ]);
    const binding = findObject(all, 'RoleBinding', 'network-policy-editor', 'be-dev-team');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'network-policy-editor' });
    expect(subjectsOf(binding)).toEqual(['ServiceAccount:be-dev-team-members/be-dev-member']);
    expect(all.map((m) => m.kind)).not.toContain('ClusterRole');
    expect(all.map((m) => m.kind)).not.toContain('ClusterRoleBinding');
    expect(wildcardProblems(all)).toEqual([]);
  });

  test('the namespace group, users and identity-provider groups as subjects', () => {
    const { chart, team } = setup({ memberBinding: MemberBinding.NAMESPACE_GROUP, users: ['carol'], groups: ['oidc:be'] });
    team.addMember('dave');
    expect(subjectsOf(findObject(Testing.synth(chart), 'RoleBinding', 'network-policy-editor', 'be-dev-team'))).toEqual([
      'Group:system:serviceaccounts:be-dev-team-members', 'User:carol', 'Group:oidc:be',
    ]);
  });

  test('addMember() binds by name; token Secrets on request', () => {
    const { chart, team } = setup({ memberTokenSecrets: true });
    const erin = team.addMember('erin');
    expect(erin).toBeInstanceOf(MemberServiceAccount);
    expect(erin.toSubjectConfiguration()).toEqual({ apiGroup: '', kind: 'ServiceAccount', name: 'erin', namespace: 'be-dev-team-members' });
    const all = Testing.synth(chart);
    expect(subjectsOf(findObject(all, 'RoleBinding', 'network-policy-editor', 'be-dev-team'))).toEqual([
      'ServiceAccount:be-dev-team-members/be-dev-member', 'ServiceAccount:be-dev-team-members/erin',
    ]);
    expect(findObject(all, 'Secret', 'erin-token', 'be-dev-team-members').type).toBe('kubernetes.io/service-account-token');
  });

  test('no subjects, no RoleBinding', () => {
    const { manifests } = setup({ members: [] });
    expect(manifests().filter((m) => m.kind === 'RoleBinding')).toEqual([]);
  });

  test('members may manage Kubernetes NetworkPolicies of their namespace only, and no Calico policy', () => {
    const { chart } = setup();
    const model = rbacModelOf(chart);
    for (const verb of MANAGE) {
      expect(model).toPermit({ user: BE_MEMBER, verb, apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'be-dev-team', name: verb === 'create' || verb === 'list' || verb === 'watch' ? undefined : 'x' });
    }
    expect(model).toForbid({ user: BE_MEMBER, verb: 'create', apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'fe' });
    expect(model).toForbid({ user: BE_MEMBER, verb: 'create', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be-dev-team', tier: 'default' });
    expect(model).toForbid({ user: BE_MEMBER, verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'default' });
  });

  test('calicoPolicies: Calico NetworkPolicies in the default tier of the namespace only', () => {
    const { chart, team, manifests } = setup({ calicoPolicies: true });
    expect(team.calicoPolicies).toBe(true);
    const all = manifests();
    expect(simpleRules(findObject(all, 'Role', 'network-policy-editor', 'be-dev-team'))).toEqual([
      { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: MANAGE },
      { apiGroup: 'projectcalico.org', resource: 'networkpolicies', verbs: MANAGE },
      { apiGroup: 'projectcalico.org', resource: 'tier.networkpolicies', resourceNames: ['default.*'], verbs: MANAGE },
    ]);
    // The cluster-scoped half of Calico's tier check belongs to the security team.
    expect(subjectsOf(findObject(all, 'ClusterRoleBinding', 'be-dev-team-calico-tier-default-reader'))).toEqual(['ServiceAccount:be-dev-team-members/be-dev-member']);
    expect(wildcardProblems(all)).toEqual([]);
    const model = rbacModelOf(chart);
    for (const verb of ['create', 'update', 'patch', 'delete']) {
      expect(model).toPermit({ user: BE_MEMBER, verb, apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be-dev-team', tier: 'default', name: verb === 'create' ? undefined : 'default.allow-web' });
    }
    expect(model).toForbid({ user: BE_MEMBER, verb: 'create', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be-dev-team', tier: 'security' });
    expect(model).toForbid({ user: BE_MEMBER, verb: 'create', apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'security', tier: 'default' });
    expect(model).toForbid({ user: BE_MEMBER, verb: 'create', apiGroup: 'projectcalico.org', resource: 'globalnetworkpolicies', tier: 'default' });
    expect(model).toForbid({ user: BE_MEMBER, verb: 'create', apiGroup: 'crd.projectcalico.org', resource: 'networkpolicies', namespace: 'be-dev-team' });
    expect(model).toForbid({ user: BE_MEMBER, verb: 'patch', apiGroup: '', resource: 'serviceaccounts', namespace: 'be-dev-team', name: 'be-dev-member' });
  });

  test('CLOSED (default): closed-namespace lets in the own namespace only', () => {
    const { team, teamObjects } = setup();
    expect(team.isolation).toBe(NamespaceIsolation.CLOSED);
    expect(team.isolationPolicyName).toBe('closed-namespace');
    expect(findObject(teamObjects(), 'NetworkPolicy', 'closed-namespace', 'be-dev-team').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }] }],
    });
  });

  test('OPEN: open-namespace lets in everyone', () => {
    const { team, teamObjects } = setup({ isolation: NamespaceIsolation.OPEN });
    expect(team.isolationPolicyName).toBe('open-namespace');
    expect(findObject(teamObjects(), 'NetworkPolicy', 'open-namespace', 'be-dev-team').spec).toEqual({
      podSelector: {}, policyTypes: ['Ingress'], ingress: [{}],
    });
  });

  test('NONE: no namespace-wide policy', () => {
    const { team, teamObjects } = setup({ isolation: NamespaceIsolation.NONE });
    expect(team.isolationPolicyName).toBeUndefined();
    expect(teamObjects().filter((m) => m.kind === 'NetworkPolicy')).toEqual([]);
  });

  test('the blog\'s be-security-policy, with the own namespace kept reachable on egress', () => {
    const { team, teamObjects } = setup({ policyName: 'be-security-policy' });
    team.allowIngressFrom(Peer.namespaceLabels({ team: 'fe' }), [Port.tcp(443)]);
    team.allowEgressTo(Peer.namespaceLabels({ team: 'database' }), [Port.tcp(27017)]);
    expect(findObject(teamObjects(), 'NetworkPolicy', 'be-security-policy', 'be-dev-team').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'fe' } }, podSelector: {} }], ports: [{ port: 443, protocol: 'TCP' }] }],
      egress: [
        { to: [{ podSelector: {} }] },
        { to: [{ namespaceSelector: { matchLabels: { team: 'database' } }, podSelector: {} }], ports: [{ port: 27017, protocol: 'TCP' }] },
      ],
    });
  });

  test('rules limited to some pods go to a policy of their own, one per selector', () => {
    const { team, teamObjects } = setup();
    const api = Selector.label('app').eq('api');
    team.allowIngressFrom(Peer.namespaceLabels({ team: 'fe' }), [Port.tcp(443)], { pods: api });
    team.allowIngressFrom(Peer.namespaceLabels({ team: 'ops' }), [Port.tcp(8443)], { pods: Selector.label('app').eq('api') });
    team.allowEgressTo(Peer.cidr('203.0.113.0/24'), [Port.tcp(443)], { pods: Selector.all() });
    const policies = teamObjects().filter((m) => m.kind === 'NetworkPolicy' && m.apiVersion === 'networking.k8s.io/v1').map((m) => m.metadata.name);
    expect(policies).toHaveLength(3);
    const limitedName = policies.find((n: string) => /^team-policy-[0-9a-f]{8}$/.test(n));
    expect(policies).toEqual(expect.arrayContaining(['closed-namespace', 'team-policy', limitedName]));
    const limited = findObject(teamObjects(), 'NetworkPolicy', limitedName, 'be-dev-team');
    expect(limited.spec.podSelector).toEqual({ matchLabels: { app: 'api' } });
    expect(limited.spec.ingress).toHaveLength(2);
  });

  test('restrictEgress: only the own namespace (and the baseline) from the start', () => {
    const { teamObjects } = setup({ restrictEgress: true });
    expect(findObject(teamObjects(), 'NetworkPolicy', 'team-policy', 'be-dev-team').spec).toEqual({
      podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }],
    });
  });

  test('Calico policies: the same rules as Calico NetworkPolicies in the default tier', () => {
    const { team, teamObjects } = setup({ policyKind: TeamPolicyKind.CALICO });
    expect(team.policyKind).toBe(TeamPolicyKind.CALICO);
    team.allowIngressFrom(Peer.serviceAccounts('web'), [Port.tcp(443)]);
    team.allowEgressTo(Peer.namespaces('database'), [Port.tcp(27017)]);
    const all = teamObjects();
    expect(findObject(all, 'NetworkPolicy', 'closed-namespace', 'be-dev-team')).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'closed-namespace', namespace: 'be-dev-team' },
      spec: { types: ['Ingress'], ingress: [{ action: 'Allow', source: { selector: 'all()' } }] },
    });
    expect(findObject(all, 'NetworkPolicy', 'team-policy', 'be-dev-team').spec).toEqual({
      types: ['Ingress', 'Egress'],
      ingress: [{ action: 'Allow', protocol: 'TCP', source: { serviceAccounts: { names: ['web'] } }, destination: { ports: [443] } }],
      egress: [
        { action: 'Allow', destination: { selector: 'all()' } },
        { action: 'Allow', protocol: 'TCP', destination: { namespaceSelector: 'projectcalico.org/name == "database"', ports: [27017] } },
      ],
    });
    expect(all.filter((m) => m.apiVersion === 'networking.k8s.io/v1')).toEqual([]);
  });

  describe('exposeService', () => {
    test('opens exactly the target ports of the selected pods, to every pod of the cluster by default', () => {
      const { chart, team, teamObjects } = setup();
      team.exposeService(frontend(chart));
      const ports = [{ port: 8080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }];
      expect(findObject(teamObjects(), 'NetworkPolicy', 'expose-frontend', 'be-dev-team').spec).toEqual({
        podSelector: { matchLabels: { app: 'frontend' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: {}, podSelector: {} }], ports }],
      });
    });

    test('the internet only when asked: Peer.anywhere()', () => {
      const { chart, team, teamObjects } = setup();
      team.exposeService(frontend(chart), { from: Peer.anywhere() });
      const ports = [{ port: 8080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }];
      expect(findObject(teamObjects(), 'NetworkPolicy', 'expose-frontend', 'be-dev-team').spec.ingress).toEqual([
        { from: [{ namespaceSelector: {}, podSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports },
      ]);
    });

    test('Calico semantics: the cluster by default, the internet only with Peer.anywhere()', () => {
      const { chart, team } = setup();
      team.exposeServicePorts({ name: 'web', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
      team.exposeServicePorts({ name: 'public', selector: { app: 'public' }, ports: [{ port: 80, targetPort: 8080 }] }, { from: Peer.anywhere() });
      deployment(chart, 'be-dev-team', 'web', { app: 'web' });
      deployment(chart, 'be-dev-team', 'public', { app: 'public' });
      deployment(chart, 'elsewhere', 'client', { app: 'client' });
      const model = networkModelOf(chart);
      expect(model).toAllow({ from: 'elsewhere/client', to: 'be-dev-team/web', port: 8080 });
      expect(model).toDeny({ from: 'ip:198.51.100.7', to: 'be-dev-team/web', port: 8080 });
      expect(model).toDeny({ from: 'ip:2001:db8::7', to: 'be-dev-team/web', port: 8080 });
      expect(model).toAllow({ from: 'ip:198.51.100.7', to: 'be-dev-team/public', port: 8080 });
      expect(model).toAllow({ from: 'ip:2001:db8::7', to: 'be-dev-team/public', port: 8080 });
    });

    test('to chosen peers, as Calico policy (one rule per protocol), more peers later', () => {
      const { chart, team, teamObjects } = setup({ policyKind: TeamPolicyKind.CALICO });
      const service = frontend(chart);
      team.exposeService(service, { from: Peer.namespaceLabels({ team: 'fe' }) });
      team.exposeService(service, { from: Peer.cidr('198.51.100.0/24') });
      expect(findObject(teamObjects(), 'NetworkPolicy', 'expose-frontend', 'be-dev-team').spec).toEqual({
        selector: 'app == "frontend"',
        types: ['Ingress'],
        ingress: [
          { action: 'Allow', protocol: 'TCP', source: { namespaceSelector: 'team == "fe"' }, destination: { ports: [8080] } },
          { action: 'Allow', protocol: 'UDP', source: { namespaceSelector: 'team == "fe"' }, destination: { ports: [53] } },
          { action: 'Allow', protocol: 'TCP', source: { nets: ['198.51.100.0/24'] }, destination: { ports: [8080] } },
          { action: 'Allow', protocol: 'UDP', source: { nets: ['198.51.100.0/24'] }, destination: { ports: [53] } },
        ],
      });
    });

    test('a Service of any cdk8s-plus major (here 33), a KubeService or a raw ApiObject of kind Service: read from what it synthesizes', () => {
      const { chart, team, teamObjects } = setup({ policyKind: TeamPolicyKind.CALICO });
      // cdk8s-plus-33 renders its spec lazily; the selector added after construction is read too.
      const plus33 = new kplus33.Service(chart, 'plus33', {
        metadata: { name: 'web33', namespace: 'be-dev-team' },
        ports: [{ name: 'http', port: 80, targetPort: 8080 }, { port: 53, protocol: kplus33.Protocol.UDP }],
      });
      plus33.selectLabel('app', 'web33');
      team.exposeService(plus33);
      // A Deployment's own service, whose selector cdk8s-plus-33 derives from the Deployment.
      const api = new kplus33.Deployment(chart, 'api33', {
        metadata: { namespace: 'be-dev-team' },
        podMetadata: { labels: { app: 'api33' } },
        containers: [{ image: 'registry.example/api:1', portNumber: 9000 }],
      });
      const apiService = api.exposeViaService({ name: 'api33' });
      team.exposeService(apiService);
      team.exposeService(new kplus.k8s.KubeService(chart, 'l1', {
        metadata: { name: 'l1', namespace: 'be-dev-team' },
        spec: { selector: { app: 'l1' }, ports: [{ port: 443, targetPort: kplus.k8s.IntOrString.fromString('https') }] },
      }));
      team.exposeService(new ApiObject(chart, 'raw', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'raw', namespace: 'be-dev-team' },
        spec: { selector: { app: 'raw' }, ports: [{ port: 5432, protocol: 'TCP' }, { port: 5433, targetPort: 6000, protocol: 'SCTP' }] },
      }));
      const all = teamObjects();
      const ingress = (name: string) => findObject(all, 'NetworkPolicy', `expose-${name}`, 'be-dev-team').spec;
      const anyPod = { namespaceSelector: 'all()' };
      expect(ingress('web33')).toEqual({
        selector: 'app == "web33"',
        types: ['Ingress'],
        ingress: [
          { action: 'Allow', protocol: 'TCP', source: anyPod, destination: { ports: [8080] } },
          { action: 'Allow', protocol: 'UDP', source: anyPod, destination: { ports: [53] } },
        ],
      });
      expect(ingress('api33').selector).toMatch(/^cdk8s\.io\/metadata\.addr == "/);
      expect(ingress('api33').ingress).toEqual([{ action: 'Allow', protocol: 'TCP', source: anyPod, destination: { ports: [9000] } }]);
      expect(ingress('l1').ingress).toEqual([{ action: 'Allow', protocol: 'TCP', source: anyPod, destination: { ports: ['https'] } }]);
      expect(ingress('raw').ingress).toEqual([
        { action: 'Allow', protocol: 'TCP', source: anyPod, destination: { ports: [5432] } },
        { action: 'Allow', protocol: 'SCTP', source: anyPod, destination: { ports: [6000] } },
      ]);
    });

    test('Calico semantics of a cdk8s-plus-33 Service: the cluster reaches its pods on the target port only', () => {
      const { chart, team } = setup();
      const web = new kplus33.Deployment(chart, 'web33', {
        metadata: { name: 'web', namespace: 'be-dev-team' },
        podMetadata: { labels: { app: 'web' } },
        containers: [{ image: 'registry.example/web:1', portNumber: 8080 }],
      });
      team.exposeService(web.exposeViaService({ name: 'web', ports: [{ port: 80, targetPort: 8080 }] }));
      deployment(chart, 'elsewhere', 'client', { app: 'client' });
      const model = networkModelOf(chart);
      expect(model).toAllow({ from: 'elsewhere/client', to: 'be-dev-team/web', port: 8080 });
      expect(model).toDeny({ from: 'elsewhere/client', to: 'be-dev-team/web', port: 9090 });
      expect(model).toDeny({ from: 'ip:198.51.100.7', to: 'be-dev-team/web', port: 8080 });
    });

    test('exposeServicePorts(): a service described by name, selector and ports (named target ports in Calico)', () => {
      const { team, teamObjects } = setup({ policyKind: TeamPolicyKind.CALICO });
      team.exposeServicePorts({
        name: 'grpc',
        selector: { app: 'grpc' },
        ports: [{ port: 443, targetPortName: 'grpc' }, { port: 9000, targetPort: 9001, protocol: Protocol.SCTP }, { port: 5353, protocol: Protocol.UDP, targetPortName: 'mdns' }],
      });
      const anyNamespace = { namespaceSelector: 'all()' };
      expect(findObject(teamObjects(), 'NetworkPolicy', 'expose-grpc', 'be-dev-team').spec.ingress).toEqual([
        { action: 'Allow', protocol: 'TCP', source: anyNamespace, destination: { ports: ['grpc'] } },
        { action: 'Allow', protocol: 'SCTP', source: anyNamespace, destination: { ports: [9001] } },
        { action: 'Allow', protocol: 'UDP', source: anyNamespace, destination: { ports: ['mdns'] } },
      ]);
    });

    test('refusals', () => {
      const { chart, team } = setup();
      const owner = 'DevTeamNamespace "teams/be"';
      expect(() => team.exposeService(frontend(chart, 'other'))).toThrow(
        `${owner}: exposeService(): the Service "frontend" is in namespace other, not be-dev-team; create it with metadata.namespace: 'be-dev-team'`,
      );
      const nowhere = new kplus.Service(chart, 'nowhere', { metadata: { name: 'nowhere' }, ports: [{ port: 80 }] });
      expect(() => team.exposeService(nowhere)).toThrow(
        `${owner}: exposeService(): the Service "nowhere" is in namespace (none: the kubectl default), not be-dev-team; create it with metadata.namespace: 'be-dev-team'`,
      );
      const bare = new kplus.Service(chart, 'bare', { metadata: { name: 'bare', namespace: 'be-dev-team' }, ports: [{ port: 80 }] });
      expect(() => team.exposeService(bare)).toThrow(`${owner}: exposeService().selector: the service "bare" selects no pods`);
      const expected = 'give a cdk8s-plus Service (cdk8s-plus-27 or later), a KubeService or an ApiObject of kind Service; describe other services with exposeServicePorts()';
      expect(() => team.exposeService({} as any)).toThrow(`${owner}: exposeService(): {} is not a construct; ${expected}`);
      expect(() => team.exposeService(undefined as any)).toThrow(`${owner}: exposeService(): undefined is not a construct; ${expected}`);
      expect(() => team.exposeService(new Construct(chart, 'empty'))).toThrow(`${owner}: exposeService(): construct teams/empty synthesizes no Kubernetes object; ${expected}`);
      const pods = deployment(chart, 'be-dev-team', 'web', { app: 'web' });
      expect(() => team.exposeService(pods)).toThrow(`${owner}: exposeService(): teams/be-dev-team-web/Resource synthesizes a apps/v1 Deployment, not a v1 Service; ${expected}`);
      const knative = new ApiObject(chart, 'knative', { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'kn', namespace: 'be-dev-team' } });
      expect(() => team.exposeService(knative)).toThrow(`${owner}: exposeService(): teams/knative synthesizes a serving.knative.dev/v1 Service, not a v1 Service; ${expected}`);
      const sctpLike = new ApiObject(chart, 'odd', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'odd', namespace: 'be-dev-team' },
        spec: { selector: { app: 'odd' }, ports: [{ port: 80, protocol: 'HTTP' }] },
      });
      expect(() => team.exposeService(sctpLike)).toThrow(`${owner}: exposeService().ports: the Service "odd" has a port of protocol "HTTP"; a Service port is TCP, UDP or SCTP`);
      expect(() => team.exposeServicePorts({ name: 'x', selector: { app: 'x' }, ports: [] })).toThrow(`${owner}: exposeServicePorts().ports: the service "x" has no ports; give at least one`);
      expect(() => team.exposeServicePorts({ name: 'X', selector: { app: 'x' }, ports: [{ port: 1 }] })).toThrow(/exposeServicePorts\(\).name: "X" is not a valid service name/);
      expect(() => team.exposeServicePorts(null as any)).toThrow(`${owner}: exposeServicePorts(): expects { name, selector, ports }`);
      expect(() => team.exposeServicePorts({ name: 'x', selector: { app: 'x' }, ports: [{ port: 0 }] })).toThrow(`${owner}: exposeServicePorts().ports[0].port: 0 is not a valid port number; use an integer from 1 to 65535`);
      expect(() => team.exposeServicePorts({ name: 'x', selector: { app: 'x' }, ports: [{ port: 1, targetPort: 70000 }] })).toThrow(`${owner}: exposeServicePorts().ports[0].targetPort: 70000 is not a valid port number; use an integer from 1 to 65535`);
      expect(() => team.exposeServicePorts({ name: 'x', selector: { app: 'x' }, ports: [{ port: 1, targetPortName: 'HTTP' }] })).toThrow(
        `${owner}: exposeServicePorts().ports[0].targetPortName: port name "HTTP" may only contain lower-case letters, digits and '-'`,
      );
      expect(() => team.exposeServicePorts({ name: 'x', selector: { app: 'x' }, ports: [{ port: 1, targetPort: 2, targetPortName: 'h' }] })).toThrow(/ports\[0\]: give targetPort or targetPortName, not both/);
      expect(() => team.exposeServicePorts({ name: 'x', selector: { app: 'x' }, ports: [{ port: 1, protocol: Protocol.ICMP }] })).toThrow(/ports\[0\].protocol: ICMP is not a service protocol/);
      expect(() => team.exposeServicePorts({ name: 'x', selector: { app: 'x' }, ports: [null as any] })).toThrow(/ports\[0\]: expects \{ port, targetPort\?, targetPortName\?, protocol\? \}/);
      expect(() => team.exposeServicePorts({ name: 'x', selector: { app: 'x' }, ports: [{ port: 1, targetPortName: 'http' }] })).toThrow(
        /exposeServicePorts\(\).ports\[0\]: named port "http" is not supported in the team's Kubernetes NetworkPolicies/,
      );
      team.exposeServicePorts({ name: 'y', selector: { app: 'y' }, ports: [{ port: 1 }] });
      expect(() => team.exposeServicePorts({ name: 'y', selector: { app: 'z' }, ports: [{ port: 1 }] })).toThrow(
        `${owner}: exposeServicePorts().selector: the service "y" was exposed before with the selector "app == "y""; expose each service with one selector`,
      );
    });

    test('only in a CLOSED namespace', () => {
      for (const isolation of [NamespaceIsolation.OPEN, NamespaceIsolation.NONE]) {
        const { team } = setup({ isolation });
        expect(() => team.exposeServicePorts({ name: 'x', selector: { app: 'x' }, ports: [{ port: 80 }] })).toThrow(
          `DevTeamNamespace "teams/be": exposeServicePorts(): namespace be-dev-team is ${isolation.toUpperCase()}: exposing a service opens it in a CLOSED namespace; use isolation: NamespaceIsolation.CLOSED`,
        );
      }
    });
  });

  test('addCalicoPolicy(): the team\'s own Calico policy, default tier and own namespace only', () => {
    const { team, teamObjects } = setup({ calicoPolicies: true });
    const policy = team.addCalicoPolicy('deny-legacy', {
      metadata: { name: 'deny-legacy' },
      order: 10,
      ingress: [{ action: RuleAction.DENY, source: { nets: ['10.99.0.0/16'] } }],
    });
    expect(policy.namespace).toBe('be-dev-team');
    expect(policy.tierName).toBe('default');
    expect(team.addCalicoPolicy('explicit-default', { tier: Tier.DEFAULT, metadata: { name: 'x', namespace: 'be-dev-team' } }).name).toBe('x');
    expect(findObject(teamObjects(), 'NetworkPolicy', 'deny-legacy', 'be-dev-team').spec).toEqual({
      order: 10, types: ['Ingress'], ingress: [{ action: 'Deny', source: { nets: ['10.99.0.0/16'] } }],
    });
    expect(() => team.addCalicoPolicy('sneaky', { tier: Tier.fromName('security') })).toThrow(
      'DevTeamNamespace "teams/be": addCalicoPolicy("sneaky").tier: a development team writes policies in the "default" tier only, not "security"; the security team owns the tiers before it',
    );
    expect(() => team.addCalicoPolicy('elsewhere', { metadata: { namespace: 'fe' } })).toThrow(
      'DevTeamNamespace "teams/be": addCalicoPolicy("elsewhere").metadata.namespace: the team may only write policies in its namespace be-dev-team, not fe',
    );
  });

  describe('boundary checks at synthesis', () => {
    test('a clean team validates', () => {
      const { app, team } = setup({ calicoPolicies: true });
      team.addCalicoPolicy('p');
      expect(team.node.validate()).toEqual([]);
      expect(() => app.synth()).not.toThrow();
    });

    test('refuses cluster-scoped objects, other namespaces and other tiers', () => {
      const { app, team } = setup();
      new GlobalNetworkPolicy(team, 'global', { metadata: { name: 'global' } });
      new kplus.ServiceAccount(team, 'foreign', { metadata: { name: 'foreign', namespace: 'kube-system' } });
      new NetworkPolicy(team, 'tiered', { tier: Tier.fromName('security'), metadata: { name: 'x', namespace: 'be-dev-team' } });
      // The same written as a raw object: the tier is read from the manifest.
      new ApiObject(team, 'raw', { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'security.y', namespace: 'be-dev-team' }, spec: { tier: 'security' } });
      const errors = team.node.validate();
      expect(errors).toEqual([
        'DevTeamNamespace "teams/be": teams/be/global: GlobalNetworkPolicy "global" is cluster-scoped; a development team creates objects in namespace be-dev-team only',
        'DevTeamNamespace "teams/be": teams/be/foreign/Resource: ServiceAccount "foreign" is in namespace kube-system; a development team creates objects in namespace be-dev-team only',
        'DevTeamNamespace "teams/be": teams/be/tiered: Calico policy in tier "security"; a development team writes policies in the "default" tier only',
        'DevTeamNamespace "teams/be": teams/be/raw: NetworkPolicy "security.y" is in tier "security"; a development team writes policies in the "default" tier only',
      ]);
      expect(() => app.synth()).toThrow(/GlobalNetworkPolicy "global" is cluster-scoped/);
    });

    test('a JSON patch after a check is caught at the next one: the manifest decides (tier, namespace)', () => {
      const { team } = setup();
      const policy = new NetworkPolicy(team, 'patched', { metadata: { name: 'p', namespace: 'be-dev-team' } });
      expect(team.node.validate()).toEqual([]);
      policy.addJsonPatch(JsonPatch.add('/spec/tier', 'security'));
      expect(team.node.validate()).toEqual([
        'DevTeamNamespace "teams/be": teams/be/patched: NetworkPolicy "p" is in tier "security"; a development team writes policies in the "default" tier only',
      ]);
      // A patch that moves an object out of the namespace, after a check, is caught at the next one.
      const account = new ApiObject(team, 'moved', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'moved', namespace: 'be-dev-team' } });
      expect(team.node.validate()).toHaveLength(1);
      account.addJsonPatch(JsonPatch.replace('/metadata/namespace', 'kube-system'));
      expect(team.node.validate()).toEqual([
        'DevTeamNamespace "teams/be": teams/be/patched: NetworkPolicy "p" is in tier "security"; a development team writes policies in the "default" tier only',
        'DevTeamNamespace "teams/be": teams/be/moved: ServiceAccount "moved" is in namespace kube-system; a development team creates objects in namespace be-dev-team only',
      ]);
      // An object added after a check is checked too.
      new ApiObject(team, 'late', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'kube-system' } });
      expect(team.node.validate()).toHaveLength(3);
    });
  });

  describe('object order', () => {
    /** `kind/namespace/name` of the manifests, in the order cdk8s writes them. */
    const order = (chart: Chart) => Testing.synth(chart).map((m) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`);

    /** A full team, after an object `early` created first (a user's object, say). */
    function fullTeam() {
      const chart = new Chart(Testing.app(), 'teams');
      const early = new ApiObject(chart, 'early', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'early', namespace: 'elsewhere' } });
      const securityTeam = new SecurityTeam(chart, 'security', { members: ['security-member'] });
      const team = new DevTeamNamespace(chart, 'be', {
        name: 'be-dev-team', members: ['be-dev-member'], securityTeam, calicoPolicies: true, resourceQuota: {}, limitRange: {}, memberTokenSecrets: true,
      });
      team.allowEgressTo(Peer.namespaces('database'), [Port.tcp(5432)]);
      team.allowIngressFrom(Peer.namespaces('fe'), [Port.tcp(443)], { pods: Selector.label('app').eq('api') });
      team.exposeServicePorts({ name: 'web', selector: { app: 'web' }, ports: [{ port: 80 }] });
      team.addCalicoPolicy('own', { metadata: { name: 'own' } });
      team.addMember('erin');
      const objects = team.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && c.kind !== 'Namespace');
      return { chart, early, team, objects };
    }

    test('each Namespace comes before every object in it, even one that an earlier object depends on', () => {
      const count = fullTeam().objects.length;
      expect(count).toBeGreaterThan(15);
      for (let k = 0; k < count; k++) {
        // The early object depends on the k-th team object only, so cdk8s writes that one as early as it can.
        const { chart, early, objects } = fullTeam();
        const obj = objects[k];
        early.addDependency(obj);
        const written = order(chart);
        const entry = `${obj.kind}/${obj.metadata.namespace}/${obj.name}`;
        expect([entry, written.indexOf(entry) > written.indexOf(`Namespace//${obj.metadata.namespace}`)]).toEqual([entry, true]);
      }
    });

    test('an object that depends on the Namespace leaves the team\'s objects after it', () => {
      const { chart, team } = fullTeam();
      new ApiObject(chart, 'late', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'be-dev-team' } }).addDependency(team.namespace);
      const written = order(chart);
      const first = written.indexOf('Namespace//be-dev-team');
      const inside = written.filter((entry) => entry.split('/')[1] === 'be-dev-team');
      expect(inside.length).toBeGreaterThan(10);
      expect(inside.filter((entry) => written.indexOf(entry) < first)).toEqual([]);
    });
  });

  describe('a namespace a platform team accepts', () => {
    test('Pod Security Admission: enforce baseline by default (no host network), restricted on request; audit and warn restricted', () => {
      const { team } = setup();
      expect(team.podSecurity).toBe(PodSecurityLevel.BASELINE);
      for (const level of [PodSecurityLevel.RESTRICTED, PodSecurityLevel.PRIVILEGED]) {
        const { team: other, teamObjects } = setup({ podSecurity: level });
        expect(other.podSecurity).toBe(level);
        expect(findObject(teamObjects(), 'Namespace', 'be-dev-team').metadata.labels).toEqual({ 'team': 'be', ...PSA, 'pod-security.kubernetes.io/enforce': level });
      }
      expect(() => setup({ podSecurity: 'strict' as PodSecurityLevel })).toThrow(
        'DevTeamNamespace "teams/be": podSecurity: "strict" is not a PodSecurityLevel; use one of PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED',
      );
    });

    test('PodSecurityLevel names exactly the levels core writes labels for (one home for Pod Security facts)', () => {
      expect(Object.values(PodSecurityLevel)).toEqual(POD_SECURITY_LEVELS);
      expect(POD_SECURITY_LABEL_PREFIX).toBe('pod-security.kubernetes.io/');
    });

    test.each([
      [{ 'pod-security.kubernetes.io/enforce': 'privileged' }, 'labels.pod-security.kubernetes.io/enforce: Pod Security Admission labels come from podSecurity'],
      [{ 'kubernetes.io/metadata.name': 'fe' }, 'labels.kubernetes.io/metadata.name: Kubernetes and Calico set this label from the namespace name; leave it out'],
      [{ 'projectcalico.org/name': 'fe' }, 'labels.projectcalico.org/name: Kubernetes and Calico set this label from the namespace name; leave it out'],
    ])('refuses labels %j', (labels, message) => {
      expect(() => setup({ labels })).toThrow(`DevTeamNamespace "teams/be": ${message}`);
    });

    test('the default service account mounts no token', () => {
      const { teamObjects } = setup();
      expect(findObject(teamObjects(), 'ServiceAccount', 'default', 'be-dev-team')).toEqual({
        apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'be-dev-team' }, automountServiceAccountToken: false,
      });
    });

    test('ResourceQuota and LimitRange: off unless asked, sensible defaults, each field adjustable', () => {
      expect(setup().teamObjects().map((m) => m.kind)).not.toEqual(expect.arrayContaining(['ResourceQuota']));
      expect(setup().teamObjects().map((m) => m.kind)).not.toEqual(expect.arrayContaining(['LimitRange']));
      const { teamObjects } = setup({ resourceQuota: {}, limitRange: {} });
      expect(findObject(teamObjects(), 'ResourceQuota', 'team-quota', 'be-dev-team').spec).toEqual({
        hard: {
          'pods': '50',
          'requests.cpu': '8',
          'requests.memory': '16Gi',
          'limits.cpu': '16',
          'limits.memory': '32Gi',
          'services': '20',
          'services.loadbalancers': '0',
          'services.nodeports': '0',
          'persistentvolumeclaims': '10',
        },
      });
      expect(findObject(teamObjects(), 'LimitRange', 'team-limits', 'be-dev-team').spec).toEqual({
        limits: [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '500m', memory: '512Mi' } }],
      });
      const custom = setup({ resourceQuota: { pods: 5, limitsMemory: '8Gi', loadBalancers: 1 }, limitRange: { defaultCpuLimit: '1', defaultMemoryRequest: '0.5Gi' } }).teamObjects();
      expect(findObject(custom, 'ResourceQuota', 'team-quota', 'be-dev-team').spec.hard).toMatchObject({ 'pods': '5', 'limits.memory': '8Gi', 'services.loadbalancers': '1' });
      expect(findObject(custom, 'LimitRange', 'team-limits', 'be-dev-team').spec.limits[0]).toMatchObject({ defaultRequest: { memory: '0.5Gi' }, default: { cpu: '1' } });
    });

    test.each([
      [{ resourceQuota: { pods: -1 } }, 'resourceQuota.pods: -1 is not a count; use a whole number, 0 or more'],
      [{ resourceQuota: { services: 1.5 } }, 'resourceQuota.services: 1.5 is not a count'],
      [{ resourceQuota: { requestsCpu: '2 cores' } }, 'resourceQuota.requestsCpu: "2 cores" is not a Kubernetes quantity; write e.g. "500m" or "2" (CPU), "512Mi" or "4Gi" (memory)'],
      [{ resourceQuota: 'big' as any }, 'resourceQuota: expects an object, e.g. {} for the defaults or { pods: 20 }'],
      [{ limitRange: { defaultMemoryLimit: '-1Gi' } }, 'limitRange.defaultMemoryLimit: "-1Gi" is not a Kubernetes quantity'],
      [{ limitRange: { defaultCpuRequest: '2' } }, 'limitRange.defaultCpuRequest: 2 is more than the default limit 500m; Kubernetes refuses a container whose request exceeds its limit'],
      [{ limitRange: { defaultMemoryRequest: '1Gi', defaultMemoryLimit: '1000Mi' } }, 'limitRange.defaultMemoryRequest: 1Gi is more than the default limit 1000Mi'],
      [{ limitRange: null as any }, 'limitRange: expects an object'],
    ])('refuses %j', (props, message) => {
      expect(() => setup(props as Partial<DevTeamNamespaceProps>)).toThrow(`DevTeamNamespace "teams/be": ${message}`);
    });
  });

  describe('names and identities that belong to someone else (checked at synthesis)', () => {
    function two(first: Partial<DevTeamNamespaceProps>, second: Partial<DevTeamNamespaceProps>) {
      const app = Testing.app();
      const chart = new Chart(app, 'teams');
      const a = new DevTeamNamespace(chart, 'a', { name: 'a', ...first });
      const b = new DevTeamNamespace(chart, 'b', { name: 'b', ...second });
      return { app, chart, a, b };
    }

    const appErrors = (app: Construct): string[] => app.node.findAll().flatMap((c) => c.node.validate());

    test('a second namespace of the same name: one error at synthesis, naming both teams (not every object they share)', () => {
      const { app, a, b } = two({ name: 'be-dev-team', members: ['alice'] }, { name: 'be-dev-team', members: ['alice'] });
      expect(a.node.validate()).toEqual([]);
      expect(b.node.validate()).toEqual([]);
      expect(appErrors(app)).toEqual([
        'DevTeamNamespace "teams/b": name: namespace "be-dev-team" is already the namespace of DevTeamNamespace "teams/a"; each team gets a namespace of its own',
      ]);
      expect(() => app.synth()).toThrow(/is already the namespace of DevTeamNamespace "teams\/a"/);
    });

    test('a second team labelled team: be, unless the key is not an identity label', () => {
      const { app } = two({ labels: { team: 'be', env: 'prod' } }, { labels: { team: 'be', env: 'prod' } });
      expect(appErrors(app)).toEqual([
        'DevTeamNamespace "teams/b": labels.team: "be" already identifies DevTeamNamespace "teams/a" (namespace a); ' +
          "give each team its own team value, and point at other teams by name (Peer.namespaces('a'))",
      ]);
      expect(appErrors(two({ labels: { env: 'prod' } }, { labels: { env: 'prod' } }).app)).toEqual([]);
      expect(appErrors(two({ labels: { team: 'be' }, identityLabels: [] }, { labels: { team: 'be' }, identityLabels: [] }).app)).toEqual([]);
      // Whichever of the two declares the key an identity.
      expect(appErrors(two({ labels: { owner: 'x' } }, { labels: { owner: 'x' }, identityLabels: ['owner'] }).app)).toHaveLength(1);
      expect(appErrors(two({ labels: { owner: 'x' }, identityLabels: ['owner'] }, { labels: { owner: 'x' } }).app)).toHaveLength(1);
      expect(() => setup({ identityLabels: ['not a key'] })).toThrow(/^DevTeamNamespace "teams\/be": identityLabels\[0\]: /);
      expect(() => setup({ identityLabels: 'team' as any })).toThrow('DevTeamNamespace "teams/be": identityLabels: "team" is not a list of label keys; e.g. [\'team\']');
    });

    test('the namespaces the baseline trusts (metrics collector, DNS) or leaves alone', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'teams');
      new BaselineGlobalPolicies(chart, 'baseline', { clusterNetworks: NETWORKS, excludedNamespaces: ['kube-system', 'ingress'] });
      const monitoring = new DevTeamNamespace(chart, 'monitoring', { name: 'monitoring' });
      const ingress = new DevTeamNamespace(chart, 'ingress', { name: 'ingress' });
      expect(monitoring.node.validate()).toEqual([
        'DevTeamNamespace "teams/monitoring": name: "monitoring" is the namespace of a workload that BaselineGlobalPolicies "teams/baseline" trusts (the metrics collector or the DNS); ' +
          "a team owning it could run pods that get the baseline's final Allow; give the team a namespace of its own",
      ]);
      expect(ingress.node.validate()).toEqual([
        'DevTeamNamespace "teams/ingress": name: "ingress" is excluded from BaselineGlobalPolicies "teams/baseline" (excludedNamespaces), where none of its policies apply; give the team a namespace of its own',
      ]);
      expect(() => app.synth()).toThrow(/"monitoring" is the namespace of a workload/);
    });

    test.each([['default'], ['kube-flannel']])('refuses %s at once', (name) => {
      expect(() => setup({ name })).toThrow(/^DevTeamNamespace "teams\/be": name: "(default|kube-flannel)" is /);
    });
  });

  describe('the isolation of a CLOSED namespace in the security tier', () => {
    test('Pass from the namespace and from what the team opens, then Deny; written last, whatever is opened later', () => {
      const { chart, team, teamObjects } = setup();
      team.allowIngressFrom(Peer.namespaces('fe'), [Port.tcp(443)]);
      team.allowIngressFrom(Peer.namespaces('ops'), [Port.number(9443)], { pods: Selector.label('app').eq('api') });
      team.exposeService(frontend(chart));
      expect(team.securityIsolationPolicy?.name).toBe('security.closed-namespace');
      expect(findObject(teamObjects(), 'NetworkPolicy', 'security.closed-namespace', 'be-dev-team')).toEqual({
        apiVersion: 'projectcalico.org/v3',
        kind: 'NetworkPolicy',
        metadata: { name: 'security.closed-namespace', namespace: 'be-dev-team' },
        spec: {
          tier: 'security',
          order: 5000,
          types: ['Ingress'],
          ingress: [
            { action: 'Pass', source: { selector: 'all()' } },
            { action: 'Pass', protocol: 'TCP', source: { namespaceSelector: 'projectcalico.org/name == "fe"' }, destination: { ports: [443] } },
            { action: 'Pass', protocol: 'TCP', source: { namespaceSelector: 'projectcalico.org/name == "ops"' }, destination: { selector: 'app == "api"', ports: [9443] } },
            { action: 'Pass', protocol: 'TCP', source: { namespaceSelector: 'all()' }, destination: { selector: 'app == "frontend"', ports: [8080] } },
            { action: 'Pass', protocol: 'UDP', source: { namespaceSelector: 'all()' }, destination: { selector: 'app == "frontend"', ports: [53] } },
            { action: 'Deny' },
          ],
        },
      });
    });

    test('not without the security team, not when switched off, only for CLOSED namespaces', () => {
      expect(setup({}, false).team.securityIsolationPolicy).toBeUndefined();
      expect(setup({ isolationInSecurityTier: false }).team.securityIsolationPolicy).toBeUndefined();
      expect(setup({ isolation: NamespaceIsolation.OPEN }).team.securityIsolationPolicy).toBeUndefined();
      expect(() => setup({ isolationInSecurityTier: true }, false)).toThrow(
        'DevTeamNamespace "teams/be": isolationInSecurityTier: the control goes into the security team\'s tier: pass securityTeam',
      );
      expect(() => setup({ isolationInSecurityTier: true, isolation: NamespaceIsolation.NONE })).toThrow(
        'DevTeamNamespace "teams/be": isolationInSecurityTier: namespace be-dev-team is NONE; only a CLOSED namespace has an isolation to hold',
      );
    });

    test('Calico semantics: the team cannot open its namespace further, at any order of the default tier', () => {
      const { chart, securityTeam, team } = setup({ calicoPolicies: true });
      new BaselineGlobalPolicies(chart, 'baseline', { securityTeam, clusterNetworks: NETWORKS });
      team.allowIngressFrom(Peer.namespaces('fe'), [Port.tcp(443)]);
      deployment(chart, 'be-dev-team', 'api', { app: 'api' }, 443);
      deployment(chart, 'be-dev-team', 'worker', { app: 'worker' });
      deployment(chart, 'fe', 'web', { app: 'web' });
      deployment(chart, 'elsewhere', 'client', { app: 'client' });
      deployment(chart, 'monitoring', 'collector', { app: 'metrics-collector' });
      const check = () => {
        const model = networkModelOf(chart);
        expect(model).toAllow({ from: 'fe/web', to: 'be-dev-team/api', port: 443 });
        expect(model).toAllow({ from: 'be-dev-team/worker', to: 'be-dev-team/api', port: 443 });
        expect(model).toAllow({ from: 'monitoring/collector', to: 'be-dev-team/api', port: 9898 });
        expect(model).toDeny({ from: 'elsewhere/client', to: 'be-dev-team/api', port: 443 });
        expect(model).toDeny({ from: 'fe/web', to: 'be-dev-team/api', port: 8443 });
        expect(model).toDeny({ from: 'ip:198.51.100.7', to: 'be-dev-team/api', port: 443 });
      };
      check();
      // What a member could apply with kubectl: an allow-all policy first in the default tier.
      team.addCalicoPolicy('open-up', { metadata: { name: 'open-up' }, order: 1, ingress: [{ action: RuleAction.ALLOW }] });
      check();
      const rbac = rbacModelOf(chart);
      for (const verb of ['update', 'patch', 'delete']) {
        expect(rbac).toForbid({ user: BE_MEMBER, verb, apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be-dev-team', tier: 'security', name: 'security.closed-namespace' });
        expect(rbac).toPermit({ user: BE_MEMBER, verb, apiGroup: 'projectcalico.org', resource: 'networkpolicies', namespace: 'be-dev-team', tier: 'default', name: 'open-up' });
      }
    });

    test('the control is the construct\'s own: the boundary check lets it through; a baseline whose Pass comes first is an error', () => {
      const { app, chart, securityTeam, team } = setup();
      expect(team.node.validate()).toEqual([]);
      new BaselineGlobalPolicies(chart, 'baseline', { securityTeam, clusterNetworks: NETWORKS, endWithPass: true, orders: { passToNextTier: 4000 } });
      expect(team.node.validate()).toEqual([
        'DevTeamNamespace "teams/be": security.closed-namespace: order 5000 comes after global-pass-to-next-tier (order 4000) of teams/baseline in tier "security", ' +
          'so the control would never apply; give it an order between 2000 and 4000',
      ]);
      expect(() => app.synth()).toThrow(/order 5000 comes after global-pass-to-next-tier/);
    });
  });

  test.each([
    ['kube-system'], ['calico-system'], ['calico-apiserver'], ['tigera-operator'], ['kube-public'], ['kube-node-lease'],
  ])('refuses the system namespace %s', (name) => {
    expect(() => setup({ name })).toThrow(
      `DevTeamNamespace "teams/be": name: "${name}" is a system namespace; a development team gets a namespace of its own`,
    );
  });

  test.each([
    [{ name: 'security' }, 'DevTeamNamespace "teams/be": name: "security" is the security team\'s namespace; a development team gets a namespace of its own'],
    [{ name: 'Be' }, /^DevTeamNamespace "teams\/be": name: "Be" is not a valid namespace/],
    [{ labels: { 'a b': 'x' } }, /^DevTeamNamespace "teams\/be": labels: /],
    [{ isolation: 'closed-ish' as NamespaceIsolation }, /^DevTeamNamespace "teams\/be": isolation: "closed-ish" is not a NamespaceIsolation; use one of NamespaceIsolation.CLOSED/],
    [{ policyKind: 'cilium' as TeamPolicyKind }, /policyKind: "cilium" is not a TeamPolicyKind/],
    [{ memberBinding: 'x' as MemberBinding }, /memberBinding: "x" is not a MemberBinding/],
    [{ policyName: 'Team.Policy' }, /^DevTeamNamespace "teams\/be": policyName: "Team.Policy" is not a valid policy name/],
    [{ securityTeam: {} as SecurityTeam }, 'DevTeamNamespace "teams/be": securityTeam: must be a SecurityTeam construct'],
    [{ groups: ['system:serviceaccounts'] }, /groups\[0\]: "system:serviceaccounts" contains every service account of the cluster/],
  ])('refuses %j', (props, message) => {
    expect(() => setup(props as Partial<DevTeamNamespaceProps>)).toThrow(message as any);
  });

  test('calicoPolicies needs the security team (the tier read is cluster-scoped)', () => {
    expect(() => setup({ calicoPolicies: true }, false)).toThrow(
      /^DevTeamNamespace "teams\/be": calicoPolicies: Calico also requires `get` on the 'default' tier, which is cluster-scoped and granted by the security team/,
    );
  });

  test('refuses props that are not an object', () => {
    expect(() => new DevTeamNamespace(Testing.chart(), 'x', undefined as any)).toThrow('DevTeamNamespace "test/x": props are required: at least { name }');
  });

  test('refuses ingress rules in an OPEN namespace and bad rule options', () => {
    const { team } = setup({ isolation: NamespaceIsolation.OPEN });
    expect(() => team.allowIngressFrom(Peer.anywhere())).toThrow(
      'DevTeamNamespace "teams/be": allowIngressFrom(): namespace be-dev-team is OPEN: every connection is already allowed, so the rule would change nothing; use isolation: NamespaceIsolation.CLOSED',
    );
    team.allowEgressTo(Peer.anywhere(), [Port.tcp(443)]);
    expect(() => team.allowEgressTo(Peer.anywhere(), [], { pods: 'app == "x"' as any })).toThrow(
      /^DevTeamNamespace "teams\/be": allowEgressTo\(\).pods: "app == \\"x\\"" is not a Selector/,
    );
  });

  test('with the baseline: closed namespace, exposed service, DNS and metrics under Calico\'s tier semantics', () => {
    const { chart, securityTeam, team } = setup({ policyName: 'be-security-policy' });
    new BaselineGlobalPolicies(chart, 'baseline', { securityTeam, clusterNetworks: NETWORKS });
    team.allowEgressTo(Peer.namespaceLabels({ team: 'database' }), [Port.tcp(27017)]);
    team.exposeServicePorts({ name: 'web', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
    deployment(chart, 'be-dev-team', 'api', { app: 'api' });
    deployment(chart, 'be-dev-team', 'web', { app: 'web' });
    deployment(chart, 'be-dev-team', 'worker', { app: 'worker' });
    deployment(chart, 'elsewhere', 'client', { app: 'client' });
    deployment(chart, 'kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, 53);
    deployment(chart, 'monitoring', 'collector', { app: 'metrics-collector' });
    const model = networkModelOf(chart);
    expect(model).toAllow({ from: 'be-dev-team/worker', to: 'be-dev-team/api', port: 8080 });
    expect(model).toDeny({ from: 'elsewhere/client', to: 'be-dev-team/api', port: 8080 });
    expect(model).toAllow({ from: 'elsewhere/client', to: 'be-dev-team/web', port: 8080 });
    expect(model).toDeny({ from: 'elsewhere/client', to: 'be-dev-team/web', port: 9090 });
    expect(model).toAllow({ from: 'be-dev-team/api', to: 'kube-system/coredns', protocol: 'UDP', port: 53 });
    expect(model).toAllow({ from: 'be-dev-team/api', to: 'kube-system/coredns', protocol: 'TCP', port: 53 });
    expect(model).toDeny({ from: 'be-dev-team/api', to: 'elsewhere/client', port: 8080 });
    expect(model).toAllow({ from: 'monitoring/collector', to: 'be-dev-team/api', port: 9898 });
    expect(model).toDeny({ from: 'elsewhere/client', to: 'be-dev-team/api', port: 9898 });
  });
});
