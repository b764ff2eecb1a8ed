// The keys of Pilot's advisory locks and the lease's row, fixed so that every daemon
// and one-shot command on the same database agrees on them. Advisory locks belong to
// one database, so two Pilots on two databases of a server never meet.

/** 'PILOT' in ASCII, then 1: held by the leader's session for as long as it leads. */
export const leaderLockKey = '88275743101953';

/** 'PILOT' in ASCII, then 2: held by each migration step's transaction. */
export const migrationLockKey = '88275743101954';

/** The leader_lease row the daemons share. */
export const leaseName = 'pilot';
