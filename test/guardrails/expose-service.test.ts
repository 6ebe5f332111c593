/**
 * `exposeService()` of "Secure by default": a service is exposed to the cluster unless the team
 * asks for the internet explicitly.
 */
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { platform } from './platforms';
import { Peer } from '../../src/policy';
import { DevTeamNamespace } from '../../src/teams';
import { networkModelOf } from '../../src/testing';

const reference = platform();
const abused = platform(true);

describe('exposeService(): the cluster by default, the internet only when asked', () => {
  test('the reference platform\'s frontend is reachable from the cluster, not from the internet', () => {
    for (const network of [reference.network, abused.network]) {
      expect(network).toAllow({ from: 'client/curl', to: 'webapp/frontend', port: 8080 });
      expect(network).toDeny({ from: 'ip:198.51.100.7', to: 'webapp/frontend', port: 8080 });
      expect(network).toDeny({ from: 'ip:2001:db8::7', to: 'webapp/frontend', port: 8080 });
      expect(network).toDeny({ from: 'client/curl', to: 'webapp/frontend', port: 9090 });
    }
  });

  test('Peer.anywhere() opens the internet, in IPv4 and IPv6', () => {
    const chart = Testing.chart();
    const team = new DevTeamNamespace(chart, 'shop', { name: 'shop' });
    const service = new kplus.Service(chart, 'web', { metadata: { name: 'web', namespace: 'shop' }, ports: [{ port: 80, targetPort: 8080 }] });
    service.selectLabel('app', 'web');
    team.exposeService(service, { from: Peer.anywhere() });
    new kplus.Deployment(chart, 'web-pods', {
      metadata: { name: 'web', namespace: 'shop' },
      podMetadata: { labels: { app: 'web' } },
      containers: [{ image: 'registry.example/web:1', portNumber: 8080 }],
    });
    const network = networkModelOf(chart);
    expect(network).toAllow({ from: 'ip:198.51.100.7', to: 'shop/web', port: 8080 });
    expect(network).toAllow({ from: 'ip:2001:db8::7', to: 'shop/web', port: 8080 });
  });
});
