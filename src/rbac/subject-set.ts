import * as kplus from 'cdk8s-plus-27';
import { fail } from '../core/errors';

/** The subjects of one binding, without duplicates (same kind, name and namespace). */
export class SubjectSet {
  private readonly keys = new Set<string>();

  constructor(private readonly owner: string) {}

  /**
   * Checks `subjects` and returns those not yet in the set (adding them). Throws for an empty
   * list or a value that is not a cdk8s-plus subject.
   */
  public addAll(field: string, subjects: kplus.ISubject[]): kplus.ISubject[] {
    if (subjects.length === 0) {
      fail(this.owner, field, 'give at least one subject (kplus.User.fromName(), kplus.Group.fromName() or a kplus.ServiceAccount)');
    }
    const fresh: kplus.ISubject[] = [];
    subjects.forEach((subject, i) => {
      if (subject === null || typeof subject !== 'object' || typeof (subject as any).toSubjectConfiguration !== 'function') {
        fail(this.owner, `${field}[${i}]`, 'is not a subject; use kplus.User.fromName(), kplus.Group.fromName() or a kplus.ServiceAccount');
      }
      const key = subjectKey(subject);
      if (!this.keys.has(key)) {
        this.keys.add(key);
        fresh.push(subject);
      }
    });
    return fresh;
  }

  /** How many subjects the set holds. */
  public get size(): number {
    return this.keys.size;
  }
}

/** `kind/namespace/name` of a subject. */
export function subjectKey(subject: kplus.ISubject): string {
  const config = subject.toSubjectConfiguration();
  return `${config.kind}/${config.namespace ?? ''}/${config.name}`;
}
