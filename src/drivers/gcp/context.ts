// What every part of a GCP stack is built from: the stack to add resources to, the
// input, and the APIs enabled for it.

import type { TerraformStack } from 'cdktf';
import type { StackInput } from '../contract.js';
import type { Services } from './services.js';

export interface GcpStack {
  scope: TerraformStack;
  input: StackInput;
  /** The GCP project id every resource lives in (checked once, in index.ts). */
  gcpProject: string;
  services: Services;
}
