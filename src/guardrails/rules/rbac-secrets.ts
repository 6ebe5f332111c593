/**
 * CC-RBAC-003: reading Secrets reveals long-lived service-account tokens (and every other
 * credential stored there).
 */
import { AuditContext } from '../context';
import { objectsOfKind, refOf } from '../manifests';
import { SECRET_QUESTIONS } from '../powers';
import { AuditRule, RuleFinding } from '../rule';
import { Severity } from '../severity';
import { serviceAccount } from '../subjects';
import { clusterWide, gainsOver, namespacesOf, objectsOf, permissionFindings, powersText } from './common';

/** The type and annotation of a long-lived service-account token Secret. */
// Kubernetes: pkg/apis/core/types.go SecretTypeServiceAccountToken, ServiceAccountNameKey
const TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';
const TOKEN_SECRET_ACCOUNT = 'kubernetes.io/service-account.name';

/** The findings of CC-RBAC-003. */
export function secretFindings(ctx: AuditContext): RuleFinding[] {
  const tokenSecrets = objectsOfKind(ctx.objects, 'Secret', '').filter((s) => s.type === TOKEN_SECRET_TYPE
    && typeof s.metadata?.namespace === 'string' && typeof s.metadata?.annotations?.[TOKEN_SECRET_ACCOUNT] === 'string');
  return permissionFindings(
    ctx,
    SECRET_QUESTIONS,
    'Grant get/list/watch on secrets only with resourceNames of the Secrets a subject needs; create no long-lived token '
      + 'Secrets (memberTokenSecrets: false) and use short-lived tokens (kubectl create token).',
    (holder) => {
      const namespaces = namespacesOf(ctx, holder.scopes);
      const readable = tokenSecrets.filter((s) => namespaces.includes(s.metadata.namespace));
      const gained = readable.map((secret) => {
        const sa = serviceAccount(secret.metadata.namespace, secret.metadata.annotations[TOKEN_SECRET_ACCOUNT]);
        return { secret, sa, gains: gainsOver(ctx, holder.subject, sa) };
      }).filter((g) => g.gains.length > 0);
      const severity = gained.length > 0 ? Severity.CRITICAL : clusterWide(holder.scopes) ? Severity.HIGH : Severity.MEDIUM;
      const consequence = gained.length > 0
        ? `It can read the token Secrets ${gained.map((g) => `${refOf(g.secret)} of ServiceAccount ${g.sa.namespace}/${g.sa.name}, which can ${powersText(g.gains)}`).join('; ')}.`
        : 'It can read every Secret there: credentials, and the token of any service account that has a long-lived token Secret.';
      return {
        severity,
        consequence,
        extraObjects: gained.flatMap((g) => [refOf(g.secret), ...objectsOf(ctx, g.sa, g.gains.flatMap((h) => h.scopes))]),
      };
    },
  );
}

/** CC-RBAC-003. */
export const SECRETS: AuditRule = {
  id: 'CC-RBAC-003',
  severity: Severity.CRITICAL,
  title: 'Reading Secrets (service-account tokens)',
  description: 'get, list or watch on secrets reveals every credential of the scope, long-lived service-account tokens '
    + 'among them; critical when a readable token belongs to a more powerful service account.',
  check: secretFindings,
};
