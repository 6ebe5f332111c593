/**
 * The cdk8s validation plugin: `cdk8s synth` runs it on the synthesized manifests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { NetworkModel, RbacModel } from '../analysis';
import { parseResource } from '../cli/commands/can-i';
import { audit, Finding } from '../guardrails';
import { CrdSchemas } from './crd-schema';
import { kubernetesProblems, objectIdentity } from './kubernetes-checks';
import { parseProperties, PluginSettings } from './properties';
import { ValidationContext, ValidationViolatingResource } from './types';
import { severityRank } from '../guardrails/severity-rank';

/** The prefix of the rule names this plugin reports. */
export const RULE_PREFIX = 'cdk8s-calico';

/** One synthesized object with the manifest it came from. */
interface Located {
  readonly object: any;
  readonly manifestPath: string;
}

/**
 * The cdk8s validation plugin of cdk8s-calico (class `CalicoValidation` in `cdk8s.yaml`): runs
 * the audit rule pack, the CRD and Kubernetes schema checks and the reachability and permission
 * assertions of its properties on the manifests `cdk8s synth` wrote, and fails the synth (exit
 * 2) on any violation. See docs/plugin.md.
 */
export class CalicoValidation {
  private readonly properties: any;

  /**
   * @param properties `properties` of the `validations` entry of `cdk8s.yaml`: `failOn`
   *   (severity, default `medium`), `audit` (audit options), `schemas` (default true) and
   *   `assertions` (a list, a YAML file path, or a list of both)
   */
  constructor(properties?: any) {
    this.properties = properties ?? {};
  }

  /**
   * Validates the manifests of `context` and submits its report.
   *
   * @param context the cdk8s validation context
   */
  public async validate(context: ValidationContext): Promise<void> {
    const report = context.report;
    let settings: PluginSettings;
    try {
      settings = parseProperties(this.properties, process.cwd());
    } catch (error: any) {
      report.addViolation({
        ruleName: `${RULE_PREFIX}/properties`,
        recommendation: String(error?.message ?? error),
        fix: 'Correct the properties of the cdk8s-calico entry of validations in cdk8s.yaml (see docs/plugin.md).',
        violatingResources: [{ resourceName: 'cdk8s.yaml', manifestPath: path.resolve('cdk8s.yaml'), locations: ['validations[].properties'] }],
      });
      report.submit('failure');
      return;
    }

    const located: Located[] = [];
    for (const manifestPath of context.manifests) {
      const documents = parseAllDocuments(fs.readFileSync(manifestPath, 'utf8'));
      for (const document of Array.isArray(documents) ? documents : [documents]) {
        const object = document.toJS();
        if (object !== null && object !== undefined) located.push({ object, manifestPath });
      }
    }
    const index = new ObjectIndex(located);
    let failed = false;
    const fail = (violation: Parameters<ValidationContext['report']['addViolation']>[0]) => {
      failed = true;
      report.addViolation(violation);
    };

    if (settings.schemas) {
      this.checkSchemas(located, index, fail, context);
    }

    const objects = located.map((l) => l.object);
    let findings: Finding[] = [];
    try {
      findings = audit(objects, settings.audit);
    } catch (error: any) {
      fail({
        ruleName: `${RULE_PREFIX}/audit`,
        recommendation: `The audit could not run: ${error?.message ?? error}`,
        fix: 'Fix the manifest or the audit options named in the message.',
        violatingResources: [{ resourceName: 'cdk8s.yaml', manifestPath: path.resolve('cdk8s.yaml'), locations: ['validations[].properties.audit'] }],
      });
    }
    let below = 0;
    for (const finding of findings) {
      if (finding.suppressedReason !== undefined) {
        context.logger.log(`cdk8s-calico: suppressed ${finding.rule} ${finding.subject ?? ''}: ${finding.suppressedReason}`);
        continue;
      }
      if (severityRank(finding.severity) < severityRank(settings.failOn)) {
        below++;
        continue;
      }
      fail({
        ruleName: `${finding.rule} (${finding.severity})${finding.subject ? ` ${finding.subject}` : ''}`,
        recommendation: finding.message,
        fix: finding.fix,
        violatingResources: finding.objects.flatMap((name) => index.resources(name, finding.message)),
      });
    }
    if (below > 0) {
      context.logger.log(`cdk8s-calico: ${below} audit finding(s) below failOn ${settings.failOn} (run cdk8s-calico audit to list them)`);
    }

    if (settings.flows.length > 0) {
      this.checkFlows(settings, objects, index, fail);
    }
    if (settings.access.length > 0) {
      this.checkAccess(settings, objects, fail);
    }

    report.submit(failed ? 'failure' : 'success', {
      'audit failOn': settings.failOn,
      'assertions': String(settings.flows.length + settings.access.length),
    });
  }

  private checkSchemas(located: Located[], index: ObjectIndex, fail: (v: any) => void, context: ValidationContext): void {
    const schemas = CrdSchemas.load();
    if (!schemas) {
      context.logger.log('cdk8s-calico: the pinned CRDs (imports/) are not installed with this package; CRD schema checks skipped');
    }
    const seen = new Map<string, Located>();
    for (const item of located) {
      const problems = kubernetesProblems(item.object);
      const identity = objectIdentity(item.object);
      const first = seen.get(identity);
      if (first) {
        problems.push(`/metadata the same object (${index.label(item.object)}) is also in ${first.manifestPath}; kubectl apply would keep only one`);
      } else {
        seen.set(identity, item);
      }
      if (problems.length > 0) {
        fail({
          ruleName: `${RULE_PREFIX}/kubernetes-schema`,
          recommendation: `${index.label(item.object)} is not a valid Kubernetes object: ${problems.join('; ')}`,
          fix: 'Correct the named fields of the construct that synthesizes this object.',
          violatingResources: [index.resourceOf(item, problems)],
        });
      }
      if (schemas && schemas.covers(item.object)) {
        const errors = schemas.errors(item.object);
        if (errors.length > 0) {
          fail({
            ruleName: `${RULE_PREFIX}/crd-schema`,
            recommendation: `${index.label(item.object)} does not match its CRD schema (Calico v3.32.1): ${errors.join('; ')}`,
            fix: 'Correct the named fields; the API server would reject or prune them.',
            violatingResources: [index.resourceOf(item, errors)],
          });
        }
      }
    }
  }

  private checkFlows(settings: PluginSettings, objects: any[], index: ObjectIndex, fail: (v: any) => void): void {
    const options = settings.audit;
    const model = NetworkModel.fromManifests(objects, { tiers: options.tiers, podCidrs: options.podCidrs, serviceCidrs: options.serviceCidrs });
    for (const { assertion, where } of settings.flows) {
      const flow = `${assertion.from} -> ${assertion.to}${assertion.port !== undefined ? ` port ${assertion.port}` : ''}${assertion.protocol ? `/${assertion.protocol}` : ''}`;
      const ruleName = `${RULE_PREFIX}/reachability ${flow} expect ${assertion.expect}`;
      try {
        const verdict = model.check({ from: assertion.from, to: assertion.to, port: assertion.port, protocol: assertion.protocol });
        if (verdict.allowed === (assertion.expect === 'allow')) continue;
        const policies = [verdict.egress.policy, verdict.ingress.policy].filter((p): p is string => p !== undefined);
        const resources = [...new Set(policies)].flatMap((p) => index.resources(p, verdict.explanation));
        fail({
          ruleName,
          recommendation: `Expected ${flow} to be ${assertion.expect === 'allow' ? 'allowed' : 'denied'}, but it is ${verdict.allowed ? 'allowed' : 'denied'}: ${verdict.explanation}`,
          fix: assertion.expect === 'allow'
            ? 'Allow the flow in the policies named above (egress of the source and ingress of the destination), or correct the assertion.'
            : 'Narrow the rule that allows it (named above), or correct the assertion.',
          violatingResources: resources.length > 0 ? resources : [assertionResource(where)],
        });
      } catch (error: any) {
        fail({
          ruleName,
          recommendation: `The assertion (${where}) cannot be evaluated: ${error?.message ?? error}`,
          fix: 'Name endpoints as <namespace>/<name> of a workload in the manifests or ip:<address>.',
          violatingResources: [assertionResource(where)],
        });
      }
    }
  }

  private checkAccess(settings: PluginSettings, objects: any[], fail: (v: any) => void): void {
    const model = RbacModel.fromManifests(objects);
    for (const { assertion, where } of settings.access) {
      const request = `${assertion.as} ${assertion.verb} ${assertion.resource}${assertion.name ? ` ${assertion.name}` : ''}`
        + `${assertion.namespace ? ` -n ${assertion.namespace}` : ''}${assertion.tier ? ` tier ${assertion.tier}` : ''}`;
      const ruleName = `${RULE_PREFIX}/permission ${request} expect ${assertion.expect}`;
      try {
        const ref = parseResource(assertion.resource);
        const verdict = model.check({
          user: assertion.as,
          groups: assertion.groups ?? [],
          verb: assertion.verb,
          apiGroup: ref.apiGroup,
          resource: ref.resource,
          subresource: ref.subresource,
          namespace: assertion.namespace,
          name: assertion.name,
          tier: assertion.tier,
        });
        if (verdict.allowed === (assertion.expect === 'allow')) continue;
        fail({
          ruleName,
          recommendation: `Expected ${request} to be ${assertion.expect === 'allow' ? 'allowed' : 'denied'}, but it is ${verdict.allowed ? 'allowed' : 'denied'}: ${verdict.reason}`
            + (verdict.grants.length > 0 ? ` (granted by ${verdict.grants.join(', ')})` : ''),
          fix: assertion.expect === 'allow'
            ? 'Grant the permission (a Role/ClusterRole and binding, and for tiered policies the tier), or correct the assertion.'
            : 'Remove the grant named above, or correct the assertion.',
          violatingResources: [assertionResource(where)],
        });
      } catch (error: any) {
        fail({
          ruleName,
          recommendation: `The assertion (${where}) cannot be evaluated: ${error?.message ?? error}`,
          fix: 'Name the resource as kubectl does, e.g. pods, pods/log or networkpolicies.projectcalico.org.',
          violatingResources: [assertionResource(where)],
        });
      }
    }
  }
}

function assertionResource(where: string): ValidationViolatingResource {
  return { resourceName: 'cdk8s.yaml', manifestPath: path.resolve('cdk8s.yaml'), locations: [where] };
}

/**
 * The synthesized objects by the names findings give them (`Kind namespace/name` or `Kind
 * name`), and how each is named in the report: its `metadata.name` when that is unique in the
 * app (cdk8s looks up the construct path by that name), else `Kind namespace/name`.
 */
class ObjectIndex {
  private readonly byLabel = new Map<string, Located[]>();
  private readonly nameCount = new Map<string, number>();

  constructor(located: Located[]) {
    for (const item of located) {
      const label = this.label(item.object);
      this.byLabel.set(label, [...(this.byLabel.get(label) ?? []), item]);
      const name = String(item.object?.metadata?.name);
      this.nameCount.set(name, (this.nameCount.get(name) ?? 0) + 1);
    }
  }

  /** `Kind namespace/name` or `Kind name`. */
  public label(object: any): string {
    const ns = object?.metadata?.namespace;
    return `${object?.kind} ${ns ? `${ns}/` : ''}${object?.metadata?.name}`;
  }

  /** The report resource of one object. */
  public resourceOf(item: Located, locations: string[]): ValidationViolatingResource {
    const name = String(item.object?.metadata?.name);
    const unique = this.nameCount.get(name) === 1;
    return {
      resourceName: unique ? name : this.label(item.object),
      manifestPath: item.manifestPath,
      locations: locations.map((l) => `${this.label(item.object)} (${item.object?.apiVersion}) ${l}`),
    };
  }

  /** The report resources of the objects a finding names; a name not in the manifests is reported as is. */
  public resources(label: string, detail: string): ValidationViolatingResource[] {
    const items = this.byLabel.get(label);
    if (!items) {
      return [{ resourceName: label, manifestPath: '(not in the manifests)', locations: [`${label}: ${detail}`] }];
    }
    return items.map((item) => this.resourceOf(item, [detail]));
  }
}
