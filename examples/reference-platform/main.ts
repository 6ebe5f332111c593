/**
 * The reference platform: every scenario of the three reference documents, done right and
 * secure by default.
 *
 * - "Shift-left" RBAC blog: the security team (`security`, member `security-member`) administers
 *   every network policy, owns the `security` tier and the baseline global policies (metrics
 *   collector, DNS over UDP and TCP, and the denies the blog left out: no workload reaches
 *   anything outside the cluster networks, cloud metadata or the kubelet); the backend team
 *   (`be-dev-team`, member `be-dev-member`) manages the policy of its own namespace: ingress
 *   from the `fe` team on TCP 443, egress to the `database` team on TCP 27017 (DNS comes from
 *   the baseline). The teams point at each other by namespace name, which no namespace label
 *   can imitate. The blog's `cluster-egress: allowed` pod label is replaced by an approval of
 *   the security team for one service account (`be-dev-team/partner-client`, TCP 443 to the
 *   partner's networks), which the backend team's own policy must also allow.
 * - Namespace and service policy blog: the closed namespaces `webapp` and `client`; `webapp`'s
 *   `frontend` service is exposed to the cluster (not the internet) on exactly its ports. The
 *   isolation of every closed namespace is also held in the security tier.
 * - Calico service-account guide: the three policies in `prod-engineering` (`demo-calico`,
 *   `allow-web-frontend`, and `restrict-intern-access`, a control in the security tier that the
 *   team can neither delete nor pre-empt), with the service accounts they name; only the
 *   security team may label service accounts.
 *
 * The cluster networks (`REFERENCE_CLUSTER_NETWORKS`) are the operator's input: read them from
 * the cluster (Calico IP pools, the API server's `--service-cluster-ip-range`, the nodes'
 * subnets) before applying the baseline anywhere else.
 *
 * Run it with `npm run synth` (or `npx ts-node --project examples/tsconfig.json
 * examples/reference-platform/main.ts`); the manifests land in `dist/`, numbered in the order
 * `kubectl apply -f dist/` needs (the security chart, with the Tier, first).
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Peer, Port } from '../../src/policy';
import { Selector } from '../../src/selector';
import {
  BaselineGlobalPolicies,
  ClusterNetworks,
  DevTeamNamespace,
  EgressSource,
  NamespaceIsolation,
  ReviewableApp,
  SecurityTeam,
  ServiceAccountPolicy,
  TeamPolicyKind,
} from '../../src/teams';

/**
 * The networks of the reference cluster (dual-stack): the operator's input, never a guess.
 * Workload pods may reach no address outside them unless the security team approves it.
 */
export const REFERENCE_CLUSTER_NETWORKS: ClusterNetworks = {
  podCidrs: ['10.244.0.0/16', 'fd00:10:244::/56'],
  serviceCidrs: ['10.96.0.0/12', 'fd00:10:96::/112'],
  nodeCidrs: ['172.16.0.0/24', 'fd00:172:16::/64'],
};

/** The partner API the backend's `partner-client` may call (documentation networks). */
export const PARTNER_NETWORKS: string[] = ['203.0.113.0/24', '2001:db8:203::/48'];

/** The charts of the reference platform, in the order they are applied. */
export interface ReferencePlatform {
  /** Security team, its tier and the baseline global policies. */
  readonly security: Chart;
  /** The backend team and its peers `fe` and `database`. */
  readonly teams: Chart;
  /** The closed namespaces `webapp` (with the exposed `frontend` service) and `client`. */
  readonly webapp: Chart;
  /** The service-account policies of `prod-engineering`. */
  readonly prodEngineering: Chart;
  /** The security team construct. */
  readonly securityTeam: SecurityTeam;
  /** The baseline policies construct. */
  readonly baseline: BaselineGlobalPolicies;
}

/**
 * Builds the reference platform into `app` and returns its charts, in apply order.
 *
 * @param app the cdk8s app
 */
export function buildReferencePlatform(app: App): Chart[] {
  const platform = buildReferencePlatformCharts(app);
  return [platform.security, platform.teams, platform.webapp, platform.prodEngineering];
}

/**
 * Builds the reference platform into `app` and returns the charts by name, plus the security
 * constructs.
 *
 * @param app the cdk8s app
 */
export function buildReferencePlatformCharts(app: App): ReferencePlatform {
  // 1. The security team, its tier (before `default`, ending with Pass) and the baseline.
  const security = new Chart(app, 'security');
  const securityTeam = new SecurityTeam(security, 'security-team', {
    namespace: 'security',
    members: ['security-member'],
  });
  const baseline = new BaselineGlobalPolicies(security, 'baseline', {
    securityTeam,
    clusterNetworks: REFERENCE_CLUSTER_NETWORKS,
    // Trusted by service account, which Calico matches by name; a pod label would be the deployer's choice.
    metricsCollector: { namespace: 'monitoring', serviceAccount: 'metrics-collector' },
  });
  // The blog's cluster-egress pod label, replaced: one service account, one destination, one port.
  baseline.allowEgress({
    name: 'be-partner-api',
    from: EgressSource.serviceAccount('be-dev-team', 'partner-client'),
    to: PARTNER_NETWORKS,
    ports: [Port.tcp(443)],
  });

  // 2. The backend team (Kubernetes NetworkPolicies, as in the blog) and its peers.
  const teams = new Chart(app, 'teams');
  teams.addDependency(security);
  const backend = new DevTeamNamespace(teams, 'be-dev-team', {
    name: 'be-dev-team',
    labels: { team: 'be' },
    members: ['be-dev-member'],
    securityTeam,
    policyName: 'be-security-policy',
    resourceQuota: {},
    limitRange: {},
  });
  backend.allowIngressFrom(Peer.namespaces('fe'), [Port.tcp(443)]);
  backend.allowEgressTo(Peer.namespaces('database'), [Port.tcp(27017)]);
  // The team's half of the partner approval: without the security team's, it opens nothing.
  backend.allowEgressTo(Peer.cidr(...PARTNER_NETWORKS), [Port.tcp(443)]);
  const partnerClient = new kplus.ServiceAccount(backend, 'partner-client', {
    metadata: { name: 'partner-client', namespace: 'be-dev-team' },
    automountToken: false,
  });
  partnerClient.node.addDependency(backend.namespace);

  new DevTeamNamespace(teams, 'fe', {
    name: 'fe',
    labels: { team: 'fe' },
    isolation: NamespaceIsolation.OPEN,
    securityTeam,
  });
  const database = new DevTeamNamespace(teams, 'database', {
    name: 'database',
    labels: { team: 'database' },
    securityTeam,
  });
  database.allowIngressFrom(Peer.namespaces('be-dev-team'), [Port.tcp(27017)]);

  // 3. Closed namespaces; the frontend service is exposed to the cluster on exactly its ports.
  const webappChart = new Chart(app, 'webapp');
  webappChart.addDependency(security);
  const webapp = new DevTeamNamespace(webappChart, 'webapp', { name: 'webapp', labels: { app: 'webapp' }, securityTeam });
  new DevTeamNamespace(webappChart, 'client', { name: 'client', labels: { app: 'client' }, securityTeam });
  const frontend = new kplus.Deployment(webapp, 'frontend', {
    metadata: { name: 'frontend', namespace: 'webapp' },
    podMetadata: { labels: { app: 'frontend' } },
    select: false,
    replicas: 2,
    containers: [{
      name: 'frontend',
      image: 'nginxinc/nginx-unprivileged:1.27-alpine',
      portNumber: 8080,
      resources: {
        cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
      },
    }],
  });
  // The root filesystem is read-only (cdk8s-plus' default); nginx writes its pid and temp files to /tmp.
  frontend.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(webapp, 'frontend-tmp', 'tmp'));
  frontend.select(kplus.LabelSelector.of({ labels: { app: 'frontend' } }));
  frontend.node.addDependency(webapp.namespace);
  const frontendService = new kplus.Service(webapp, 'frontend-service', {
    metadata: { name: 'frontend', namespace: 'webapp' },
    ports: [{ name: 'http', port: 80, targetPort: 8080 }],
  });
  frontendService.selectLabel('app', 'frontend');
  frontendService.node.addDependency(webapp.namespace);
  webapp.exposeService(frontendService);

  // 4. Service-account policies in prod-engineering (Calico policies, default tier). The service
  //    accounts and their labels belong to the security team, not to the team deploying pods.
  const prodEngineering = new Chart(app, 'prod-engineering');
  prodEngineering.addDependency(security);
  const prod = new DevTeamNamespace(prodEngineering, 'prod-engineering', {
    name: 'prod-engineering',
    members: ['prod-dev-member'],
    isolation: NamespaceIsolation.NONE,
    policyKind: TeamPolicyKind.CALICO,
    calicoPolicies: true,
    securityTeam,
  });
  const accounts = new Construct(prodEngineering, 'service-accounts');
  const serviceAccounts: { [name: string]: { [key: string]: string } } = {
    'api-service': {},
    'user-auth-service': {},
    'web-frontend': { app: 'web-frontend' },
    'intern': { role: 'intern' },
  };
  for (const [name, labels] of Object.entries(serviceAccounts)) {
    const account = new kplus.ServiceAccount(accounts, name, {
      metadata: { name, namespace: 'prod-engineering', labels },
      automountToken: false,
    });
    account.node.addDependency(prod.namespace);
  }
  ServiceAccountPolicy.allowFromServiceAccounts(prod, 'demo-calico', {
    namespace: 'prod-engineering',
    name: 'demo-calico',
    selector: Selector.label('app').eq('db'),
    names: ['api-service', 'user-auth-service'],
  });
  ServiceAccountPolicy.allowFromServiceAccountSelector(prod, 'allow-web-frontend', {
    namespace: 'prod-engineering',
    name: 'allow-web-frontend',
    selector: Selector.label('app').eq('db'),
    serviceAccountSelector: Selector.label('app').eq('web-frontend'),
  });
  // A control the security team relies on: in its tier, where the team cannot delete or pre-empt
  // it (and outside the team's construct, which writes default-tier policies only).
  const controls = new Construct(prodEngineering, 'security-controls');
  const internControl = ServiceAccountPolicy.restrictToServiceAccountGroup(controls, 'restrict-intern-access', {
    namespace: 'prod-engineering',
    name: 'restrict-intern-access',
    securityTeam,
    serviceAccountSelector: Selector.label('role').eq('intern'),
  });
  internControl.node.addDependency(prod.namespace);

  return { security, teams, webapp: webappChart, prodEngineering, securityTeam, baseline };
}

if (require.main === module) {
  // The YAML a reviewer reads in a pull request: short lists on one line.
  const app = new ReviewableApp({ outdir: 'dist' });
  buildReferencePlatform(app);
  app.synth();
}
