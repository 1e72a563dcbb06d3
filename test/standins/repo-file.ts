import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * A file of the repository by its path from the root, found from the sources (jest, tsx) and from
 * their build under dist/ (the benches run compiled, and tsc copies no fixtures): the first folder
 * upwards that holds package.json is the root.
 */
export function repoFile(relative: string): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}: cannot find ${relative}`);
    dir = parent;
  }
  return path.join(dir, relative);
}
