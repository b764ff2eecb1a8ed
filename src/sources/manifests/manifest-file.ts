// Which files are manifests, and the shape in which any source hands them over.

export interface ManifestFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  content: string;
}

const manifestName = /(^|\.)pilot\.yaml$/;
const nearMiss = /(^|\.)pilot\.yml$/;

export function isManifestName(fileName: string): boolean {
  return manifestName.test(fileName);
}

/** pilot.yml and x.pilot.yml are not read; say so rather than ignore them silently. */
export function isNearMissName(fileName: string): boolean {
  return nearMiss.test(fileName);
}

/** Dot-directories (.git, .github, ...) and node_modules are never searched. */
export function isSkippedDirectory(dirName: string): boolean {
  return dirName.startsWith('.') || dirName === 'node_modules';
}
