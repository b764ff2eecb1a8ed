// Builders fit platforms: yarn builds static sites and only those; Lambda builds from a Dockerfile.

import { platformBuilders } from '../platforms.js';
import type { Rule } from './rule.js';

export const buildRule: Rule = (docs, report) => {
  for (const doc of docs) {
    (doc.manifest.apps ?? []).forEach((app, i) => {
      const { builder } = app.build;
      const { platform } = app.deploy;
      const at = ['apps', i, 'build'];
      if (!platformBuilders[platform].includes(builder)) {
        let message: string;
        if (platform === 'static') message = `static apps build with yarn: set builder: yarn`;
        else if (builder === 'yarn') message = `yarn builds static sites only: use builder: pack or docker for ${platform}, or set deploy.platform: static`;
        else message = `${platform} runs images built from a Dockerfile: set builder: docker`;
        report(doc, [...at, 'builder'], 'build.builder', message);
      }
      if (app.build.outputDir !== undefined && builder !== 'yarn') {
        report(doc, [...at, 'outputDir'], 'build.output-dir', 'outputDir is for yarn builds only: remove it', { target: 'key' });
      }
      if (app.build.dockerfile !== undefined && builder !== 'docker') {
        report(doc, [...at, 'dockerfile'], 'build.dockerfile', 'dockerfile is for docker builds only: remove it, or set builder: docker', { target: 'key' });
      }
    });
  }
};
