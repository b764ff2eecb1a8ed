import { dockerEngineFromEnv } from './docker-engine.js';
import { step } from './errors.js';
import type { Say } from './log.js';
import type { SiteSource } from './options.js';
import type { Site } from './site.js';
import { readSiteDir } from './site-from-dir.js';
import { extractSiteFromImage } from './site-from-image.js';

/** Gets the built site from its image or folder; the caller must call `cleanup`. */
export async function readSite(source: SiteSource, env: NodeJS.ProcessEnv, say: Say): Promise<Site> {
  if (source.kind === 'dir') {
    say(`reading site from folder ${source.dir}`);
    const listing = await step(`reading ${source.dir}`, () => readSiteDir(source.dir));
    return { ...listing, cleanup: async () => {} };
  }
  say(`reading site from image ${source.image}`);
  const extracted = await extractSiteFromImage(await dockerEngineFromEnv(env), source.image, source.imagePath);
  try {
    const listing = await step(`reading ${source.imagePath} from image ${source.image}`, () => readSiteDir(extracted.root));
    return { files: listing.files, skipped: [...extracted.skipped, ...listing.skipped], cleanup: extracted.cleanup };
  } catch (error) {
    await extracted.cleanup();
    throw error;
  }
}

export function reportSkipped(skipped: readonly string[], say: Say): void {
  if (skipped.length === 0) return;
  const shown = skipped.slice(0, 5).join(', ') + (skipped.length > 5 ? ', ...' : '');
  const what = skipped.length === 1 ? 'entry that is not a regular file' : 'entries that are not regular files';
  say(`left out ${skipped.length} ${what} (links are never followed): ${shown}`);
}
