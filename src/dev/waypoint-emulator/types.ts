// The Waypoint messages as @grpc/proto-loader hands them over (keepCase, enums and
// longs as strings, defaults, oneof names), reduced to the fields the emulator reads.

export type JobState = 'UNKNOWN' | 'QUEUED' | 'WAITING' | 'RUNNING' | 'ERROR' | 'SUCCESS';

export interface Timestamp {
  seconds: string;
  nanos: number;
}

export interface RpcStatus {
  code: number;
  message: string;
  details?: unknown[];
}

export interface AppRef {
  application: string;
  project: string;
}

export interface GitSource {
  url: string;
  ref: string;
  path: string;
  auth?: 'basic' | 'ssh';
  basic?: { username: string; password: string } | null;
  ssh?: { private_key_pem: Buffer | Uint8Array; password: string; user: string } | null;
}

export interface DataSource {
  source?: 'local' | 'git';
  git?: GitSource | null;
  local?: object | null;
}

export interface DataSourceRef {
  ref?: 'unknown' | 'git';
  git?: { commit: string; timestamp: Timestamp | null; commit_message: string } | null;
  unknown?: object | null;
}

export interface Hcl {
  contents: Buffer | Uint8Array;
  format: 'HCL' | 'JSON';
}

/** Operations the emulator runs; `init` is only queued by the server itself (UpsertProject). */
export type Operation = 'noop' | 'up' | 'destroy' | 'init';

export interface Job {
  id: string;
  singleton_id: string;
  depends_on: string[];
  depends_on_allow_failure: string[];
  application: AppRef | null;
  workspace: { workspace: string } | null;
  target_runner: { target?: 'any' | 'id' | 'labels'; any?: object | null } | null;
  labels: Record<string, string>;
  data_source: DataSource | null;
  data_source_overrides: Record<string, string>;
  waypoint_hcl: Hcl | null;
  operation?: Operation;
  up?: object | null;
  noop?: object | null;
  state: JobState;
  assigned_runner: { id: string } | null;
  queue_time: Timestamp | null;
  assign_time: Timestamp | null;
  ack_time: Timestamp | null;
  complete_time: Timestamp | null;
  cancel_time: Timestamp | null;
  expire_time: Timestamp | null;
  error: RpcStatus | null;
  result: Record<string, unknown> | null;
  data_source_ref: DataSourceRef | null;
  config: { source: 'UNKNOWN' | 'FILE' | 'SERVER' | 'JOB' } | null;
}

export interface QueueJobRequest {
  job: Job | null;
  expires_in: string;
}

/** A received message for tests to inspect: nested messages are typed as present
 * (at run time an absent one is null, as proto-loader's `defaults` gives it). */
export type Received<T> = T extends Uint8Array
  ? T
  : T extends (infer U)[]
    ? Received<U>[]
    : T extends object
      ? { [K in keyof T]-?: Received<NonNullable<T[K]>> }
      : T;

export interface Project {
  name: string;
  applications: Application[];
  remote_enabled: boolean;
  data_source: DataSource | null;
  waypoint_hcl: Buffer | Uint8Array;
  waypoint_hcl_format: 'HCL' | 'JSON';
  data_source_poll: { enabled: boolean; interval: string } | null;
  file_change_signal: string;
  status_report_poll: { enabled: boolean; interval: string } | null;
  state: 'ACTIVE' | 'DESTROYING';
}

export interface Application {
  name: string;
  project: { project: string } | null;
  file_change_signal: string;
}

export interface WorkspaceProject {
  project: { project: string };
  workspace: { workspace: string };
  data_source_ref: DataSourceRef | null;
  active_time: Timestamp;
}

export interface TerminalEvent {
  timestamp: Timestamp;
  line?: { msg: string; style: string };
  status?: { status: string; msg: string; step: boolean };
}

export interface ConfigTarget {
  app_scope?: 'global' | 'project' | 'application';
  global?: object | null;
  project?: { project: string } | null;
  application?: AppRef | null;
  workspace: { workspace: string } | null;
  label_selector: string;
  runner: object | null;
}

export interface ConfigVar {
  name: string;
  value?: 'static' | 'dynamic' | 'unset';
  static?: string;
  dynamic?: { from: string; config: Record<string, string> } | null;
  unset?: object | null;
  internal: boolean;
  name_is_path: boolean;
  target: ConfigTarget | null;
}
