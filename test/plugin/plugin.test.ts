/**
 * The plugin in-process: property errors are reported as violations naming the property.
 */
import { CalicoValidation, parseProperties, ValidationContext, ValidationViolation } from '../../src/plugin';

function fakeContext(manifests: string[] = []): { context: ValidationContext; violations: ValidationViolation[]; status: () => string | undefined } {
  const violations: ValidationViolation[] = [];
  let status: string | undefined;
  const context: ValidationContext = {
    manifests,
    report: { addViolation: (v) => violations.push(v), submit: (s) => { status = s; } },
    logger: { log: () => undefined },
  };
  return { context, violations, status: () => status };
}

describe('parseProperties', () => {
  test('defaults: failOn medium, schemas on, no assertions', () => {
    expect(parseProperties(undefined, '.')).toEqual({ failOn: 'medium', audit: {}, schemas: true, flows: [], access: [] });
  });

  test.each([
    [{ failOn: 'severe' }, /failOn: the string "severe" is not a severity|failOn: .*severe.* is not a severity/],
    [{ colour: 'red' }, /unknown property "colour"; known: failOn, audit, schemas, assertions/],
    [{ assertions: [{ from: 'a/b', to: 'c/d', expect: 'maybe' }] }, /assertions\[0\]: expect must be "allow" or "deny"/],
    [{ assertions: [{ from: 'a/b', expect: 'allow' }] }, /assertions\[0\]: to must be <namespace>\/<name> or ip:<address>/],
    [{ assertions: [{ as: 'alice', verb: 'get', resource: 'pods', expect: 'allow', nmespace: 'x' }] }, /unknown field "nmespace" in a permission assertion/],
    [{ assertions: [{ expect: 'allow' }] }, /needs from\/to \(reachability\) or as\/verb\/resource \(permission\)/],
    [{ assertions: ['does-not-exist.yaml'] }, /cannot read the assertion file .*does-not-exist\.yaml: no such file/],
    [{ schemas: 'yes' }, /schemas must be true or false/],
  ])('%j is rejected clearly', (properties, message) => {
    expect(() => parseProperties(properties, __dirname)).toThrow(message);
  });
});

test('bad properties fail the report with a violation naming the property', async () => {
  const { context, violations, status } = fakeContext();
  await new CalicoValidation({ failOn: 'severe' }).validate(context);
  expect(status()).toBe('failure');
  expect(violations).toHaveLength(1);
  expect(violations[0].ruleName).toBe('cdk8s-calico/properties');
  expect(violations[0].recommendation).toContain('failOn');
});

test('an empty app passes', async () => {
  const { context, violations, status } = fakeContext();
  await new CalicoValidation().validate(context);
  expect({ status: status(), violations }).toEqual({ status: 'success', violations: [] });
});
