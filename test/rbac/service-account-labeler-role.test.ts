import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { findObject, grants, simpleRules } from './rbac-manifests';
import { ServiceAccountLabelerRole } from '../../src/rbac/service-account-labeler-role';
import { rbacModelOf } from '../../src/testing';

describe('ServiceAccountLabelerRole', () => {
  test('snapshot', () => {
    const chart = Testing.chart();
    new ServiceAccountLabelerRole(chart, 'labeler', { name: 'security-serviceaccount-labeler' });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('may read and patch (relabel) service accounts; no update, create, delete or token', () => {
    const chart = Testing.chart();
    new ServiceAccountLabelerRole(chart, 'labeler', { name: 'labeler' }).bind(kplus.User.fromName(chart, 'sec', 'sec'));
    const manifests = Testing.synth(chart);
    expect(simpleRules(findObject(manifests, 'ClusterRole', 'labeler'))).toEqual(grants([
      { apiGroup: '', resource: 'serviceaccounts', verbs: ['get', 'list', 'watch', 'patch'] },
    ]));
    const model = rbacModelOf(chart);
    expect(model).toPermit({ user: 'sec', verb: 'patch', apiGroup: '', resource: 'serviceaccounts', namespace: 'prod', name: 'intern' });
    expect(model).toForbid({ user: 'sec', verb: 'create', apiGroup: '', resource: 'serviceaccounts', namespace: 'prod' });
    expect(model).toForbid({ user: 'sec', verb: 'update', apiGroup: '', resource: 'serviceaccounts', namespace: 'prod', name: 'intern' });
    expect(model).toForbid({ user: 'sec', verb: 'delete', apiGroup: '', resource: 'serviceaccounts', namespace: 'prod', name: 'intern' });
    expect(model).toForbid({ user: 'sec', verb: 'create', apiGroup: '', resource: 'serviceaccounts', namespace: 'prod', subresource: 'token', name: 'intern' });
  });

  test('generates a name when none is given', () => {
    expect(new ServiceAccountLabelerRole(Testing.chart(), 'labeler').name).toMatch(/^test-labeler-[0-9a-f]{8}$/);
  });
});
