// Prints manifest problems the way `pilot validate` does, for commands that load manifests.

import { formatProblem, type Problem } from '../sources/manifests/problem.js';
import type { Io } from './io.js';

export function printProblems(io: Io, problems: readonly Problem[]): void {
  for (const problem of problems) io.stderr.write(`${formatProblem(problem)}\n`);
}
