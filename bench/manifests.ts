// Generates a manifest repository of a given size, for the benchmark and the scale test.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const platforms = [
  { provider: 'aws', deploy: '{ platform: ecs, memory: 1024 }', builder: 'pack' },
  { provider: 'aws', deploy: '{ platform: lambda, memory: 512 }', builder: 'docker' },
  { provider: 'gcp', deploy: '{ platform: cloud-run, cpu: 1, memory: 512 }', builder: 'pack' },
  { provider: 'aws', deploy: '{ platform: static }', builder: 'yarn' },
] as const;

export function projectManifest(project: string, apps: number): string {
  const lines = [
    'apiVersion: pilot.dev/v1',
    'kind: Project',
    `name: ${project}`,
    'databases:',
    '  - { name: main, provider: aws, region: us-east-1 }',
    'apps:',
  ];
  for (let i = 0; i < apps; i++) {
    const p = platforms[i % platforms.length]!;
    const placement = p.provider === 'gcp' ? 'provider: gcp, region: us-central1, gcpProject: acme-prod' : 'provider: aws, region: us-east-1';
    lines.push(
      `  - name: app-${i}`,
      `    ${placement.replace(/, /g, '\n    ').replace(/: /g, ': ')}`,
      `    source: { repo: "https://github.com/acme/app-${i}.git", ref: main }`,
      `    build: { builder: ${p.builder} }`,
      `    deploy: ${p.deploy}`,
      '    env:',
      '      LOG_LEVEL: info',
      ...(p.provider === 'aws' && p.builder !== 'yarn' ? ['      DATABASE_URL: { fromDatabase: main, property: url }'] : []),
      ...(i > 0 ? [`    dependsOn: [app-${i - 1}]`] : []),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `files` manifest files holding `appsPerFile` apps each, one project per file. */
export async function writeManifestRepository(root: string, files: number, appsPerFile: number): Promise<void> {
  for (let f = 0; f < files; f++) {
    const dir = path.join(root, `team-${f % 10}`, `project-${f}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'pilot.yaml'), projectManifest(`project-${f}`, appsPerFile));
  }
}
