// A watched folder (`pilot serve --watch DIR`): a change settles for 300 ms, then one
// request. Hidden files and node_modules are not watched.

import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Trigger } from '../../reconciler/reporting.js';
import { request } from '../../reconciler/requests.js';

export function watchTrigger(dir: string): Trigger {
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  return {
    name: 'watch',
    start(push) {
      watcher = watch(dir, {
        ignoreInitial: true,
        ignored: (file) => /(^|[/\\])(\.[^/\\]+|node_modules)([/\\]|$)/.test(path.relative(dir, file)),
        awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 50 },
      });
      watcher.on('all', () => {
        clearTimeout(debounce);
        debounce = setTimeout(() => push(request('watch')), 300);
      });
    },
    async stop() {
      clearTimeout(debounce);
      await watcher?.close();
    },
  };
}
