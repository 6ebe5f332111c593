import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps } from 'cdk8s';
import { formatManifestYaml, parseManifestYaml } from '../core/manifest-yaml';

/**
 * How long before `synth()` started a manifest file may have been written and still count as
 * written by it: file systems keep modification times coarser than the clock (up to 2 s).
 */
const MTIME_SLACK_MS = 2000;

/**
 * A cdk8s `App` that writes YAML a reviewer can read in a pull request: the same objects as
 * `App`, in the same files, with short lists and maps of plain values on one line
 * (`verbs: [get, list, watch]`, `metadata: {name: web, namespace: fe}`) as careful hand-written
 * YAML has them, where `App` writes one line per item. Nested structure stays in block style,
 * and no line gets longer than 100 characters because of it.
 *
 * Each document is checked to read back (as YAML 1.1 and 1.2) as the object cdk8s synthesized;
 * one that would not is written exactly as `App` writes it.
 *
 * @example
 * const app = new ReviewableApp({ outdir: 'dist' });
 * // add the charts of the platform, as to an App
 * app.synth(); // dist/*.k8s.yaml
 */
export class ReviewableApp extends App {
  /**
   * @param props the cdk8s App properties (output directory, file layout, …)
   */
  constructor(props: AppProps = {}) {
    super(props);
  }

  /**
   * Synthesizes every chart into the output directory, as `App.synth()` does, then rewrites the
   * manifest files it wrote (those with the output file extension, modified since the call
   * started) in the reviewable layout.
   */
  public synth(): void {
    const started = Date.now();
    super.synth();
    for (const file of manifestFiles(this.outdir, this.outputFileExtension)) {
      if (fs.statSync(file).mtimeMs < started - MTIME_SLACK_MS) {
        continue;
      }
      fs.writeFileSync(file, formatManifestYaml(parseManifestYaml(fs.readFileSync(file, 'utf8'), file)), { encoding: 'utf8' });
    }
  }

  /**
   * Every chart's objects as one YAML stream, in the reviewable layout (see `App.synthYaml()`).
   */
  public synthYaml(): string {
    return formatManifestYaml(parseManifestYaml(super.synthYaml(), 'synthYaml()'));
  }
}

/** The files below `dir` (recursively) whose names end in `extension`, in name order. */
function manifestFiles(dir: string, extension: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        return manifestFiles(full, extension);
      }
      return entry.isFile() && entry.name.endsWith(extension) ? [full] : [];
    });
}
