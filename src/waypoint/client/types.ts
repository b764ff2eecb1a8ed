// What the client hands the rest of Pilot, in Pilot's words. No generated types leave the folder.

export type JobState = 'queued' | 'waiting' | 'running' | 'success' | 'error' | 'unknown';

export interface JobUrls {
  release?: string;
  app?: string;
  deploy?: string;
}

export interface JobInfo {
  id: string;
  project: string;
  app: string;
  state: JobState;
  singletonId: string;
  labels: Record<string, string>;
  /** The commit the runner checked out, once known. */
  commit?: string;
  /** Set when the job ended in error. */
  error?: { code: number; message: string };
  urls: JobUrls;
  cancelRequested: boolean;
  /** A runner took the job (Job.assign_time). */
  assigned: boolean;
  queuedAt?: Date;
  completedAt?: Date;
}

export interface DeploymentInfo {
  id: string;
  sequence: number;
  url?: string;
  jobId: string;
  state: 'unknown' | 'running' | 'success' | 'error';
  labels: Record<string, string>;
  error?: string;
}

export interface ReleaseInfo {
  id: string;
  url?: string;
  deploymentId: string;
}

export interface StatusReportInfo {
  health: string;
  message: string;
}

/** One event of a job's stream, for progress display. */
export type JobEvent =
  | { type: 'state'; state: JobState; canceling: boolean }
  | { type: 'line'; text: string; style?: string }
  | { type: 'commit'; commit: string };

export interface ProjectInfo {
  name: string;
  applications: string[];
  waypointHcl?: string;
  gitUrl?: string;
}

export interface VersionInfo {
  version: string;
  api: { current: number; minimum: number };
}
