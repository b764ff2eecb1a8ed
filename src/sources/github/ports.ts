// What the webhook receiver needs from the outside: a record of the deliveries it has
// seen, so that a replayed or redelivered one is acknowledged but not acted on twice.

export interface DeliveryRecord {
  /** The X-GitHub-Delivery GUID. */
  id: string;
  /** The X-GitHub-Event name, e.g. push. */
  event: string;
  /** What became of it: received, accepted, ignored, dispatched or failed. */
  result: string;
  /** ISO 8601. */
  receivedAt: string;
}

export interface DeliveryLog {
  /** Records a delivery; false when this id was already recorded (a duplicate). */
  claim(id: string, event: string): boolean;
  /** Sets the result of a claimed delivery. */
  finish(id: string, result: string): void;
  /** The newest deliveries first. */
  recent(limit: number): DeliveryRecord[];
}
