// The wire messages the client touches, as proto-loader hands them over
// (keepCase, longs and enums as strings, oneofs named). Internal to src/waypoint/.

export type JobStateName = 'UNKNOWN' | 'QUEUED' | 'WAITING' | 'RUNNING' | 'ERROR' | 'SUCCESS';

export interface RefApplication {
  application: string;
  project: string;
}

export interface RpcStatus {
  code: number;
  message: string;
}

export interface Timestamp {
  seconds: string;
  nanos: number;
}

export interface GitSource {
  url: string;
  ref: string;
  path: string;
  basic?: { username: string; password: string } | null;
  ssh?: { private_key_pem: Buffer; password: string; user: string } | null;
}

export interface JobMessage {
  id: string;
  singleton_id: string;
  application: RefApplication | null;
  workspace: { workspace: string } | null;
  labels: Record<string, string>;
  data_source: { git?: GitSource | null } | null;
  state: JobStateName;
  queue_time: Timestamp | null;
  assign_time: Timestamp | null;
  complete_time: Timestamp | null;
  cancel_time: Timestamp | null;
  error: RpcStatus | null;
  result: { up?: { release_url: string; app_url: string; deploy_url: string } | null } | null;
  data_source_ref: { git?: { commit: string } | null } | null;
  operation?: string;
}

export interface TerminalEvent {
  timestamp?: Timestamp | null;
  event?: 'line' | 'status' | 'named_values' | 'raw' | 'step';
  line?: { msg: string; style: string } | null;
  status?: { status: string; msg: string } | null;
  raw?: { data: Buffer; stderr: boolean } | null;
  step?: { msg: string; status: string; output: Buffer } | null;
  named_values?: { values: { name: string; value: string }[] } | null;
}

export interface JobStreamMessage {
  event: 'open' | 'state' | 'terminal' | 'error' | 'complete' | 'download' | 'job';
  state?: { previous: JobStateName; current: JobStateName; job: JobMessage | null; canceling: boolean } | null;
  terminal?: { events: TerminalEvent[]; buffered: boolean } | null;
  error?: { error: RpcStatus | null } | null;
  complete?: { error: RpcStatus | null; result: JobMessage['result'] } | null;
  download?: { data_source_ref: JobMessage['data_source_ref'] } | null;
  job?: { job: JobMessage | null } | null;
}

export interface ConfigVarMessage {
  name: string;
  static?: string;
  value?: 'static' | 'dynamic' | 'unset';
  dynamic?: { from: string; config: Record<string, string> } | null;
  target: { application?: RefApplication | null; project?: { project: string } | null; app_scope?: string } | null;
}

export interface DeploymentMessage {
  id: string;
  sequence: string;
  url: string;
  job_id: string;
  labels: Record<string, string>;
  status: { state: 'UNKNOWN' | 'RUNNING' | 'SUCCESS' | 'ERROR'; error: RpcStatus | null; complete_time: Timestamp | null } | null;
}
